using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Random;
using Ppl.Runtime.Tensors;
using Ppl.Runtime.Tests.Autodiff;
using RBernoulli = Ppl.Runtime.Distributions.Bernoulli;

namespace Ppl.Runtime.Tests.Distributions;

public class BernoulliTests
{
    // Reference: log p(x) = x·log p + (1 − x)·log(1 − p), in double at the float parameter.
    static double Reference(double p, double x) =>
        (x == 0 ? 0 : x * Math.Log(p)) + (x == 1 ? 0 : (1 - x) * (p < 1e-8 ? -p - p * p / 2 : Math.Log(1 - p)));

    [Theory]
    [InlineData(0.3, 0)] [InlineData(0.3, 1)] [InlineData(1e-30, 0)] [InlineData(1e-30, 1)] [InlineData(0.9999999, 1)]
    [InlineData(0.9999999, 0)] [InlineData(0, 0)] [InlineData(1, 1)] [InlineData(0.5, 0.25)] [InlineData(0.01, 0.7)]
    public void LogProb_Probs_MatchesMathNetAndCrossEntropy(double p, double x)
    {
        float pf = (float)p;
        double expected = Reference(pf, x);
        // MathNet's log(1 − p) is naive (0 at p = 1e−30), so it is the reference only to 1e−12 absolute.
        if (x is 0 or 1) Assert.Equal(expected, MathNet.Numerics.Distributions.Bernoulli.PMFLn(pf, (int)x), 1e-12);
        float got = RBernoulli.FromProbs(pf).LogProb((float)x).ToScalar();
        // One double evaluation rounded to float: relative error ≤ 2^-24 (plus MathNet's ~1e-15).
        Assert.Equal(expected, got, Math.Abs(expected) * 1e-7 + 1e-30);
    }

    [Theory]
    [InlineData(0, 1)] [InlineData(2.5, 0)] [InlineData(-40, 1)] [InlineData(-40, 0)] [InlineData(40, 1)] [InlineData(40, 0)]
    [InlineData(-500, 0)] [InlineData(500, 0)] [InlineData(500, 1)] [InlineData(3, 0.4)]
    public void LogProb_Logits_StableAtExtremeLogits(double l, double x)
    {
        // At l = 40 the exact log σ(l) ≈ −4.2e−18 must keep its relative accuracy (the naive x·l − softplus(l) gives 0
        // there), and at l = ±500 nothing may overflow.
        double expected = (x == 0 ? 0 : x * LogSigmoidRef(l)) + (x == 1 ? 0 : (1 - x) * LogSigmoidRef(-l));
        float got = RBernoulli.FromLogits((float)l).LogProb((float)x).ToScalar();
        Assert.Equal(expected, got, Math.Abs(expected) * 1e-6 + 1e-45);
    }

    [Fact]
    public void LogProb_Gradients_MatchFiniteDifferences()
    {
        var x = Tensor.Vector(0f, 1f, 0.3f, 0.9f);
        GradCheck.Check(v => RBernoulli.FromLogits(v[1]).LogProb(v[0]), x, Tensor.Vector(-2f, 0.5f, 1.5f, 3f));
        GradCheck.Check(v => RBernoulli.FromProbs(v[1]).LogProb(v[0]), x, Tensor.Vector(0.2f, 0.5f, 0.7f, 0.95f));
        // Broadcast: one parameter for four values; its adjoint sums the four.
        GradCheck.Check(v => RBernoulli.FromLogits(v[1]).LogProb(v[0]), x, Tensor.Scalar(0.7f));
    }

    [Fact]
    public void LogProb_ProbsAtZeroAndOne_GivesFiniteGradientWhereTheValueIsPossible()
    {
        var tape = new Tape();
        var p = tape.Attach(Var.Parameter(Tensor.Vector(0f, 1f)));
        var lp = RBernoulli.FromProbs(p).LogProb(Tensor.Vector(0f, 1f));
        Assert.Equal([0f, 0f], lp.Value.ToArray());
        tape.Backward(Ops.Sum(lp));
        // d/dp [log(1 − p)] at p = 0 is −1; d/dp [log p] at p = 1 is 1.
        Assert.Equal([-1f, 1f], p.Grad!.ToArray());
    }

    [Fact]
    public void Sample_MeanAndChiSquare_MatchProbability()
    {
        const int n = 20_000;
        var d = RBernoulli.FromLogits(Tensor.Vector(-1.2f, 0f, 2f));
        var s = d.Sample(new Rng(5), [n]);
        Assert.Equal([n, 3], s.Shape);
        for (int j = 0; j < 3; j++)
        {
            double p = 1 / (1 + Math.Exp(-d.Logits.Value.Span[j]));
            var col = Column(s, j, 3);
            // The mean of n draws has SE √(p(1 − p)/n); 5 SE. (The sample variance of 0/1 draws is a function of their
            // mean, so it is not checked separately.)
            double m = col.Average(v => (double)v);
            Assert.InRange(m, p - 5 * Math.Sqrt(p * (1 - p) / n), p + 5 * Math.Sqrt(p * (1 - p) / n));
            GoodnessOfFit.AssertChiSquare(col, k => k == 1 ? p : 1 - p, 1, $"column {j}");
        }
    }

    [Fact]
    public void Sample_ProbsZeroAndOne_AreDeterministic()
    {
        var s = RBernoulli.FromProbs(Tensor.Vector(0f, 1f)).Sample(new Rng(1), [1000]).ToArray();
        for (int i = 0; i < s.Length; i++) Assert.Equal(i % 2 == 0 ? 0f : 1f, s[i]);
    }

    [Theory]
    [InlineData(0.3)] [InlineData(1e-6)] [InlineData(0.999)]
    public void MeanVarianceEntropy_MatchMathNet(double p)
    {
        float pf = (float)p;
        var m = new MathNet.Numerics.Distributions.Bernoulli(pf);
        float logit = (float)Math.Log(pf / (1.0 - pf));
        foreach (var d in new[] { RBernoulli.FromProbs(pf), RBernoulli.FromLogits(logit) })
        {
            double tol(double e) => Math.Abs(e) * 1e-5 + 1e-12;
            Assert.Equal(m.Mean, d.Mean.ToScalar(), tol(m.Mean));
            Assert.Equal(m.Variance, d.Variance.ToScalar(), tol(m.Variance));
            Assert.Equal(m.Entropy, d.Entropy().ToScalar(), tol(m.Entropy));
        }
    }

    [Fact]
    public void Entropy_Gradient_MatchesFiniteDifferences()
    {
        GradCheck.Check(v => RBernoulli.FromLogits(v[0]).Entropy(), Tensor.Vector(-3f, 0.2f, 4f));
        GradCheck.Check(v => RBernoulli.FromProbs(v[0]).Entropy(), Tensor.Vector(0.1f, 0.5f, 0.8f));
    }

    [Fact]
    public void EnumerateSupport_ListsZeroAndOne_AndMassesSumToOne()
    {
        var d = RBernoulli.FromLogits(Tensor.Vector(-0.5f, 3f, 7f));
        Assert.True(d.HasEnumerateSupport);
        var v = d.EnumerateSupport();
        Assert.Equal([2, 3], v.Shape);
        Assert.Equal([0f, 0f, 0f, 1f, 1f, 1f], v.ToArray());
        var lp = d.LogProb(Var.Const(v)).Value;
        for (int j = 0; j < 3; j++) Assert.Equal(1.0, Math.Exp(lp[0, j]) + Math.Exp(lp[1, j]), 1e-6);
    }

    [Fact]
    public void Expand_BroadcastsParameters()
    {
        var e = RBernoulli.FromLogits(0.3f).Expand([2, 3]);
        Assert.Equal([2, 3], e.BatchShape);
        Assert.Equal([4, 2, 3], e.Sample(new Rng(1), [4]).Shape);
        Assert.Equal([2, 3], e.LogProb(1f).Shape);
        Assert.False(e.HasRSample);
        Assert.True(e.IsDiscrete);
    }

    // log σ(l) in double: −log1p(e^(−l)) for l ≥ 0, l − log1p(e^l) below, with log1p(e) = e − e²/2 for tiny e.
    static double LogSigmoidRef(double l)
    {
        static double Log1p(double e) => e < 1e-8 ? e - e * e / 2 : Math.Log(1 + e);
        return l >= 0 ? -Log1p(Math.Exp(-l)) : l - Log1p(Math.Exp(l));
    }

    internal static float[] Column(Tensor t, int j, int m)
    {
        var s = t.Span;
        var c = new float[s.Length / m];
        for (int i = 0; i < c.Length; i++) c[i] = s[i * m + j];
        return c;
    }
}
