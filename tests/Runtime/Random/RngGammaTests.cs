using MathNet.Numerics.Distributions;
using Ppl.Runtime.Numerics;
using Ppl.Runtime.Random;
using MathSF = MathNet.Numerics.SpecialFunctions;

namespace Ppl.Runtime.Tests.Random;

public class RngGammaTests
{
    [Theory]
    [InlineData(0.1)]
    [InlineData(0.5)]
    [InlineData(1.0)]
    [InlineData(3.7)]
    [InlineData(100.0)]
    public void Gamma_Shapes_KsAgainstGammaCdfAndMoments(double shape)
    {
        var rng = new Rng(50 + (ulong)(shape * 10));
        double[] x = GoodnessOfFit.Draw(20_000, () => rng.Gamma(shape));
        GoodnessOfFit.AssertKs(x, v => SpecialFunctions.GammaP(shape, Math.Max(v, 0)), $"Gamma({shape})");
        GoodnessOfFit.AssertMoments(GoodnessOfFit.Draw(200_000, () => rng.Gamma(shape)), shape, shape, $"Gamma({shape})");
    }

    [Fact]
    public void Gamma_Rate_ScalesDraws()
    {
        var rng = new Rng(51);
        GoodnessOfFit.AssertMoments(GoodnessOfFit.Draw(100_000, () => rng.Gamma(2.0, 4.0)), 0.5, 2.0 / 16, "Gamma(2, rate 4)");
        Assert.Throws<ArgumentOutOfRangeException>(() => rng.Gamma(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => rng.Gamma(1, 0));
    }

    [Fact]
    public void LogGammaVariate_TinyShape_FiniteAndCorrectlyDistributed()
    {
        // Shape 0.01: draws below 10⁻³⁰⁰ happen (ln x < −690 when ln U < −6.9, p ≈ 10⁻³), so work in logs.
        // P(ln X ≤ t) = P(0.01, eᵗ); below t = −700, where eᵗ underflows, P ≈ e^(0.01t)/Γ(1.01) (the first
        // term of its series, relative error < eᵗ). MathNet's P is 0 for x ≤ 10⁻¹⁵, so our GammaP is used.
        var rng = new Rng(52);
        double[] logs = GoodnessOfFit.Draw(20_000, () => rng.LogGammaVariate(0.01));
        Assert.All(logs, v => Assert.True(double.IsFinite(v)));
        GoodnessOfFit.AssertKs(logs, t => t < -700 ? Math.Exp(0.01 * t - MathSF.GammaLn(1.01)) : SpecialFunctions.GammaP(0.01, Math.Exp(t)), "ln Gamma(0.01)");
    }

    [Fact]
    public void FillGamma_PerElementShapes_ClampedAndDistributed()
    {
        var rng = new Rng(53);
        var shape = new float[40_000];
        for (int i = 0; i < shape.Length; i++) shape[i] = i % 2 == 0 ? 0.05f : 2.5f;
        var dst = new float[shape.Length];
        rng.FillGamma(shape, dst);
        Assert.All(dst, v => Assert.True(v >= 1.17549435E-38f && float.IsFinite(v)));
        double[] odd = dst.Where((_, i) => i % 2 == 1).Select(v => (double)v).ToArray();
        GoodnessOfFit.AssertKs(odd, v => MathSF.GammaLowerRegularized(2.5, v), "FillGamma(2.5)");
        rng.FillGamma(0.7f, dst.AsSpan(0, 20_000));
        GoodnessOfFit.AssertKs(dst[..20_000].Select(v => (double)v).ToArray(), v => MathSF.GammaLowerRegularized(0.7, v), "FillGamma(0.7)");
        Assert.Throws<ArgumentException>(() => rng.FillGamma(shape, new float[3]));
    }

    [Theory]
    [InlineData(0.3, 0.4)]
    [InlineData(2.0, 5.0)]
    [InlineData(0.5, 30.0)]
    public void Beta_Shapes_KsAgainstMathNet(double a, double b)
    {
        var rng = new Rng(54);
        double[] x = GoodnessOfFit.Draw(20_000, () => rng.Beta(a, b));
        Assert.All(x, v => Assert.InRange(v, 0, 1));
        GoodnessOfFit.AssertKs(x, v => Beta.CDF(a, b, v), $"Beta({a}, {b})");
        double mean = a / (a + b), variance = a * b / ((a + b) * (a + b) * (a + b + 1));
        GoodnessOfFit.AssertMoments(GoodnessOfFit.Draw(100_000, () => rng.Beta(a, b)), mean, variance, $"Beta({a}, {b})");
    }

    [Fact]
    public void Dirichlet_Marginals_AreBetaAndSumToOne()
    {
        var rng = new Rng(55);
        float[] alpha = { 0.4f, 1.5f, 3f, 0.1f };
        double a0 = alpha.Sum(v => (double)v);
        var dst = new float[4];
        var first = new double[20_000];
        for (int i = 0; i < first.Length; i++)
        {
            rng.Dirichlet(alpha, dst);
            Assert.Equal(1.0, dst.Sum(v => (double)v), 5);
            first[i] = dst[0];
        }
        // Marginal of component 0: Beta(α₀, Σα − α₀).
        GoodnessOfFit.AssertKs(first, v => Beta.CDF(alpha[0], a0 - alpha[0], v), "Dirichlet marginal");
    }

    [Fact]
    public void Dirichlet_TinyAndLongConcentrations_StayOnSimplex()
    {
        var rng = new Rng(56);
        var alpha = Enumerable.Repeat(0.001f, 300).ToArray(); // > 128: the pooled-buffer path
        var dst = new float[300];
        for (int rep = 0; rep < 50; rep++)
        {
            rng.Dirichlet(alpha, dst);
            Assert.All(dst, v => Assert.True(v >= 0 && float.IsFinite(v)));
            Assert.Equal(1.0, dst.Sum(v => (double)v), 4);
        }
    }

    [Fact]
    public void ChiSquaredAndStudentT_KsAgainstMathNet()
    {
        var rng = new Rng(57);
        GoodnessOfFit.AssertKs(GoodnessOfFit.Draw(20_000, () => rng.ChiSquared(3)), v => ChiSquared.CDF(3, Math.Max(v, 0)), "χ²(3)");
        GoodnessOfFit.AssertKs(GoodnessOfFit.Draw(20_000, () => rng.StudentT(2.5)), v => StudentT.CDF(0, 1, 2.5, v), "t(2.5)");
    }
}
