using Ppl.Inference.Posterior;
using Ppl.Runtime.Random;

namespace Ppl.Inference.Tests.Posterior;

public class StudentTProposalTests
{
    [Fact]
    public void Draw_OneDimension_LogDensityIsStudentTs()
    {
        // Equal weights on draws with mean 1 and variance 4 (population form): the proposal is t_5(1, 2 · 1.3), its
        // scale widened by the overdispersion factor.
        double[][] u = [[-1], [3], [-1], [3]];
        var t = StudentTProposal.Match(u, [0.25, 0.25, 0.25, 0.25])!;
        var rng = new Rng(1);
        var x = new double[1];
        var oracle = new MathNet.Numerics.Distributions.StudentT(1, 2 * StudentTProposal.Overdispersion, StudentTProposal.DegreesOfFreedom);
        for (int i = 0; i < 50; i++)
        {
            double logT = t.Draw(rng, x);
            Assert.Equal(oracle.DensityLn(x[0]), logT, 1e-9);
        }
    }

    [Fact]
    public void Draw_TwoDimensions_HasTheMatchedLocationAndCovariance()
    {
        // Four equally weighted points with mean (1, −2); their deviations (±2, ±0.6) and (0, ±0.8) give the weighted
        // covariance [[2, 0.6], [0.6, 0.5]]; the proposal's scale matrix is that times 1.3² (the overdispersion). A t_ν
        // with that scale has covariance ν/(ν − 2) = 5/3 of it.
        double[][] u = [[3, -1.4], [-1, -2.6], [1, -1.2], [1, -2.8]];
        var t = StudentTProposal.Match(u, [0.25, 0.25, 0.25, 0.25])!;
        double[,] scale = { { 2, 0.6 }, { 0.6, 0.5 } };
        const int n = 200_000;
        var rng = new Rng(2);
        var x = new double[2];
        double m0 = 0, m1 = 0, c00 = 0, c01 = 0, c11 = 0;
        for (int i = 0; i < n; i++)
        {
            t.Draw(rng, x);
            m0 += x[0]; m1 += x[1];
            c00 += (x[0] - 1) * (x[0] - 1); c01 += (x[0] - 1) * (x[1] + 2); c11 += (x[1] + 2) * (x[1] + 2);
        }
        double f = 5.0 / 3 * StudentTProposal.Overdispersion * StudentTProposal.Overdispersion;
        // Standard errors: a mean's √(f·2/n) = 0.0053 (tolerance 3.8 of them). A variance's: Var((x − μ)²) = E x⁴ − (E x²)²
        // = (25 − 25/9)·s² for a t_5 of scale s (E x⁴ = 3ν²/((ν − 2)(ν − 4))·s²), so 0.036 for s = 2·1.69 and 0.009 for
        // 0.5·1.69; the t_5's sample variances converge slowly (its eighth moment is infinite), so the tolerances are
        // about 6–10 of them.
        Assert.Equal(1, m0 / n, 0.02);
        Assert.Equal(-2, m1 / n, 0.02);
        Assert.Equal(f * scale[0, 0], c00 / n, 0.3);
        Assert.Equal(f * scale[0, 1], c01 / n, 0.12);
        Assert.Equal(f * scale[1, 1], c11 / n, 0.08);
    }

    [Fact]
    public void LogDensity_AtItsOwnDraws_IsWhatDrawReturned()
    {
        // A correlated scale matrix (the covariance of the four points above): the density evaluated through L⁻¹ must be
        // the one Draw computed from the ε it drew; and it is symmetric about the location.
        double[][] u = [[3, -1.4], [-1, -2.6], [1, -1.2], [1, -2.8]];
        var t = StudentTProposal.Match(u, [0.25, 0.25, 0.25, 0.25])!;
        var rng = new Rng(3);
        var x = new double[2];
        for (int i = 0; i < 50; i++)
        {
            double logT = t.Draw(rng, x);
            Assert.Equal(logT, t.LogDensity(x), 1e-9);
            Assert.Equal(logT, t.LogDensity([2 * 1 - x[0], 2 * -2 - x[1]]), 1e-9);
        }
    }

    [Fact]
    public void Match_FewerDistinctDrawsThanCoordinates_IsNull()
    {
        // One point carries all the weight: the covariance is zero, no proposal.
        Assert.Null(StudentTProposal.Match([[1.0, 2.0], [3.0, 4.0]], [1.0, 0.0]));
    }
}
