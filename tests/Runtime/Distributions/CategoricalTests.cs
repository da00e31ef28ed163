using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Random;
using Ppl.Runtime.Tensors;
using Ppl.Runtime.Tests.Autodiff;
using RCategorical = Ppl.Runtime.Distributions.Categorical;

namespace Ppl.Runtime.Tests.Distributions;

public class CategoricalTests
{
    static readonly float[] Weights = [0.1f, 2f, 0.5f, 0f, 1.4f];

    [Fact]
    public void LogProb_Probs_MatchesMathNetForEveryCategory()
    {
        var d = RCategorical.FromProbs(Tensor.Vector(Weights));
        var w = Weights.Select(v => (double)v).ToArray();
        var lp = d.LogProb(Tensor.Vector(0f, 1f, 2f, 3f, 4f)).Value.ToArray();
        for (int k = 0; k < w.Length; k++)
        {
            double expected = MathNet.Numerics.Distributions.Categorical.PMFLn(w, k);
            if (double.IsNegativeInfinity(expected)) Assert.Equal(float.NegativeInfinity, lp[k]);
            // log pₖ − log Σp in float: a few ulps of |log pₖ| + |log Σp|.
            else Assert.Equal(expected, lp[k], 1e-6 * (1 + Math.Abs(expected)));
        }
    }

    [Fact]
    public void LogProb_ExtremeLogits_StayFinite()
    {
        var d = RCategorical.FromLogits(Tensor.Vector(1000f, -1000f, 999f));
        var lp = d.LogProb(Tensor.Vector(0f, 1f, 2f)).Value.ToArray();
        double lse = 1000 + Math.Log(1 + Math.Exp(-1));
        Assert.Equal(1000 - lse, lp[0], 1e-5);
        Assert.Equal(-1000 - lse, lp[1], 1e-3);
        Assert.Equal(999 - lse, lp[2], 1e-4);
    }

    [Fact]
    public void LogProb_BatchedValues_BroadcastAgainstBatch()
    {
        // Batch of 2 distributions over 3 categories; values of shape [4, 2] (4 draws of the batch).
        var logits = Tensor.Matrix(new float[,] { { 0.1f, 0.7f, -0.3f }, { 2f, -1f, 0.5f } });
        var d = RCategorical.FromLogits(logits);
        Assert.Equal([2], d.BatchShape);
        var values = Tensor.Matrix(new float[,] { { 0, 2 }, { 1, 1 }, { 2, 0 }, { 0, 0 } });
        var lp = d.LogProb(values).Value;
        Assert.Equal([4, 2], lp.Shape);
        for (int i = 0; i < 4; i++)
            for (int b = 0; b < 2; b++)
            {
                var row = Enumerable.Range(0, 3).Select(k => (double)logits[b, k]).ToArray();
                double lse = Math.Log(row.Sum(Math.Exp));
                Assert.Equal(row[(int)values[i, b]] - lse, lp[i, b], 1e-6);
            }
    }

    [Fact]
    public void LogProb_OutOfRangeIndex_Throws()
    {
        var d = RCategorical.FromLogits(Tensor.Vector(0f, 0f));
        Assert.Throws<ArgumentOutOfRangeException>(() => d.LogProb(2f));
        Assert.Throws<ArgumentOutOfRangeException>(() => d.LogProb(0.5f));
    }

    [Fact]
    public void LogProb_Gradients_MatchFiniteDifferences()
    {
        var values = Tensor.Matrix(new float[,] { { 0, 2 }, { 1, 1 }, { 2, 0 } });
        var p = Tensor.Matrix(new float[,] { { 0.2f, 0.5f, 1.3f }, { 0.7f, 0.4f, 0.9f } });
        GradCheck.Check(v => RCategorical.FromLogits(v[0]).LogProb(values), p);
        GradCheck.Check(v => RCategorical.FromProbs(v[0]).LogProb(values), p);
    }

    [Fact]
    public void LogProb_ZeroProbabilityElsewhere_LeavesGradientFinite()
    {
        var tape = new Tape();
        var p = tape.Attach(Var.Parameter(Tensor.Vector(0.5f, 0f, 0.5f)));
        var lp = RCategorical.FromProbs(p).LogProb(0f);
        tape.Backward(lp);
        // ∂/∂pⱼ (log p₀ − log Σp) = δ₀ⱼ/p₀ − 1/Σp: [1, −1, −1].
        Assert.Equal([1f, -1f, -1f], p.Grad!.ToArray());
    }

    [Fact]
    public void Sample_ChiSquare_MatchesProbabilities()
    {
        const int n = 20_000;
        var d = RCategorical.FromProbs(Tensor.Vector(Weights));
        var s = d.Sample(new Rng(7), [n]);
        Assert.Equal([n], s.Shape);
        double total = Weights.Sum();
        GoodnessOfFit.AssertChiSquare(s.ToArray(), k => k < Weights.Length ? Weights[k] / total : 0, Weights.Length - 1, "categorical");
        Assert.DoesNotContain(3f, s.ToArray());
    }

    [Fact]
    public void Sample_Batched_DrawsEachRowFromItsOwnProbabilities()
    {
        const int n = 20_000;
        var logits = Tensor.Matrix(new float[,] { { 0f, 3f, 0f }, { 2f, -2f, 0f } });
        var d = RCategorical.FromLogits(logits);
        var s = d.Sample(new Rng(8), [n]);
        Assert.Equal([n, 2], s.Shape);
        for (int b = 0; b < 2; b++)
        {
            var row = Enumerable.Range(0, 3).Select(k => Math.Exp(logits[b, k])).ToArray();
            double z = row.Sum();
            GoodnessOfFit.AssertChiSquare(BernoulliTests.Column(s, b, 2), k => k < 3 ? row[k] / z : 0, 2, $"row {b}");
        }
    }

    [Fact]
    public void MeanVarianceEntropy_MatchDirectSums()
    {
        var d = RCategorical.FromProbs(Tensor.Vector(Weights));
        double total = Weights.Sum();
        var p = Weights.Select(w => w / total).ToArray();
        double mean = p.Select((q, k) => q * k).Sum();
        double var = p.Select((q, k) => q * k * k).Sum() - mean * mean;
        double h = -p.Where(q => q > 0).Select(q => q * Math.Log(q)).Sum();
        Assert.Equal(mean, d.Mean.ToScalar(), 1e-5);
        Assert.Equal(var, d.Variance.ToScalar(), 1e-5);
        Assert.Equal(h, d.Entropy().ToScalar(), 1e-6);
        // A −∞ logit masks its category: the entropy is that of the others, not NaN.
        var masked = RCategorical.FromLogits(Tensor.Vector(0f, float.NegativeInfinity, 0f));
        Assert.Equal(Math.Log(2), masked.Entropy().ToScalar(), 1e-6);
    }

    [Fact]
    public void Entropy_Gradient_MatchesFiniteDifferences()
    {
        var p = Tensor.Matrix(new float[,] { { 0.2f, 0.5f, 1.3f }, { 0.7f, 0.4f, 0.9f } });
        GradCheck.Check(v => RCategorical.FromLogits(v[0]).Entropy(), p);
        GradCheck.Check(v => RCategorical.FromProbs(v[0]).Entropy(), p);
    }

    [Fact]
    public void EnumerateSupport_GivesEveryIndexPerBatchElement_AndMassesSumToOne()
    {
        var d = RCategorical.FromLogits(Tensor.Matrix(new float[,] { { 0.1f, 0.7f, -0.3f }, { 2f, -1f, 0.5f } }));
        var v = d.EnumerateSupport();
        Assert.Equal([3, 2], v.Shape);
        Assert.Equal([0f, 0f, 1f, 1f, 2f, 2f], v.ToArray());
        var lp = d.LogProb(Var.Const(v)).Value;
        for (int b = 0; b < 2; b++) Assert.Equal(1.0, Enumerable.Range(0, 3).Sum(k => Math.Exp(lp[k, b])), 1e-6);
    }

    [Fact]
    public void Expand_AddsBatchAxes_KeepsCategoryAxis()
    {
        var e = RCategorical.FromProbs(Tensor.Vector(Weights)).Expand([2, 3]);
        Assert.Equal([2, 3], e.BatchShape);
        Assert.Equal([2, 3], e.LogProb(1f).Shape);
        Assert.Equal([4, 2, 3], e.Sample(new Rng(1), [4]).Shape);
        Assert.Equal("integer_interval(0, 4)", e.Support.Name);
    }
}
