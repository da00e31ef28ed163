using Ppl.Runtime.Random;
using Ppl.Runtime.Tensors;
using Ppl.Runtime.Tests.Autodiff;
using MNegativeBinomial = MathNet.Numerics.Distributions.NegativeBinomial;
using RNegativeBinomial = Ppl.Runtime.Distributions.NegativeBinomial;

namespace Ppl.Runtime.Tests.Distributions;

public class NegativeBinomialTests
{
    // PyTorch's convention (successes before the r-th failure, success probability p) is MathNet's (failures before
    // the r-th success, success probability q) with q = 1 − p.
    [Theory]
    [InlineData(3, 0.4, 0)] [InlineData(3, 0.4, 7)] [InlineData(0.5, 0.9, 30)] [InlineData(100, 0.2, 25)]
    [InlineData(2.5, 1e-6, 0)] [InlineData(2.5, 1e-6, 1)] [InlineData(1e4, 0.5, 10000)] [InlineData(1, 0, 0)]
    public void LogProb_MatchesMathNetWithComplementaryProbability(double r, double p, int k)
    {
        float rf = (float)r, pf = (float)p;
        // At p = 0 no success ever happens: p(0) = 1 (MathNet gives 0·log 0 = NaN there).
        double expected = pf == 0 ? (k == 0 ? 0 : double.NegativeInfinity) : MNegativeBinomial.PMFLn(rf, 1.0 - pf, k);
        float got = new RNegativeBinomial(rf, pf).LogProb(k).ToScalar();
        // Rounded once from double (2^-24 relative), MathNet's log Γ terms ~1e-15 relative of (k + r)·log(k + r),
        // and MathNet's log(1 − q) for q near 1 is exact only to 1e-16/p absolute per unit of r.
        double tol = Math.Abs(expected) * 1e-7 + 1e-14 * (k + r) * Math.Log(k + r + 1) + (pf > 0 ? r * 1e-16 / pf : 0) + 1e-12;
        Assert.Equal(expected, got, tol);
    }

    [Fact]
    public void LogProb_Gradients_MatchFiniteDifferences() =>
        GradCheck.Check(v => new RNegativeBinomial(v[1], v[2]).LogProb(v[0]),
            Tensor.Vector(0f, 4f, 11f), Tensor.Vector(0.7f, 3f, 12f), Tensor.Vector(0.2f, 0.5f, 0.6f));

    [Fact]
    public void Sample_MomentsAndChiSquare_MatchMathNet()
    {
        const int n = 20_000;
        (float R, float P)[] cases = [(3f, 0.4f), (0.5f, 0.8f), (40f, 0.3f)];
        var d = new RNegativeBinomial(Tensor.Vector(cases.Select(c => c.R).ToArray()), Tensor.Vector(cases.Select(c => c.P).ToArray()));
        var s = d.Sample(new Rng(13), [n]);
        var mean = d.Mean.Value; var variance = d.Variance.Value;
        for (int j = 0; j < cases.Length; j++)
        {
            var (r, p) = cases[j];
            Assert.Equal(r * p / (1.0 - p), mean[j], 1e-4 * mean[j]);
            Assert.Equal(r * p / ((1.0 - p) * (1.0 - p)), variance[j], 1e-4 * variance[j]);
            var col = BernoulliTests.Column(s, j, cases.Length);
            GoodnessOfFit.AssertMoments(col, mean[j], variance[j], $"r={r}");
            GoodnessOfFit.AssertChiSquare(col, k => MNegativeBinomial.PMF(r, 1.0 - p, k), (int)(mean[j] + 8 * Math.Sqrt(variance[j])) + 5, $"r={r}");
        }
    }

    [Fact]
    public void Expand_BroadcastsParameters()
    {
        var e = new RNegativeBinomial(2f, Tensor.Vector(0.3f, 0.6f)).Expand([4, 2]);
        Assert.Equal([4, 2], e.BatchShape);
        Assert.Equal([4, 2], e.LogProb(1f).Shape);
        Assert.Equal([3, 4, 2], e.Sample(new Rng(1), [3]).Shape);
    }
}
