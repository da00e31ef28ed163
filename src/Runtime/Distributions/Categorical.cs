using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Distributions.Constraints;
using Ppl.Runtime.Random;
using Ppl.Runtime.Tensors;

namespace Ppl.Runtime.Distributions;

/// <summary>
/// Categorical(probs | logits) over the last axis: p(k) = pₖ/Σⱼpⱼ or softmax(l)ₖ, for k = 0..K−1. The parameter has
/// shape BatchShape ++ [K]; values are indices stored as floats, one per batch element. Neither parameterisation needs
/// normalising by the caller. Given by logits, log p(k) = lₖ − logsumexp(l) (shifted by the maximum, so logits in the
/// thousands are fine); given by probs, log p(k) = log pₖ − log Σⱼpⱼ, with the logarithm taken after picking entry k, so
/// zero probabilities elsewhere leave the value and its gradient finite.
/// </summary>
public sealed class Categorical : Distribution
{
    readonly Var? probs, logits;

    /// <summary>Categorical with (unnormalised) probabilities on the last axis (the language's positional form, docs/language.md §1.7).</summary>
    public Categorical(Var probs) : this(probs, null) { }

    Categorical(Var? probs, Var? logits)
    {
        this.probs = probs;
        this.logits = logits;
        var p = (probs ?? logits)!;
        if (p.Rank == 0) throw new ShapeException("Categorical needs a parameter with a category axis (shape [..., K])");
        NumCategories = p.Shape[^1];
        if (NumCategories == 0) throw new ShapeException("Categorical needs at least one category");
        BatchShape = p.Shape[..^1];
    }

    /// <summary>Categorical with (unnormalised) probabilities on the last axis.</summary>
    public static Categorical FromProbs(Var probs) => new(probs, null);

    /// <summary>Categorical with (unnormalised) log-probabilities on the last axis: p = softmax(logits).</summary>
    public static Categorical FromLogits(Var logits) => new(null, logits);

    /// <summary>K, the number of categories.</summary>
    public int NumCategories { get; }

    /// <summary>Normalised probabilities, shape BatchShape ++ [K].</summary>
    public Var Probs => logits is not null ? Ops.Softmax(logits, -1) : Normalised(probs!);

    static Var Normalised(Var p) => p / Ops.Sum(p, -1, keepDims: true);

    /// <summary>Normalised log-probabilities, shape BatchShape ++ [K] (−∞ for zero probabilities).</summary>
    public Var Logits => logits is not null ? LogSoftmax(logits) : Ops.Log(Probs);

    /// <summary>
    /// log softmax with the row maximum subtracted first (a constant, so the gradient is unchanged): l − max is exact,
    /// so the result keeps its digits even when the logits are in the thousands, where l − logsumexp(l) would lose
    /// them to the rounding of logsumexp at that magnitude.
    /// </summary>
    static Var LogSoftmax(Var l) => Ops.LogSoftmax(l - Ops.Detach(Ops.Max(l, -1, keepDims: true)), -1);

    /// <inheritdoc/>
    public override int[] BatchShape { get; }
    /// <inheritdoc/>
    public override Constraint Support => Constraint.IntegersBetween(0, NumCategories - 1);

    /// <summary>
    /// log p(k) = l_k − logsumexp(l) (logits) or log p_k − log Σⱼ pⱼ (probs). <paramref name="value"/> holds indices and
    /// broadcasts against BatchShape.
    /// </summary>
    public override Var LogProb(Var value)
    {
        if (logits is not null) return TakeAlongLastAxis(LogSoftmax(logits), value);
        var picked = TakeAlongLastAxis(probs!, value);
        var total = Ops.Sum(probs!, -1);
        return Ops.Log(picked) - Ops.Log(total);
    }

    /// <summary>
    /// out[i] = table[i, value[i]]: the entry of the last axis that each value names, over the broadcast of value's
    /// shape and the table's batch shape. Done as one flat gather, so the adjoint reaches only the picked entries.
    /// </summary>
    Var TakeAlongLastAxis(Var table, Var value)
    {
        int k = NumCategories;
        var outShape = Shapes.Broadcast(value.Shape, BatchShape);
        var full = Ops.BroadcastTo(table, [.. outShape, k]);
        var v = value.Value;
        int n = Shapes.Size(outShape);
        var idx = new int[n];
        var vs = v.Span;
        var strides = BroadcastStrides(v.Shape, outShape);
        var counter = new int[outShape.Length];
        for (int i = 0; i < n; i++)
        {
            int off = 0;
            for (int d = 0; d < counter.Length; d++) off += counter[d] * strides[d];
            float x = vs[off];
            int c = (int)x;
            if (c != x || c < 0 || c >= k)
                throw new ArgumentOutOfRangeException(nameof(value), x, $"a Categorical over {k} categories takes indices 0..{k - 1}");
            idx[i] = i * k + c;
            for (int d = counter.Length - 1; d >= 0; d--)
            {
                if (++counter[d] < outShape[d]) break;
                counter[d] = 0;
            }
        }
        var flat = Ops.Gather(Ops.Reshape(full, n * k), new IntTensor(idx, n), 0);
        return Ops.Reshape(flat, outShape);
    }

    /// <summary>Element strides of <paramref name="shape"/> read as <paramref name="target"/> under broadcasting (0 on broadcast axes).</summary>
    static int[] BroadcastStrides(int[] shape, int[] target)
    {
        var own = Shapes.Strides(shape);
        var s = new int[target.Length];
        int lead = target.Length - shape.Length;
        for (int d = 0; d < shape.Length; d++) s[lead + d] = shape[d] == 1 ? 0 : own[d];
        return s;
    }

    /// <summary>One index per batch element by inversion of the cumulative probabilities (one uniform each).</summary>
    public override Tensor Sample(Rng rng, int[]? sampleShape = null)
    {
        var p = (logits is not null ? Ops.Softmax(Ops.Detach(logits), -1) : Normalised(Ops.Detach(probs!))).Value;
        int k = NumCategories, m = Shapes.Size(BatchShape);
        var x = Tensor.Zeros(ExtendedShape(sampleShape));
        var xs = x.Span; var ps = p.Span;
        for (int i = 0; i < xs.Length; i++)
            xs[i] = rng.Categorical(ps.Slice(i % m * k, k));
        return x;
    }

    /// <inheritdoc/>
    public override Distribution Expand(int[] batchShape)
    {
        var p = (probs ?? logits)!;
        var e = DistributionParams.Expand(p, [.. batchShape, NumCategories]);
        return logits is not null ? FromLogits(e) : FromProbs(e);
    }

    /// <summary>E[k] = Σₖ k·pₖ: the values are the integers 0..K−1, so their mean exists (PyTorch returns NaN).</summary>
    public override Var Mean => Ops.Sum(Probs * Var.Const(Indices()), -1);

    /// <summary>Var[k] = Σₖ k²·pₖ − (Σₖ k·pₖ)².</summary>
    public override Var Variance
    {
        get
        {
            var p = Probs;
            var k = Var.Const(Indices());
            var m = Ops.Sum(p * k, -1);
            return Ops.Sum(p * Ops.Square(k), -1) - Ops.Square(m);
        }
    }

    Tensor Indices()
    {
        var t = Tensor.Zeros(NumCategories);
        for (int i = 0; i < NumCategories; i++) t.Span[i] = i;
        return t;
    }

    /// <summary>
    /// H = −Σₖ pₖ·log pₖ, with 0·log 0 = 0. From logits the log-probabilities are floored at the most negative float
    /// first (as PyTorch does), so a logit of −∞ that masks a category adds nothing instead of NaN.
    /// </summary>
    public override Var Entropy()
    {
        if (logits is not null)
        {
            var lp = Ops.Maximum(LogSoftmax(logits), float.MinValue);
            return -Ops.Sum(Ops.Exp(lp) * lp, -1);
        }
        var p = Probs;
        return -Ops.Sum(Ops.XLogY(p, p), -1);
    }

    /// <inheritdoc/>
    public override bool HasEnumerateSupport => true;

    /// <summary>0..K−1 on a leading axis: shape [K] ++ BatchShape.</summary>
    public override Tensor EnumerateSupport() => DistributionParams.EnumerateValues(NumCategories, BatchShape);
}
