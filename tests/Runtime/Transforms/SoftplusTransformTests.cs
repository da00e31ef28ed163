using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Distributions.Constraints;
using Ppl.Runtime.Tensors;
using Ppl.Runtime.Transforms;
using static Ppl.Runtime.Tests.Transforms.TransformCheck;

namespace Ppl.Runtime.Tests.Transforms;

public class SoftplusTransformTests
{
    static Transform Make() => new SoftplusTransform();

    [Fact] public void Inverse_OfForward_IsIdentity() => RoundTrip(Make(), Uniform(1, -4, 4, 50));

    [Fact] public void LogAbsDetJacobian_MatchesNumericalDerivative() => LogDetMatchesJacobian(Make(), Uniform(2, -4, 4, 20), All);

    [Fact]
    public void Forward_LandsInCodomain() =>
        Assert.True(Make().Codomain.Check(Make().Forward(Var.Const(Uniform(3, -10, 10, 100))).Value.Span));

    [Fact]
    public void LargeInput_StaysExactAndInvertible()
    {
        var y = Make().Forward(Var.Const(Tensor.Vector(30f, -30f)));
        Assert.Equal(30f, y.Value[0]);
        Assert.Equal(Math.Exp(-30), y.Value[1], 1e-18);
        var x = Make().Inverse(y).Value;
        Assert.Equal(30f, x[0], 1e-5);
        Assert.Equal(-30f, x[1], 1e-4);
    }
}
