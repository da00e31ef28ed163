using Ppl.Runtime.Random;
using Ppl.Runtime.Tensors;
using Ppl.Runtime.Tests.Autodiff;
using MGeometric = MathNet.Numerics.Distributions.Geometric;
using RGeometric = Ppl.Runtime.Distributions.Geometric;

namespace Ppl.Runtime.Tests.Distributions;

public class GeometricTests
{
    // MathNet's Geometric counts trials up to and including the first success (support 1, 2, ...); ours counts the
    // failures before it (support 0, 1, ...), so ours(k) = MathNet(k + 1).
    [Theory]
    [InlineData(0.3, 0)] [InlineData(0.3, 5)] [InlineData(0.9, 3)] [InlineData(1e-6, 0)] [InlineData(1e-6, 2000000)]
    [InlineData(0.999999, 2)] [InlineData(1, 0)] [InlineData(0.5, 60)]
    public void LogProb_MatchesMathNetShiftedByOne(double p, int k)
    {
        float pf = (float)p;
        double expected = pf == 1 ? 0 : k * Log1pRef(-pf) + Math.Log(pf);
        // MathNet computes (k)·log(1 − p) naively, which loses digits for tiny p; agree with it to its own accuracy.
        if (pf < 1) Assert.Equal(expected, MGeometric.PMFLn(pf, k + 1), Math.Abs(expected) * 1e-9 + k * 1e-16 / pf + 1e-12);
        float got = new RGeometric(pf).LogProb(k).ToScalar();
        Assert.Equal(expected, got, Math.Abs(expected) * 1e-7 + 1e-12);
    }

    static double Log1pRef(double x) => Math.Abs(x) < 1e-4 ? x - x * x / 2 + x * x * x / 3 : Math.Log(1 + x);

    [Fact]
    public void LogProb_CertainSuccess_IsExact()
    {
        var lp = new RGeometric(1f).LogProb(Tensor.Vector(0f, 1f, -1f)).Value.ToArray();
        Assert.Equal([0f, float.NegativeInfinity, float.NegativeInfinity], lp);
    }

    [Fact]
    public void LogProb_Gradients_MatchFiniteDifferences() =>
        GradCheck.Check(v => new RGeometric(v[1]).LogProb(v[0]), Tensor.Vector(0f, 3f, 10f), Tensor.Vector(0.1f, 0.5f, 0.8f));

    [Fact]
    public void Sample_CountsFailures_MomentsAndChiSquare()
    {
        const int n = 20_000;
        float[] ps = [0.05f, 0.3f, 0.9f];
        var s = new RGeometric(Tensor.Vector(ps)).Sample(new Rng(12), [n]);
        for (int j = 0; j < ps.Length; j++)
        {
            double p = ps[j];
            var col = BernoulliTests.Column(s, j, ps.Length);
            GoodnessOfFit.AssertMoments(col, (1 - p) / p, (1 - p) / (p * p), $"p={p}");
            GoodnessOfFit.AssertChiSquare(col, k => MGeometric.PMF(p, k + 1), (int)(10 / p), $"p={p}");
        }
    }

    [Theory]
    [InlineData(0.3)] [InlineData(0.01)] [InlineData(0.95)]
    public void MeanVarianceEntropy_MatchMathNet(double p)
    {
        float pf = (float)p;
        var m = new MGeometric(pf);
        var d = new RGeometric(pf);
        Assert.Equal(m.Mean - 1, d.Mean.ToScalar(), 1e-5 * m.Mean);
        Assert.Equal(m.Variance, d.Variance.ToScalar(), 1e-5 * m.Variance);
        // The entropy does not depend on the shift; MathNet gives it in bits.
        double nats = m.Entropy * Math.Log(2);
        Assert.Equal(nats, d.Entropy().ToScalar(), 1e-5 * nats);
    }

    [Fact]
    public void Entropy_Gradient_MatchesFiniteDifferences() =>
        GradCheck.Check(v => new RGeometric(v[0]).Entropy(), Tensor.Vector(0.1f, 0.5f, 0.9f));

    [Fact]
    public void Expand_BroadcastsProbability()
    {
        var e = new RGeometric(0.4f).Expand([2, 3]);
        Assert.Equal([2, 3], e.BatchShape);
        Assert.Equal([4, 2, 3], e.Sample(new Rng(1), [4]).Shape);
        Assert.Equal([2, 3], e.Entropy().Shape);
    }
}
