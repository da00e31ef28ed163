using Ppl.Runtime.Random;

namespace Ppl.Runtime.Tests.Random;

public class RngPoissonTests
{
    [Theory]
    [InlineData(0.5)]
    [InlineData(5.0)]
    [InlineData(9.99)]  // last inversion rate
    [InlineData(10.0)]  // first PTRS rate
    [InlineData(50.0)]
    [InlineData(1000.0)]
    public void Poisson_Rates_KsAgainstMathNetAndMoments(double rate)
    {
        var rng = new Rng(60 + (ulong)rate);
        int[] k = GoodnessOfFit.DrawInt(20_000, () => rng.Poisson(rate));
        GoodnessOfFit.AssertKs(k, v => v < 0 ? 0 : MathNet.Numerics.Distributions.Poisson.CDF(rate, v), $"Poisson({rate})");
        double[] big = GoodnessOfFit.DrawInt(200_000, () => rng.Poisson(rate)).Select(v => (double)v).ToArray();
        GoodnessOfFit.AssertMoments(big, rate, rate, $"Poisson({rate})");
    }

    [Fact]
    public void Poisson_Edges()
    {
        var rng = new Rng(61);
        Assert.Equal(0, rng.Poisson(0));
        double[] x = GoodnessOfFit.DrawInt(50_000, () => rng.Poisson(1e8)).Select(v => (double)v).ToArray();
        GoodnessOfFit.AssertMoments(x, 1e8, 1e8, "Poisson(1e8)");
        Assert.Throws<ArgumentOutOfRangeException>(() => rng.Poisson(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => rng.Poisson(double.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => rng.Poisson(2e9));
    }
}
