using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Distributions.Constraints;
using Ppl.Runtime.Tensors;
using Ppl.Runtime.Transforms;
using static Ppl.Runtime.Tests.Transforms.TransformCheck;

namespace Ppl.Runtime.Tests.Transforms;

public class LowerBoundTransformTests
{
    static Transform Make() => new LowerBoundTransform(3);

    [Fact] public void Inverse_OfForward_IsIdentity() => RoundTrip(Make(), Uniform(1, -4, 4, 50));

    [Fact] public void LogAbsDetJacobian_MatchesNumericalDerivative() => LogDetMatchesJacobian(Make(), Uniform(2, -4, 4, 20), All);

    [Fact]
    public void Forward_LandsInCodomain() =>
        Assert.True(Make().Codomain.Check(Make().Forward(Var.Const(Uniform(3, -10, 10, 100))).Value.Span));

    [Fact]
    public void Forward_IsBoundPlusExp() => Assert.Equal(3 + Math.Exp(0.5), Make().Forward(Var.Const(0.5f)).ToScalar(), 1e-5);
}
