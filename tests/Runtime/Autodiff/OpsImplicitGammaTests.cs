using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Numerics;
using Ppl.Runtime.Random;
using Ppl.Runtime.Tensors;

namespace Ppl.Runtime.Tests.Autodiff;

/// <summary>
/// Plumbing of the implicit-reparameterization ops (shapes, broadcasting, determinism, the adjoint formula). Their
/// statistical and finite-difference validation is in the Gamma, InverseGamma, Beta and Dirichlet tests.
/// </summary>
public class OpsImplicitGammaTests
{
    [Fact]
    public void StandardGamma_BroadcastParameter_SumsPerDrawDerivatives()
    {
        var tape = new Tape();
        var alpha = tape.Attach(Var.Parameter(Tensor.Vector(0.3f, 2f, 40f)));
        var x = Ops.StandardGamma(alpha, [50, 3], new Rng(1));
        Assert.Equal([50, 3], x.Shape);
        tape.Backward(Ops.Sum(x));
        var xs = x.Value;
        for (int j = 0; j < 3; j++)
        {
            double expected = 0;
            for (int i = 0; i < 50; i++) expected += ImplicitReparameterization.GammaSampleDerivative(xs[i, j], alpha.Value[j]);
            Assert.Equal(expected, alpha.Grad!.Span[j], 1e-5 * Math.Abs(expected));
        }
    }

    [Fact]
    public void StandardGamma_SameSeed_SameDraws_IncompatibleShapeThrows()
    {
        var a = Ops.StandardGamma(Tensor.Vector(0.5f, 3f), [4, 2], new Rng(9)).Value.ToArray();
        var b = Ops.StandardGamma(Tensor.Vector(0.5f, 3f), [4, 2], new Rng(9)).Value.ToArray();
        Assert.Equal(a, b);
        Assert.Throws<ShapeException>(() => Ops.StandardGamma(Tensor.Vector(0.5f, 3f), [4, 3], new Rng(9)));
    }

    [Fact]
    public void LogStandardGamma_IsLogOfAGammaDraw_WithLogDerivative()
    {
        var tape = new Tape();
        var alpha = tape.Attach(Var.Parameter(Tensor.Full(0.7f, 64)));
        var lx = Ops.LogStandardGamma(alpha, [64], new Rng(2));
        tape.Backward(Ops.Sum(lx));
        var replay = new Rng(2);
        for (int i = 0; i < 64; i++)
        {
            double l = replay.LogGammaVariate(0.7);
            Assert.Equal(l, lx.Value.Span[i], 1e-6 * Math.Max(1, Math.Abs(l)));
            double x = Math.Exp(l);
            double expected = ImplicitReparameterization.GammaSampleDerivative(x, 0.7f) / x;
            Assert.Equal(expected, alpha.Grad!.Span[i], 1e-5 * Math.Abs(expected) + 1e-6);
        }
    }

    [Fact]
    public void StandardDirichlet_Backward_IsTheNormalisationChainRule()
    {
        // ∂L/∂αⱼ = Σᵢ gᵢ·(δᵢⱼ − zᵢ)·(dXⱼ/dαⱼ)/S, with the gammas replayed from the seed.
        var tape = new Tape();
        float[] a = [0.4f, 1.5f, 6f];
        var alpha = tape.Attach(Var.Parameter(Tensor.Vector(a)));
        var z = Ops.StandardDirichlet(alpha, [3], new Rng(4));
        var g = Tensor.Vector(0.3f, -1.2f, 2f);
        tape.Backward(Ops.Sum(z * Var.Const(g)));
        var replay = new Rng(4);
        var logs = a.Select(v => replay.LogGammaVariate(v)).ToArray();
        double s = logs.Sum(Math.Exp);
        var zs = logs.Select(l => Math.Exp(l) / s).ToArray();
        for (int j = 0; j < 3; j++)
        {
            double dx = ImplicitReparameterization.GammaSampleDerivative(Math.Exp(logs[j]), a[j]);
            double expected = 0;
            for (int i = 0; i < 3; i++) expected += g[i] * ((i == j ? 1 : 0) - zs[i]) * dx / s;
            Assert.Equal(expected, alpha.Grad!.Span[j], 1e-5 * Math.Abs(expected) + 1e-7);
        }
    }

    [Fact]
    public void StandardDirichlet_NeedsACategoryAxis()
    {
        Assert.Throws<ShapeException>(() => Ops.StandardDirichlet(Tensor.Scalar(1f), [], new Rng(1)));
        Assert.Equal([5, 2, 3], Ops.StandardDirichlet(Tensor.Vector(1f, 2f, 3f), [5, 2, 3], new Rng(1)).Shape);
    }
}
