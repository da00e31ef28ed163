using Ppl.Runtime.Random;

namespace Ppl.Runtime.Tests.Random;

public class RngDiscreteTests
{
    [Fact]
    public void Categorical_UnnormalisedWeights_FrequenciesByChiSquare()
    {
        var rng = new Rng(80);
        float[] w = { 2f, 0f, 5f, 1f, 0.5f };
        double total = w.Sum();
        const int n = 100_000;
        var counts = new int[w.Length];
        for (int i = 0; i < n; i++) counts[rng.Categorical(w)]++;
        Assert.Equal(0, counts[1]);
        double chi2 = 0;
        for (int i = 0; i < w.Length; i++)
        {
            if (w[i] == 0) continue;
            double e = n * w[i] / total;
            chi2 += (counts[i] - e) * (counts[i] - e) / e;
        }
        // 4 non-empty cells → 3 degrees of freedom: the 0.999 quantile is 16.27.
        Assert.True(chi2 < 16.27, $"χ² = {chi2}");
        Assert.Throws<ArgumentException>(() => rng.Categorical(new[] { 0f, 0f }));
        Assert.Throws<ArgumentException>(() => rng.Categorical(new[] { 1f, -1f }));
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(0.02)]
    public void Geometric_FailuresBeforeSuccess_KsAndMoments(double p)
    {
        var rng = new Rng(81);
        int[] k = GoodnessOfFit.DrawInt(20_000, () => rng.Geometric(p));
        // P(K ≤ k) = 1 − (1 − p)^(k+1) on k = 0, 1, 2, ...
        GoodnessOfFit.AssertKs(k, v => v < 0 ? 0 : 1 - Math.Pow(1 - p, v + 1), $"Geometric({p})");
        double[] big = GoodnessOfFit.DrawInt(200_000, () => rng.Geometric(p)).Select(v => (double)v).ToArray();
        GoodnessOfFit.AssertMoments(big, (1 - p) / p, (1 - p) / (p * p), $"Geometric({p})");
        Assert.Equal(0, rng.Geometric(1));
    }

    [Fact]
    public void NegativeBinomial_GammaPoissonMixture_MatchesMathNet()
    {
        // Ours counts successes (probability p) before r failures; MathNet's counts failures before r
        // successes with success probability p′ — the same law with p′ = 1 − p.
        var rng = new Rng(82);
        double r = 3.5, p = 0.4;
        int[] k = GoodnessOfFit.DrawInt(20_000, () => rng.NegativeBinomial(r, p));
        GoodnessOfFit.AssertKs(k, v => v < 0 ? 0 : MathNet.Numerics.Distributions.NegativeBinomial.CDF(r, 1 - p, v), "NB(3.5, 0.4)");
        double[] big = GoodnessOfFit.DrawInt(200_000, () => rng.NegativeBinomial(r, p)).Select(v => (double)v).ToArray();
        GoodnessOfFit.AssertMoments(big, r * p / (1 - p), r * p / ((1 - p) * (1 - p)), "NB(3.5, 0.4)");
    }
}
