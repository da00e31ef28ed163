using Ppl.Runtime.Random;
using Ppl.Runtime.Tensors;
using Ppl.Runtime.Tests.Autodiff;
using MPoisson = MathNet.Numerics.Distributions.Poisson;
using RPoisson = Ppl.Runtime.Distributions.Poisson;

namespace Ppl.Runtime.Tests.Distributions;

public class PoissonTests
{
    [Theory]
    [InlineData(3.5, 0)] [InlineData(3.5, 2)] [InlineData(3.5, 40)] [InlineData(1e-20, 0)] [InlineData(1e-20, 3)]
    [InlineData(1e4, 10000)] [InlineData(1e4, 9700)] [InlineData(1e6, 1000000)] [InlineData(0.5, 1)]
    public void LogProb_MatchesMathNet(double rate, int k)
    {
        float r = (float)rate;
        double expected = MPoisson.PMFLn(r, k);
        float got = new RPoisson(r).LogProb(k).ToScalar();
        // One double evaluation rounded once: 2^-24 relative of the result; MathNet's log Γ(k + 1) carries ~1e-15
        // relative of k·log k (1e-8 absolute at k = 1e6). A float composition would be off by ε₃₂·k·log k ≈ 1 there.
        Assert.Equal(expected, got, Math.Abs(expected) * 1e-7 + 1e-14 * k * Math.Log(k + 1) + 1e-12);
    }

    [Fact]
    public void LogProb_ZeroRate_IsCertainAtZero()
    {
        var lp = new RPoisson(0f).LogProb(Tensor.Vector(0f, 1f, -1f)).Value.ToArray();
        Assert.Equal([0f, float.NegativeInfinity, float.NegativeInfinity], lp);
    }

    [Fact]
    public void LogProb_Gradients_MatchFiniteDifferences() =>
        GradCheck.Check(v => new RPoisson(v[1]).LogProb(v[0]), Tensor.Vector(0f, 3f, 12.5f), Tensor.Vector(0.7f, 4f, 10f));

    [Fact]
    public void Sample_MomentsAndChiSquare_MatchMathNet()
    {
        const int n = 20_000;
        float[] rates = [0.5f, 5f, 50f, 1000f];
        var s = new RPoisson(Tensor.Vector(rates)).Sample(new Rng(11), [n]);
        Assert.Equal([n, 4], s.Shape);
        for (int j = 0; j < rates.Length; j++)
        {
            var col = BernoulliTests.Column(s, j, rates.Length);
            GoodnessOfFit.AssertMoments(col, rates[j], rates[j], $"rate {rates[j]}");
            GoodnessOfFit.AssertChiSquare(col, k => MPoisson.PMF(rates[j], k), (int)(rates[j] * 3 + 20), $"rate {rates[j]}");
        }
    }

    [Fact]
    public void MeanVariance_AreTheRate()
    {
        var d = new RPoisson(Tensor.Vector(0.5f, 7f));
        Assert.Equal([0.5f, 7f], d.Mean.Value.ToArray());
        Assert.Equal([0.5f, 7f], d.Variance.Value.ToArray());
        Assert.False(d.HasEnumerateSupport);
        Assert.Equal("nonnegative_integer", d.Support.Name);
    }

    [Fact]
    public void Expand_BroadcastsRate()
    {
        var e = new RPoisson(2f).Expand([2, 3]);
        Assert.Equal([2, 3], e.BatchShape);
        Assert.Equal([2, 3], e.LogProb(1f).Shape);
        Assert.Equal([4, 2, 3], e.Sample(new Rng(1), [4]).Shape);
    }
}
