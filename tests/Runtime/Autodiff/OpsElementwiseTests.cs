using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Tensors;
using static Ppl.Runtime.Tests.Autodiff.GradCheck;

namespace Ppl.Runtime.Tests.Autodiff;

public class OpsElementwiseTests
{
    static readonly System.Random Rng = new(17);
    static Tensor R(params int[] shape) => RandomTensor(Rng, shape);

    /// <summary>f(a) = a·sin a: f′ = sin a + a·cos a.</summary>
    readonly struct F1 : IScalarFunction1
    {
        public static double Value(double a) => a * Math.Sin(a);
        public static double Derivative(double a) => Math.Sin(a) + a * Math.Cos(a);
    }

    /// <summary>f(a, b) = a²·cos b: f_a = 2a·cos b, f_b = −a²·sin b.</summary>
    readonly struct F2 : IScalarFunction2
    {
        public static double Value(double a, double b) => a * a * Math.Cos(b);
        public static (double Da, double Db) Gradient(double a, double b) => (2 * a * Math.Cos(b), -a * a * Math.Sin(b));
    }

    /// <summary>f(a, b, c) = a·b + exp(c)·b: f_a = b, f_b = a + e^c, f_c = e^c·b.</summary>
    readonly struct F3 : IScalarFunction3
    {
        public static double Value(double a, double b, double c) => a * b + Math.Exp(c) * b;
        public static (double Da, double Db, double Dc) Gradient(double a, double b, double c) => (b, a + Math.Exp(c), Math.Exp(c) * b);
    }

    /// <summary>f(a, b) = a·log b with an infinite partial at b = 0.</summary>
    readonly struct LogAt : IScalarFunction2
    {
        public static double Value(double a, double b) => a * Math.Log(b);
        public static (double Da, double Db) Gradient(double a, double b) => (Math.Log(b), a / b);
    }

    [Fact] public void Elementwise1_MatchesFiniteDifferences() => Check(x => Ops.Elementwise<F1>(x[0]), R(2, 3));
    [Fact] public void Elementwise2_Broadcasting_MatchesFiniteDifferences() => Check(x => Ops.Elementwise<F2>(x[0], x[1]), R(3, 4), R(4));
    [Fact] public void Elementwise2_ScalarAgainstMatrix_MatchesFiniteDifferences() => Check(x => Ops.Elementwise<F2>(x[0], x[1]), R(), R(2, 3));
    [Fact] public void Elementwise3_Broadcasting_MatchesFiniteDifferences() => Check(x => Ops.Elementwise<F3>(x[0], x[1], x[2]), R(2, 1, 3), R(4, 1), R(3));

    [Fact]
    public void Elementwise_ComputesInDoubleAndRoundsOnce()
    {
        // a²·cos b for a = 12345.678: evaluated in double and rounded once, not a² rounded to float and then multiplied.
        var y = Ops.Elementwise<F2>(Tensor.Scalar(12345.678f), Tensor.Scalar(0.3f)).ToScalar();
        double a = 12345.678f, b = 0.3f;
        Assert.Equal((float)(a * a * Math.Cos(b)), y);
    }

    [Fact]
    public void Elementwise_ConstantsOnly_RecordNothing()
    {
        var tape = new Tape();
        var y = Ops.Elementwise<F2>(tape.Const(R(3)), tape.Const(R(3)));
        Assert.False(y.RequiresGrad);
        Assert.Equal(0, tape.Count);
    }

    [Fact]
    public void Elementwise_ZeroAdjointWithInfinitePartial_PassesZero()
    {
        // Entry 1 has b = 0 (∂/∂b = a/0 = ∞) but is masked out of the loss: its gradient must be 0, not NaN.
        var tape = new Tape();
        var b = tape.Attach(Var.Parameter(Tensor.Vector(0.5f, 0f)));
        var y = Ops.Elementwise<LogAt>(Tensor.Vector(2f, 3f), b);
        tape.Backward(Ops.Sum(y * Var.Const(Tensor.Vector(1f, 0f))));
        Assert.Equal([4f, 0f], b.Grad!.ToArray());
    }

    [Fact]
    public void Elementwise_SameVarTwice_AccumulatesBothPartials()
    {
        // f(x, x) = x²·cos x: d/dx = 2x·cos x − x²·sin x.
        var tape = new Tape();
        var x = tape.Attach(Var.Parameter(Tensor.Scalar(0.7f)));
        tape.Backward(Ops.Elementwise<F2>(x, x));
        Assert.Equal(2 * 0.7 * Math.Cos(0.7) - 0.49 * Math.Sin(0.7), x.Grad!.ToScalar(), 1e-6);
    }
}
