using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Distributions.Constraints;
using Ppl.Runtime.Tensors;
using Ppl.Runtime.Transforms;
using static Ppl.Runtime.Tests.Transforms.TransformCheck;

namespace Ppl.Runtime.Tests.Transforms;

public class PositiveDefiniteTransformTests
{
    [Fact]
    public void Forward_Batch_LandsInCodomain()
    {
        var s = PositiveDefiniteTransform.Instance.Forward(Var.Const(Uniform(8, -2, 2, 4, 6))).Value;
        Assert.Equal([4, 3, 3], s.Shape);
        for (int b = 0; b < 4; b++) Assert.True(Constraint.PositiveDefinite.Check(s.Span.Slice(b * 9, 9)));
    }

    [Fact]
    public void Inverse_OfForward_IsIdentity() => RoundTrip(PositiveDefiniteTransform.Instance, Uniform(9, -1, 1, 3, 6), 1e-3);

    [Fact]
    public void LogDet_MatchesNumericalJacobianOfLowerTriangle() =>
        LogDetMatchesJacobian(PositiveDefiniteTransform.Instance, Uniform(10, -0.5, 0.5, 2, 6), y => LowerTriangle(y, withDiagonal: true));

    [Fact]
    public void Inverse_MatchesFiniteDifferences() =>
        Autodiff.GradCheck.Check(x => PositiveDefiniteTransform.Instance.Inverse(
            PositiveDefiniteTransform.Instance.Forward(x[0])), Uniform(11, -0.5, 0.5, 6));
}
