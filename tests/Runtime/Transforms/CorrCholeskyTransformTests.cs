using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Distributions.Constraints;
using Ppl.Runtime.Tensors;
using Ppl.Runtime.Transforms;
using static Ppl.Runtime.Tests.Transforms.TransformCheck;

namespace Ppl.Runtime.Tests.Transforms;

public class CorrCholeskyTransformTests
{
    [Fact]
    public void Forward_TwoByTwo_IsTanhAndSech()
    {
        var l = CorrCholeskyTransform.Instance.Forward(Var.Const(Tensor.Vector(0.8f))).Value;
        Assert.Equal([2, 2], l.Shape);
        Assert.Equal(1f, l[0, 0], 1e-6); // exp(0) through the SIMD exp kernel is 1 ± 1 ulp
        Assert.Equal(0f, l[0, 1]);
        Assert.Equal(Math.Tanh(0.8), l[1, 0], 1e-6);
        Assert.Equal(1 / Math.Cosh(0.8), l[1, 1], 1e-6);
    }

    [Fact]
    public void Forward_Batch_LandsInCodomain()
    {
        var l = CorrCholeskyTransform.Instance.Forward(Var.Const(Uniform(1, -3, 3, 5, 6))).Value;
        Assert.Equal([5, 4, 4], l.Shape);
        for (int b = 0; b < 5; b++) Assert.True(Constraint.CorrCholesky.Check(l.Span.Slice(b * 16, 16)));
    }

    [Fact]
    public void Inverse_OfForward_IsIdentity() => RoundTrip(CorrCholeskyTransform.Instance, Uniform(2, -2, 2, 3, 6), 1e-3);

    [Fact]
    public void LogDet_MatchesNumericalJacobianOfStrictLowerTriangle() =>
        LogDetMatchesJacobian(CorrCholeskyTransform.Instance, Uniform(3, -1.5, 1.5, 3, 6), y => LowerTriangle(y, withDiagonal: false));

    [Fact]
    public void LogDet_MatchesFiniteDifferences() =>
        Autodiff.GradCheck.Check(x => CorrCholeskyTransform.Instance.LogAbsDetJacobian(x[0], x[0]), Uniform(4, -1, 1, 2, 3));

    [Fact]
    public void Forward_MatchesFiniteDifferences() =>
        Autodiff.GradCheck.Check(x => CorrCholeskyTransform.Instance.Forward(x[0]), Uniform(5, -1, 1, 6));
}
