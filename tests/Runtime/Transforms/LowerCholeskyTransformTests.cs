using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Distributions.Constraints;
using Ppl.Runtime.Tensors;
using Ppl.Runtime.Transforms;
using static Ppl.Runtime.Tests.Transforms.TransformCheck;

namespace Ppl.Runtime.Tests.Transforms;

public class LowerCholeskyTransformTests
{
    [Fact]
    public void Forward_HasExpDiagonalAndZeroUpper()
    {
        var l = LowerCholeskyTransform.Instance.Forward(Var.Const(Tensor.Vector(0.5f, 2f, -1f))).Value;
        Assert.Equal(Math.Exp(0.5), l[0, 0], 1e-6);
        Assert.Equal(0f, l[0, 1]);
        Assert.Equal(2f, l[1, 0]);
        Assert.Equal(Math.Exp(-1), l[1, 1], 1e-6);
    }

    [Fact]
    public void Inverse_OfForward_IsIdentity() => RoundTrip(LowerCholeskyTransform.Instance, Uniform(6, -2, 2, 3, 10));

    [Fact]
    public void LogDet_MatchesNumericalJacobianOfLowerTriangle() =>
        LogDetMatchesJacobian(LowerCholeskyTransform.Instance, Uniform(7, -1, 1, 2, 10), y => LowerTriangle(y, withDiagonal: true));
}
