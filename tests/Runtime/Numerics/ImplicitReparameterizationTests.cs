using Ppl.Runtime.Numerics;
using MathSF = MathNet.Numerics.SpecialFunctions;

namespace Ppl.Runtime.Tests.Numerics;

public class ImplicitReparameterizationTests
{
    public static TheoryData<double, double, double> Reference()
    {
        var data = new TheoryData<double, double, double>();
        foreach (var r in MpmathReference.GammaSampleDerivative) data.Add(r[0], r[1], r[2]);
        return data;
    }

    [Theory]
    [MemberData(nameof(Reference))]
    public void GammaSampleDerivative_MpmathGrid_Accurate(double alpha, double x, double expected)
    {
        // Both branches (series for x < α + 1, differentiated continued fraction above), α from 10⁻³ to
        // 10³, x from 10⁻⁵α to 5α; measured worst case 6·10⁻¹⁵.
        Accuracy.AssertRelative(expected, ImplicitReparameterization.GammaSampleDerivative(x, alpha), 5e-14, $"dx/dα at α={alpha}, x={x}");
    }

    [Fact]
    public void GammaSampleDerivative_BranchSeam_IsContinuous()
    {
        foreach (double a in new[] { 0.3, 2.0, 50.0, 5000.0 })
        {
            double seam = a + 1;
            double below = ImplicitReparameterization.GammaSampleDerivative(Math.BitDecrement(seam), a);
            double at = ImplicitReparameterization.GammaSampleDerivative(seam, a);
            Accuracy.AssertRelative(at, below, 1e-12, $"seam at α={a}");
        }
    }

    [Fact]
    public void GammaPShapeDerivative_MatchesFiniteDifferenceOfMathNet()
    {
        // Central difference of MathNet's P (relative error ≤ 10⁻¹² there) with h = 10⁻⁵α. P can vary like
        // e^(κa) with |κ| = |∂ln P/∂a| up to ~3 on this grid, so truncation is ≈ (κh)²/6 ≤ 2·10⁻⁷ and
        // rounding ≈ 10⁻¹²/(κh) ≤ 10⁻⁶ at a = 0.2; tolerance 3·10⁻⁶.
        foreach (double a in new[] { 0.2, 1.0, 4.5, 30.0 })
            foreach (double r in new[] { 0.1, 0.8, 1.0, 1.5, 3.0 })
            {
                double x = a * r, h = 1e-5 * a;
                double fd = (MathSF.GammaLowerRegularized(a + h, x) - MathSF.GammaLowerRegularized(a - h, x)) / (2 * h);
                Accuracy.AssertRelative(fd, ImplicitReparameterization.GammaPShapeDerivative(a, x), 3e-6, $"∂P/∂a at a={a}, x={x}");
            }
    }

    [Fact]
    public void GammaSampleDerivative_IntegratedAgainstDensity_EqualsOne()
    {
        // The pathwise derivative is unbiased for d E[x]/dα, and E[x] = α, so ∫ (dx/dα) p(x; α) dx = 1.
        foreach (double a in new[] { 0.5, 1.0, 7.0 })
        {
            // Trapezoid rule on a geometric grid (ratio 1.0005): discretisation error ~10⁻⁷.
            double sum = 0, prevX = 0, prevF = 0;
            for (double x = 1e-12; x < a + 60 * Math.Sqrt(a) + 60; x *= 1.0005)
            {
                double pdf = Math.Exp((a - 1) * Math.Log(x) - x - SpecialFunctions.LogGamma(a));
                double f = ImplicitReparameterization.GammaSampleDerivative(x, a) * pdf;
                sum += 0.5 * (f + prevF) * (x - prevX);
                prevX = x;
                prevF = f;
            }
            Accuracy.AssertRelative(1.0, sum, 1e-4, $"E[dx/dα] at α={a}");
        }
    }

    [Fact]
    public void BetaSampleDerivatives_MatchQuotientRule()
    {
        double g1 = 0.7, g2 = 2.1, a = 1.5, b = 3.0;
        var (da, db) = ImplicitReparameterization.BetaSampleDerivatives(g1, g2, a, b);
        double d1 = ImplicitReparameterization.GammaSampleDerivative(g1, a), d2 = ImplicitReparameterization.GammaSampleDerivative(g2, b);
        // X = g1/(g1 + g2): ∂X/∂g1 = g2/(g1+g2)², ∂X/∂g2 = −g1/(g1+g2)².
        double s = g1 + g2;
        Accuracy.AssertRelative(g2 / (s * s) * d1, da, 1e-15, "dX/da");
        Accuracy.AssertRelative(-g1 / (s * s) * d2, db, 1e-15, "dX/db");
    }

    [Fact]
    public void DirichletSampleVjp_MatchesExplicitJacobian()
    {
        float[] g = { 0.3f, 1.7f, 0.05f, 2.2f }, alpha = { 0.5f, 2f, 0.1f, 3f }, up = { 1f, -2f, 0.5f, 0.25f };
        var got = new float[4];
        ImplicitReparameterization.DirichletSampleVjp(g, alpha, up, got);
        double s = g.Sum(v => (double)v);
        for (int j = 0; j < 4; j++)
        {
            // Σᵢ gᵢ ∂Xᵢ/∂Gⱼ · dGⱼ/dαⱼ with the Jacobian of X = G/S written out.
            double sum = 0;
            for (int i = 0; i < 4; i++) sum += up[i] * ((i == j ? 1 : 0) - g[i] / s) / s;
            double expected = sum * ImplicitReparameterization.GammaSampleDerivative(g[j], alpha[j]);
            Accuracy.AssertRelative(expected, got[j], 1e-6, $"component {j}");
        }
    }

    [Fact]
    public void GammaSampleDerivative_EdgeCases()
    {
        Assert.Equal(0.0, ImplicitReparameterization.GammaSampleDerivative(0, 2));
        Assert.True(double.IsNaN(ImplicitReparameterization.GammaSampleDerivative(1, 0)));
        var dst = new float[2];
        ImplicitReparameterization.GammaSampleDerivative(new[] { 0.5f, 3f }, new[] { 1f, 2f }, dst);
        Assert.Equal((float)ImplicitReparameterization.GammaSampleDerivative(0.5, 1), dst[0]);
        Assert.Equal((float)ImplicitReparameterization.GammaSampleDerivative(3, 2), dst[1]);
    }
}
