using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Distributions.Constraints;
using Ppl.Runtime.Tensors;
using Ppl.Runtime.Transforms;
using static Ppl.Runtime.Tests.Transforms.TransformCheck;

namespace Ppl.Runtime.Tests.Transforms;

public class StickBreakingTransformTests
{
    static readonly StickBreakingTransform T = StickBreakingTransform.Instance;

    [Fact]
    public void Forward_Zero_IsTheUniformSimplex()
    {
        var y = T.Forward(Var.Const(Tensor.Zeros(4))).Value;
        Assert.Equal([5], y.Shape);
        foreach (float v in y.Span) Assert.Equal(0.2f, v, 1e-6);
    }

    [Fact]
    public void Forward_Batch_LandsOnTheSimplex()
    {
        var y = T.Forward(Var.Const(Uniform(1, -6, 6, 10, 3))).Value;
        Assert.Equal([10, 4], y.Shape);
        for (int b = 0; b < 10; b++) Assert.True(Constraint.Simplex.Check(y.Span.Slice(b * 4, 4)));
    }

    [Fact]
    public void Inverse_OfForward_IsIdentity() => RoundTrip(T, Uniform(2, -5, 5, 6, 4), 1e-3);

    [Fact]
    public void LogAbsDetJacobian_MatchesNumericalJacobianOfFreeCoordinates() =>
        LogDetMatchesJacobian(T, Uniform(3, -2, 2, 4, 4), y => All(y[..^1]));

    [Fact]
    public void Forward_MatchesStanConstruction()
    {
        // Stan: z_k = logit⁻¹(y_k − log(K − k)) (1-based k), x_k = (1 − Σ_{k'<k} x_k') z_k, x_K the rest.
        float[] x = [0.3f, -1.2f, 2.0f];
        int kk = 4;
        var expected = new double[kk];
        double rest = 1;
        for (int k = 0; k < kk - 1; k++)
        {
            double z = 1 / (1 + Math.Exp(-(x[k] - Math.Log(kk - 1 - k))));
            expected[k] = rest * z;
            rest -= expected[k];
        }
        expected[kk - 1] = rest;
        var y = T.Forward(Var.Const(Tensor.Vector(x))).Value;
        for (int k = 0; k < kk; k++) Assert.Equal(expected[k], y[k], 1e-6);
    }

    [Fact]
    public void Forward_MatchesFiniteDifferences() => Autodiff.GradCheck.Check(x => T.Forward(x[0]), Uniform(4, -2, 2, 2, 3));

    [Fact]
    public void LogDet_MatchesFiniteDifferences() => Autodiff.GradCheck.Check(x => T.LogAbsDetJacobian(x[0], T.Forward(x[0])), Uniform(5, -2, 2, 2, 3));
}
