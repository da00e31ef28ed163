using Ppl.Runtime.Random;

namespace Ppl.Runtime.Tests.Random;

public class RngBinomialTests
{
    [Theory]
    [InlineData(20, 0.3)]      // inversion
    [InlineData(1000, 0.005)]  // inversion, n·p = 5
    [InlineData(100, 0.5)]     // BTRS
    [InlineData(50, 0.9)]      // reflected: n·(1 − p) = 5, inversion on the complement
    [InlineData(300, 0.8)]     // reflected BTRS
    [InlineData(1_000_000, 0.4)]
    public void Binomial_Parameters_KsAgainstMathNetAndMoments(int n, double p)
    {
        var rng = new Rng(70 + (ulong)n);
        int[] k = GoodnessOfFit.DrawInt(20_000, () => rng.Binomial(n, p));
        Assert.All(k, v => Assert.InRange(v, 0, n));
        GoodnessOfFit.AssertKs(k, v => v < 0 ? 0 : v >= n ? 1 : MathNet.Numerics.Distributions.Binomial.CDF(p, n, v), $"Binomial({n}, {p})");
        double[] big = GoodnessOfFit.DrawInt(200_000, () => rng.Binomial(n, p)).Select(v => (double)v).ToArray();
        GoodnessOfFit.AssertMoments(big, n * p, n * p * (1 - p), $"Binomial({n}, {p})");
    }

    [Fact]
    public void Binomial_Edges()
    {
        var rng = new Rng(71);
        Assert.Equal(0, rng.Binomial(0, 0.5));
        Assert.Equal(0, rng.Binomial(10, 0));
        Assert.Equal(10, rng.Binomial(10, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => rng.Binomial(-1, 0.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => rng.Binomial(5, 1.5));
    }
}
