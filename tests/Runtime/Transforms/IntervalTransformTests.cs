using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Distributions.Constraints;
using Ppl.Runtime.Tensors;
using Ppl.Runtime.Transforms;
using static Ppl.Runtime.Tests.Transforms.TransformCheck;

namespace Ppl.Runtime.Tests.Transforms;

public class IntervalTransformTests
{
    static Transform Make() => new IntervalTransform(-2, 5);

    [Fact] public void Inverse_OfForward_IsIdentity() => RoundTrip(Make(), Uniform(1, -4, 4, 50));

    [Fact] public void LogAbsDetJacobian_MatchesNumericalDerivative() => LogDetMatchesJacobian(Make(), Uniform(2, -4, 4, 20), All);

    [Fact]
    public void Forward_LandsInCodomain() =>
        Assert.True(Make().Codomain.Check(Make().Forward(Var.Const(Uniform(3, -10, 10, 100))).Value.Span));

    [Fact]
    public void UnitInterval_RoundTripAndLogDet()
    {
        var t = new IntervalTransform(0, 1);
        RoundTrip(t, Uniform(4, -6, 6, 30));
        LogDetMatchesJacobian(t, Uniform(5, -4, 4, 10), All);
        Assert.Same(Constraint.UnitInterval, t.Codomain);
    }

    [Fact]
    public void SaturatedInput_HasFiniteLogDet()
    {
        // σ(40) rounds to 1 in float32, but log σ(−40) = −40 is still representable: the formula works from x.
        var t = new IntervalTransform(0, 1);
        var x = Var.Const(Tensor.Vector(40f, -40f));
        var ld = t.LogAbsDetJacobian(x, t.Forward(x)).Value;
        Assert.Equal(-40f, ld[0], 1e-4);
        Assert.Equal(-40f, ld[1], 1e-4);
    }

    [Fact]
    public void Codomain_IsTheInterval()
    {
        var c = (Interval)Make().Codomain;
        Assert.Equal((-2f, 5f), (c.Lower, c.Upper));
    }

    [Fact]
    public void EmptyInterval_Throws() => Assert.Throws<ArgumentException>(() => new IntervalTransform(1, 1));
}
