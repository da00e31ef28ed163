using Ppl.Runtime.Random;

namespace Ppl.Runtime.Tests.Random;

public class RngFillDiscreteTests
{
    [Fact]
    public void FillBernoulli_PerElementProbabilities_FrequenciesAndEdges()
    {
        var rng = new Rng(100);
        const int n = 100_000;
        var p = new float[n];
        for (int i = 0; i < n; i++) p[i] = (i % 4) switch { 0 => 0f, 1 => 1f, 2 => 0.3f, _ => 0.9f };
        var dst = new float[n];
        rng.FillBernoulli(p, dst);
        double hits3 = 0, hits9 = 0;
        for (int i = 0; i < n; i++)
        {
            Assert.True(dst[i] == 0f || dst[i] == 1f);
            if (i % 4 == 0) Assert.Equal(0f, dst[i]);
            if (i % 4 == 1) Assert.Equal(1f, dst[i]);
            if (i % 4 == 2) hits3 += dst[i];
            if (i % 4 == 3) hits9 += dst[i];
        }
        int m = n / 4;
        // Binomial counts: within 5 SD of m·p.
        Assert.True(Math.Abs(hits3 - 0.3 * m) < 5 * Math.Sqrt(m * 0.3 * 0.7), $"p=0.3: {hits3}");
        Assert.True(Math.Abs(hits9 - 0.9 * m) < 5 * Math.Sqrt(m * 0.9 * 0.1), $"p=0.9: {hits9}");
    }

    [Fact]
    public void FillPoissonBinomialGeometric_MatchScalarSamplersOnTheSameStream()
    {
        float[] rate = { 0.5f, 20f, 0f, 3f }, total = { 10f, 200f, 0f, 7f }, p = { 0.3f, 0.6f, 0.5f, 1f };
        var dst = new float[4];
        var a = new Rng(101);
        var b = new Rng(101);
        a.FillPoisson(rate, dst);
        for (int i = 0; i < 4; i++) Assert.Equal(b.Poisson(rate[i]), dst[i]);
        a.FillBinomial(total, p, dst);
        for (int i = 0; i < 4; i++) Assert.Equal(b.Binomial((int)total[i], p[i]), dst[i]);
        a.FillGeometric(p, dst);
        for (int i = 0; i < 4; i++) Assert.Equal(b.Geometric(p[i]), dst[i]);
        Assert.Throws<ArgumentOutOfRangeException>(() => a.FillBinomial(new[] { 2.5f }, new[] { 0.5f }, new float[1]));
        Assert.Throws<ArgumentException>(() => a.FillPoisson(rate, new float[3]));
    }

    [Fact]
    public void FillCategorical_Rows_FollowTheirOwnWeights()
    {
        var rng = new Rng(102);
        const int rows = 30_000;
        var w = new float[rows * 3];
        for (int r = 0; r < rows; r++)
        {
            // Even rows only allow category 2; odd rows are 1:1:2.
            if (r % 2 == 0) { w[3 * r + 2] = 1f; }
            else { w[3 * r] = 1f; w[3 * r + 1] = 1f; w[3 * r + 2] = 2f; }
        }
        var dst = new float[rows];
        rng.FillCategorical(w, 3, dst);
        var counts = new int[3];
        for (int r = 0; r < rows; r++)
        {
            if (r % 2 == 0) Assert.Equal(2f, dst[r]);
            else counts[(int)dst[r]]++;
        }
        int m = rows / 2;
        double chi2 = Math.Pow(counts[0] - m / 4.0, 2) / (m / 4.0) + Math.Pow(counts[1] - m / 4.0, 2) / (m / 4.0) + Math.Pow(counts[2] - m / 2.0, 2) / (m / 2.0);
        // χ² with 2 degrees of freedom: the 0.999 quantile is 13.82.
        Assert.True(chi2 < 13.82, $"χ² = {chi2}");
        Assert.Throws<ArgumentException>(() => rng.FillCategorical(w, 4, dst));
    }
}
