using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Random;
using Ppl.Runtime.Tensors;
using Ppl.Runtime.Tests.Autodiff;
using MBinomial = MathNet.Numerics.Distributions.Binomial;
using RBinomial = Ppl.Runtime.Distributions.Binomial;

namespace Ppl.Runtime.Tests.Distributions;

public class BinomialTests
{
    [Theory]
    [InlineData(10, 0.3, 0)] [InlineData(10, 0.3, 3)] [InlineData(10, 0.3, 10)] [InlineData(1, 0.5, 1)]
    [InlineData(1000, 0.5, 500)] [InlineData(1000, 0.5, 3)] [InlineData(100000, 0.01, 1000)] [InlineData(50, 1e-6, 0)]
    [InlineData(50, 1e-6, 2)] [InlineData(50, 0.9999, 50)] [InlineData(20, 0, 0)] [InlineData(20, 1, 20)] [InlineData(20, 0, 3)]
    public void LogProb_Probs_MatchesMathNet(int n, double p, int k)
    {
        float pf = (float)p;
        double expected = MBinomial.PMFLn(pf, n, k);
        float got = RBinomial.FromProbs(n, pf).LogProb(k).ToScalar();
        if (double.IsNegativeInfinity(expected)) { Assert.Equal(float.NegativeInfinity, got); return; }
        // One double evaluation rounded to float: relative error 2^-24 of the result, plus MathNet's own error in the
        // log Γ terms (~1e-15 relative of n·log n, which is 1e-9 absolute at n = 1e5).
        Assert.Equal(expected, got, Math.Abs(expected) * 1e-7 + 1e-12 * n * Math.Log(n + 1));
    }

    [Theory]
    [InlineData(10, 0, 4)] [InlineData(10, 30, 10)] [InlineData(10, 30, 9)] [InlineData(10, -30, 0)] [InlineData(10, -30, 1)]
    [InlineData(5, 200, 5)] [InlineData(5, -200, 5)] [InlineData(1000, 2, 900)]
    public void LogProb_Logits_StableAtExtremeLogits(int n, double l, int k)
    {
        // Reference from the logits in double: log C(n, k) + k·log σ(l) + (n − k)·log σ(−l), with log σ(l) written
        // so it neither overflows nor loses e^(−|l|) against 1.
        static double LogSigmoid(double x) => x >= 0 ? -Log1p(Math.Exp(-x)) : x - Log1p(Math.Exp(x));
        static double Log1p(double e) => e < 1e-8 ? e - e * e / 2 : Math.Log(1 + e);
        double logChoose = MathNet.Numerics.SpecialFunctions.BinomialLn(n, k);
        double expected = logChoose + (k == 0 ? 0 : k * LogSigmoid(l)) + (n == k ? 0 : (n - k) * LogSigmoid(-l));
        float got = RBinomial.FromLogits(n, (float)l).LogProb(k).ToScalar();
        Assert.Equal(expected, got, Math.Abs(expected) * 1e-6 + 1e-30);
    }

    [Fact]
    public void LogProb_OutsideZeroToN_IsMinusInfinity()
    {
        var d = RBinomial.FromProbs(Tensor.Vector(3f, 5f), 0.4f);
        var lp = d.LogProb(Tensor.Vector(4f, -1f)).Value.ToArray();
        Assert.Equal([float.NegativeInfinity, float.NegativeInfinity], lp);
    }

    [Fact]
    public void LogProb_Gradients_MatchFiniteDifferences()
    {
        // k, n and the probability all get their analytic partials (k and n through the continuous extension of C(n, k)).
        var k = Tensor.Vector(1f, 4f, 7.5f);
        var n = Tensor.Vector(6f, 12f, 9f);
        GradCheck.Check(v => RBinomial.FromLogits(v[1], v[2]).LogProb(v[0]), k, n, Tensor.Vector(-1f, 0.3f, 2f));
        GradCheck.Check(v => RBinomial.FromProbs(v[1], v[2]).LogProb(v[0]), k, n, Tensor.Vector(0.2f, 0.5f, 0.8f));
    }

    [Fact]
    public void Sample_MomentsAndChiSquare_MatchMathNet()
    {
        const int draws = 20_000;
        (int N, float P)[] cases = [(10, 0.3f), (200, 0.05f), (1000, 0.6f)];
        var d = RBinomial.FromProbs(Tensor.Vector(cases.Select(c => (float)c.N).ToArray()), Tensor.Vector(cases.Select(c => c.P).ToArray()));
        var s = d.Sample(new Rng(9), [draws]);
        Assert.Equal([draws, 3], s.Shape);
        for (int j = 0; j < cases.Length; j++)
        {
            var (n, p) = cases[j];
            var col = BernoulliTests.Column(s, j, 3);
            GoodnessOfFit.AssertMoments(col, n * (double)p, n * (double)p * (1 - p), $"n={n}");
            GoodnessOfFit.AssertChiSquare(col, k => MBinomial.PMF(p, n, k), n, $"n={n}");
        }
    }

    [Fact]
    public void Sample_FromLogits_UsesSigmoid()
    {
        var s = RBinomial.FromLogits(20f, 1.5f).Sample(new Rng(10), [20_000]).ToArray();
        double p = 1 / (1 + Math.Exp(-1.5));
        GoodnessOfFit.AssertChiSquare(s, k => MBinomial.PMF(p, 20, k), 20, "logits");
    }

    [Fact]
    public void MeanVarianceEntropy_MatchMathNet()
    {
        var m = new MBinomial(0.3f, 12);
        foreach (var d in new[] { RBinomial.FromProbs(12f, 0.3f), RBinomial.FromLogits(12f, (float)Math.Log(0.3f / (1 - 0.3f))) })
        {
            Assert.Equal(m.Mean, d.Mean.ToScalar(), 1e-5);
            Assert.Equal(m.Variance, d.Variance.ToScalar(), 1e-5);
            Assert.Equal(m.Entropy, d.Entropy().ToScalar(), 1e-5);
        }
    }

    [Fact]
    public void Entropy_Gradient_MatchesFiniteDifferences() =>
        GradCheck.Check(v => RBinomial.FromLogits(8f, v[0]).Entropy(), Tensor.Vector(-1f, 0.5f, 2f));

    [Fact]
    public void EnumerateSupport_ListsZeroToN_AndMassesSumToOne()
    {
        var d = RBinomial.FromLogits(4f, Tensor.Vector(-0.5f, 1f));
        Assert.True(d.HasEnumerateSupport);
        var v = d.EnumerateSupport();
        Assert.Equal([5, 2], v.Shape);
        var lp = d.LogProb(Var.Const(v)).Value;
        for (int b = 0; b < 2; b++) Assert.Equal(1.0, Enumerable.Range(0, 5).Sum(k => Math.Exp(lp[k, b])), 1e-6);
        Assert.Throws<NotSupportedException>(() => RBinomial.FromProbs(Tensor.Vector(3f, 4f), 0.5f).EnumerateSupport());
    }

    [Fact]
    public void Sample_NonIntegerCount_Throws_NegativeCountRejected()
    {
        Assert.Throws<InvalidOperationException>(() => RBinomial.FromProbs(2.5f, 0.5f).Sample(new Rng(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => RBinomial.FromProbs(-1f, 0.5f));
    }

    [Fact]
    public void Expand_BroadcastsCountAndProbability()
    {
        var e = new RBinomial(5f, 0.5f).Expand([2, 3]);
        Assert.Equal([2, 3], e.BatchShape);
        Assert.Equal([2, 3], e.LogProb(2f).Shape);
        Assert.Equal([4, 2, 3], e.Sample(new Rng(1), [4]).Shape);
        Assert.Equal([2, 3], e.Mean.Shape);
    }
}
