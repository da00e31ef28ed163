using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Distributions.Constraints;
using Ppl.Runtime.Tensors;
using Ppl.Runtime.Transforms;
using static Ppl.Runtime.Tests.Transforms.TransformCheck;

namespace Ppl.Runtime.Tests.Transforms;

/// <summary>The matrix-valued bijections: correlation Cholesky, lower Cholesky, covariance (positive definite).</summary>
public class CholeskyTransformTests
{
    [Fact]
    public void CorrCholesky_TwoByTwo_IsTanhAndSech()
    {
        var l = CorrCholeskyTransform.Instance.Forward(Var.Const(Tensor.Vector(0.8f))).Value;
        Assert.Equal([2, 2], l.Shape);
        Assert.Equal(1f, l[0, 0], 1e-6); // exp(0) through the SIMD exp kernel is 1 ± 1 ulp
        Assert.Equal(0f, l[0, 1]);
        Assert.Equal(Math.Tanh(0.8), l[1, 0], 1e-6);
        Assert.Equal(1 / Math.Cosh(0.8), l[1, 1], 1e-6);
    }

    [Fact]
    public void CorrCholesky_Batch_LandsInCodomain()
    {
        var l = CorrCholeskyTransform.Instance.Forward(Var.Const(Uniform(1, -3, 3, 5, 6))).Value;
        Assert.Equal([5, 4, 4], l.Shape);
        for (int b = 0; b < 5; b++) Assert.True(Constraint.CorrCholesky.Check(l.Span.Slice(b * 16, 16)));
    }

    [Fact]
    public void CorrCholesky_Inverse_OfForward_IsIdentity() => RoundTrip(CorrCholeskyTransform.Instance, Uniform(2, -2, 2, 3, 6), 1e-3);

    [Fact]
    public void CorrCholesky_LogDet_MatchesNumericalJacobianOfStrictLowerTriangle() =>
        LogDetMatchesJacobian(CorrCholeskyTransform.Instance, Uniform(3, -1.5, 1.5, 3, 6), y => LowerTriangle(y, withDiagonal: false));

    [Fact]
    public void CorrCholesky_LogDet_MatchesFiniteDifferences() =>
        Autodiff.GradCheck.Check(x => CorrCholeskyTransform.Instance.LogAbsDetJacobian(x[0], x[0]), Uniform(4, -1, 1, 2, 3));

    [Fact]
    public void CorrCholesky_Forward_MatchesFiniteDifferences() =>
        Autodiff.GradCheck.Check(x => CorrCholeskyTransform.Instance.Forward(x[0]), Uniform(5, -1, 1, 6));

    [Fact]
    public void LowerCholesky_Forward_HasExpDiagonalAndZeroUpper()
    {
        var l = LowerCholeskyTransform.Instance.Forward(Var.Const(Tensor.Vector(0.5f, 2f, -1f))).Value;
        Assert.Equal(Math.Exp(0.5), l[0, 0], 1e-6);
        Assert.Equal(0f, l[0, 1]);
        Assert.Equal(2f, l[1, 0]);
        Assert.Equal(Math.Exp(-1), l[1, 1], 1e-6);
    }

    [Fact]
    public void LowerCholesky_Inverse_OfForward_IsIdentity() => RoundTrip(LowerCholeskyTransform.Instance, Uniform(6, -2, 2, 3, 10));

    [Fact]
    public void LowerCholesky_LogDet_MatchesNumericalJacobianOfLowerTriangle() =>
        LogDetMatchesJacobian(LowerCholeskyTransform.Instance, Uniform(7, -1, 1, 2, 10), y => LowerTriangle(y, withDiagonal: true));

    [Fact]
    public void PositiveDefinite_Batch_LandsInCodomain()
    {
        var s = PositiveDefiniteTransform.Instance.Forward(Var.Const(Uniform(8, -2, 2, 4, 6))).Value;
        Assert.Equal([4, 3, 3], s.Shape);
        for (int b = 0; b < 4; b++) Assert.True(Constraint.PositiveDefinite.Check(s.Span.Slice(b * 9, 9)));
    }

    [Fact]
    public void PositiveDefinite_Inverse_OfForward_IsIdentity() => RoundTrip(PositiveDefiniteTransform.Instance, Uniform(9, -1, 1, 3, 6), 1e-3);

    [Fact]
    public void PositiveDefinite_LogDet_MatchesNumericalJacobianOfLowerTriangle() =>
        LogDetMatchesJacobian(PositiveDefiniteTransform.Instance, Uniform(10, -0.5, 0.5, 2, 6), y => LowerTriangle(y, withDiagonal: true));

    [Fact]
    public void PositiveDefinite_Inverse_MatchesFiniteDifferences() =>
        Autodiff.GradCheck.Check(x => PositiveDefiniteTransform.Instance.Inverse(
            PositiveDefiniteTransform.Instance.Forward(x[0])), Uniform(11, -0.5, 0.5, 6));
}
