using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Random;
using Ppl.Runtime.Tensors;
using RelaxedB = Ppl.Runtime.Distributions.RelaxedBernoulli;
using RelaxedCat = Ppl.Runtime.Distributions.RelaxedOneHotCategorical;

namespace Ppl.Runtime.Tests.Distributions;

public class RelaxedOneHotCategoricalTests
{
    static Var V(params float[] v) => Var.Const(Tensor.Vector(v));

    /// <summary>Maddison et al. (2017) definition 1 in double: (K − 1)! λ^{K−1} Πₖ αₖ yₖ^{−λ−1} / (Σᵢ αᵢ yᵢ^{−λ})^K, in logs.</summary>
    static double RefLogPdf(double lambda, double[] logits, double[] y)
    {
        int k = y.Length;
        double lse = Math.Log(logits.Sum(Math.Exp));
        double s = MathNet.Numerics.SpecialFunctions.FactorialLn(k - 1) + (k - 1) * Math.Log(lambda), inner = 0;
        for (int i = 0; i < k; i++)
        {
            double la = logits[i] - lse;
            s += la - (lambda + 1) * Math.Log(y[i]);
            inner += Math.Exp(la - lambda * Math.Log(y[i]));
        }
        return s - k * Math.Log(inner);
    }

    [Theory]
    [InlineData(0.5, 0.2, 0.3, 0.5)] [InlineData(0.1, 0.98, 0.01, 0.01)] [InlineData(2, 1e-4, 0.5, 0.4999)] [InlineData(1, 0.333, 0.333, 0.334)]
    public void LogProb_MatchesConcreteDensity(double lambda, double y0, double y1, double y2)
    {
        double[] logits = [0.5, -1, 2];
        double expected = RefLogPdf((float)lambda, logits, [(float)y0, (float)y1, (float)y2]);
        double actual = RelaxedCat.FromLogits((float)lambda, V(0.5f, -1f, 2f)).LogProb(V((float)y0, (float)y1, (float)y2)).ToScalar();
        Assert.Equal(expected, actual, Math.Abs(expected) * 1e-5 + 2e-4);
    }

    [Theory] [InlineData(0.3, 0.2)] [InlineData(2, 0.9)]
    public void LogProb_TwoClasses_EqualsRelaxedBernoulli(double lambda, double y)
    {
        // With logits (l, 0) the first coordinate of a two-class Concrete draw is a binary Concrete with logit l.
        var cat = RelaxedCat.FromLogits((float)lambda, V(1.3f, 0f)).LogProb(V((float)y, (float)(1 - y))).ToScalar();
        var bin = RelaxedB.FromLogits((float)lambda, 1.3f).LogProb((float)y).ToScalar();
        Assert.Equal(bin, cat, 1e-4);
    }

    [Fact]
    public void LogProb_ThreeClasses_IntegratesToOneOverSimplex()
    {
        // Midpoint rule on the triangle y₀, y₁ > 0, y₀ + y₁ < 1 (step 1/400). λ = 1 with K = 3 makes the density
        // vanish at the edges (exponent λ(K − 1) − 1 = 1), so the rule's O(h) edge error is ≈ 10⁻³.
        var d = RelaxedCat.FromLogits(1f, V(0.4f, -0.6f, 0.9f));
        const int m = 400;
        double h = 1.0 / m;
        var pts = new List<float>();
        for (int i = 0; i < m; i++)
            for (int j = 0; i + j < m - 1; j++)
            {
                double a = (i + 1 / 3.0) * h, b = (j + 1 / 3.0) * h;
                pts.AddRange([(float)a, (float)b, (float)(1 - a - b)]);
                a = (i + 2 / 3.0) * h; b = (j + 2 / 3.0) * h;
                pts.AddRange([(float)a, (float)b, (float)(1 - a - b)]);
            }
        var lp = d.LogProb(Var.Const(Tensor.FromArray(pts.ToArray(), pts.Count / 3, 3))).Value.ToArray();
        double sum = lp.Sum(v => Math.Exp(v)) * h * h / 2;
        Assert.Equal(1, sum, 5e-3);
    }

    [Fact]
    public void Sample_ArgmaxFrequencies_AreTheCategoricalProbabilities()
    {
        // The Gumbel-max trick: argmax of a Concrete draw is Categorical(softmax(l)) exactly, whatever λ.
        // Chi-square over K = 3 cells (2 df): P(χ² > 20) = 4.5·10⁻⁵.
        const int n = 30_000;
        float[] logits = [0.5f, -1f, 1.2f];
        var s = RelaxedCat.FromLogits(0.7f, V(logits)).Sample(new Rng(4), [n]);
        var counts = new int[3];
        for (int r = 0; r < n; r++)
        {
            int best = 0;
            for (int j = 1; j < 3; j++) if (s[r, j] > s[r, best]) best = j;
            counts[best]++;
        }
        double z = logits.Sum(v => Math.Exp(v)), chi2 = 0;
        for (int j = 0; j < 3; j++) { double e = n * Math.Exp(logits[j]) / z; chi2 += (counts[j] - e) * (counts[j] - e) / e; }
        Assert.True(chi2 < 20, $"chi-square {chi2}");
    }

    [Fact]
    public void Sample_LogRatios_PassKs()
    {
        // log(yᵢ/yⱼ) = (lᵢ − lⱼ + Gᵢ − Gⱼ)/λ and a difference of standard Gumbels is standard logistic.
        const int n = 20_000;
        const double lambda = 0.7;
        float[] logits = [0.5f, -1f, 1.2f];
        var s = RelaxedCat.FromLogits((float)lambda, V(logits)).Sample(new Rng(5), [n]);
        Assert.True(new RelaxedCat(1f, V(0.2f, 0.3f, 0.5f)).Support.Check(DistributionChecks.Column(s, 0, 1).AsSpan(0, 3)));
        foreach (var (i, j) in new[] { (0, 1), (2, 0) })
        {
            var r = new float[n];
            for (int t = 0; t < n; t++) r[t] = MathF.Log(s[t, i]) - MathF.Log(s[t, j]);
            double loc = (logits[i] - logits[j]) / lambda, scale = 1 / lambda;
            GoodnessOfFit.AssertKs(r, x => 1 / (1 + Math.Exp(-(x - loc) / scale)), $"log(y{i}/y{j})");
        }
    }

    [Fact]
    public void Sample_LowTemperature_StaysOnSimplexWithFiniteLogProb()
    {
        var d = RelaxedCat.FromLogits(0.02f, V(0.5f, -1f, 1.2f, 0f));
        var s = d.Sample(new Rng(6), [2000]);
        for (int r = 0; r < 2000; r++)
        {
            double sum = 0;
            for (int j = 0; j < 4; j++) { Assert.True(s[r, j] > 0); sum += s[r, j]; }
            Assert.Equal(1, sum, 1e-5);
        }
        Assert.All(d.LogProb(Var.Const(s)).Value.ToArray(), v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void BatchedTemperatureAndLogits_Broadcast()
    {
        var logits = Var.Const(Tensor.FromArray([0f, 1f, 2f, 1f, 0f, -1f], 2, 3));
        var d = RelaxedCat.FromLogits(Var.Const(Tensor.Vector(0.5f, 2f)), logits);
        Assert.Equal([2], d.BatchShape);
        Assert.Equal([3], d.EventShape);
        var y = d.Sample(new Rng(7), [5]);
        Assert.Equal([5, 2, 3], y.Shape);
        var lp = d.LogProb(Var.Const(y)).Value;
        Assert.Equal([5, 2], lp.Shape);
        var one = RelaxedCat.FromLogits(2f, V(1f, 0f, -1f)).LogProb(V(y[3, 1, 0], y[3, 1, 1], y[3, 1, 2])).ToScalar();
        Assert.Equal(one, lp[3, 1], 1e-4);
        var e = d.Expand([4, 2]);
        Assert.Equal([4, 2], e.BatchShape);
        Assert.Equal([4, 2, 3], e.Sample(new Rng(8)).Shape);
    }

    [Fact]
    public void RSample_Gradient_MatchesCommonRandomNumberFiniteDifferences() =>
        RSampleGradCheck.Check(p => RelaxedCat.FromLogits(p[0], p[1]), Ops.Square, Tensor.Scalar(0.6f), Tensor.Vector(0.4f, -1f, 0.2f));

    [Fact]
    public void RSample_StraightThrough_ForwardIsOneHotAndBackwardIsRelaxed()
    {
        float[] GradOf(bool st, out Tensor value, out float logProb)
        {
            var tape = new Tape();
            var logits = tape.Attach(Var.Parameter(Tensor.Vector(0.3f, -0.7f, 1f)));
            var d = RelaxedCat.FromLogits(0.5f, logits, straightThrough: st);
            var y = d.RSample(new Rng(9), [40]);
            value = y.Value.Clone();
            logProb = Ops.Sum(d.LogProb(y)).ToScalar();
            tape.Backward(Ops.Sum(Ops.Mul(y, Var.Const(Tensor.Vector(1f, -2f, 0.5f)))));
            return logits.Grad!.ToArray();
        }
        var soft = GradOf(false, out var relaxed, out var lpSoft);
        var hard = GradOf(true, out var oneHot, out var lpHard);
        for (int r = 0; r < 40; r++)
        {
            int best = 0;
            for (int j = 1; j < 3; j++) if (relaxed[r, j] > relaxed[r, best]) best = j;
            for (int j = 0; j < 3; j++) Assert.Equal(j == best ? 1f : 0f, oneHot[r, j]);
        }
        Assert.Equal(soft, hard);
        Assert.Equal(lpSoft, lpHard);
    }

    [Fact]
    public void LogProb_StraightThroughDrawScoredByAnotherDistribution_IsTheRelaxedSamplesDensity()
    {
        // A guide's straight-through draw replayed in the model is scored by the model's prior, another instance (and
        // an expanded copy): it must score the relaxed sample, not the one-hot value whose zeros have log density −∞.
        var guide = RelaxedCat.StraightThroughFromLogits(Var.Const(Tensor.Scalar(0.5f)), Var.Const(Tensor.Vector(0.3f, -0.7f, 1f)));
        var soft = RelaxedCat.FromLogits(0.5f, Var.Const(Tensor.Vector(0.3f, -0.7f, 1f)));
        var draw = guide.RSample(new Rng(4), [6]);
        var relaxed = soft.RSample(new Rng(4), [6]);
        var prior = RelaxedCat.StraightThroughFromProbs(Var.Const(Tensor.Scalar(0.5f)), Var.Const(Tensor.Vector(0.2f, 0.5f, 0.3f)));
        var plain = RelaxedCat.FromProbs(Var.Const(Tensor.Scalar(0.5f)), Var.Const(Tensor.Vector(0.2f, 0.5f, 0.3f)));
        Assert.Equal(plain.LogProb(relaxed).Value.ToArray(), prior.LogProb(draw).Value.ToArray());
        Assert.Equal(plain.LogProb(relaxed).Value.ToArray(), prior.Expand([6]).LogProb(draw).Value.ToArray());
        Assert.All(prior.LogProb(draw).Value.ToArray(), v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void LogProb_GradientInTemperatureLogitsAndValue_MatchesFiniteDifferences() =>
        Ppl.Runtime.Tests.Autodiff.GradCheck.Check(x => RelaxedCat.FromLogits(x[0], x[1]).LogProb(x[2]), Tensor.Vector(0.5f, 1.5f), Tensor.FromArray([0.3f, -1.2f, 0.5f, 1f, 0f, 2f], 2, 3), Tensor.Vector(0.2f, 0.7f, 0.1f));
}
