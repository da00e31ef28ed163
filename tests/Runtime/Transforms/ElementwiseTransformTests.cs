using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Distributions.Constraints;
using Ppl.Runtime.Tensors;
using Ppl.Runtime.Transforms;
using static Ppl.Runtime.Tests.Transforms.TransformCheck;

namespace Ppl.Runtime.Tests.Transforms;

/// <summary>The scalar bijections: identity, exp, softplus, affine, interval, lower and upper bound.</summary>
public class ElementwiseTransformTests
{
    public static TheoryData<string> Names => ["identity", "exp", "softplus", "affine", "unit", "interval", "lower", "upper"];

    static Transform Make(string name) => name switch
    {
        "identity" => IdentityTransform.Instance,
        "exp" => new ExpTransform(),
        "softplus" => new SoftplusTransform(),
        "affine" => new AffineTransform(Var.Const(1.5f), Var.Const(-0.7f)),
        "unit" => new IntervalTransform(0, 1),
        "interval" => new IntervalTransform(-2, 5),
        "lower" => new LowerBoundTransform(3),
        "upper" => new UpperBoundTransform(-1),
        _ => throw new ArgumentException(name),
    };

    [Theory, MemberData(nameof(Names))]
    public void Inverse_OfForward_IsIdentity(string name) => RoundTrip(Make(name), Uniform(1, -4, 4, 50));

    [Theory, MemberData(nameof(Names))]
    public void LogAbsDetJacobian_MatchesNumericalDerivative(string name) =>
        LogDetMatchesJacobian(Make(name), Uniform(2, -4, 4, 20), All);

    [Theory, MemberData(nameof(Names))]
    public void Forward_LandsInCodomain(string name)
    {
        var t = Make(name);
        Assert.True(t.Codomain.Check(t.Forward(Var.Const(Uniform(3, -10, 10, 100))).Value.Span));
    }

    [Fact]
    public void Softplus_LargeInput_StaysExactAndInvertible()
    {
        var t = new SoftplusTransform();
        var y = t.Forward(Var.Const(Tensor.Vector(30f, -30f)));
        Assert.Equal(30f, y.Value[0]);
        Assert.Equal(Math.Exp(-30), y.Value[1], 1e-18);
        var x = t.Inverse(y).Value;
        Assert.Equal(30f, x[0], 1e-5);
        Assert.Equal(-30f, x[1], 1e-4);
    }

    [Fact]
    public void Interval_SaturatedInput_HasFiniteLogDet()
    {
        // σ(40) rounds to 1 in float32, but log σ(−40) = −40 is still representable: the formula works from x.
        var t = new IntervalTransform(0, 1);
        var x = Var.Const(Tensor.Vector(40f, -40f));
        var ld = t.LogAbsDetJacobian(x, t.Forward(x)).Value;
        Assert.Equal(-40f, ld[0], 1e-4);
        Assert.Equal(-40f, ld[1], 1e-4);
    }

    [Fact]
    public void Affine_EventDim_SumsLogScalesOverTheEvent()
    {
        var t = new AffineTransform(Var.Const(Tensor.Vector(1, 2)), Var.Const(Tensor.Vector(2, 3)), eventDim: 1);
        var x = Var.Const(Tensor.Zeros(4, 2));
        var ld = t.LogAbsDetJacobian(x, t.Forward(x));
        Assert.Equal([4], ld.Shape);
        Assert.Equal(Math.Log(6), ld.Value[0], 1e-6);
    }

    [Fact]
    public void Interval_Codomain_IsTheInterval()
    {
        Assert.Same(Constraint.UnitInterval, new IntervalTransform(0, 1).Codomain);
        var c = (Interval)new IntervalTransform(-2, 5).Codomain;
        Assert.Equal((-2f, 5f), (c.Lower, c.Upper));
    }

    [Fact]
    public void Interval_EmptyInterval_Throws() => Assert.Throws<ArgumentException>(() => new IntervalTransform(1, 1));
}
