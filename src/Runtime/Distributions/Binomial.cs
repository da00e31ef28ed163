using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Distributions.Constraints;
using Ppl.Runtime.Random;
using Ppl.Runtime.Tensors;

namespace Ppl.Runtime.Distributions;

/// <summary>
/// Binomial(n, probs | logits): the number of successes in n independent trials with success probability p,
/// p(k) = C(n, k)·pᵏ(1 − p)ⁿ⁻ᵏ for k = 0..n. The count n is a tensor too (it broadcasts with p); values are integers
/// stored as floats (n may be any real ≥ 0 in the log-mass, the continuous extension through Γ; sampling and
/// enumerating need whole numbers). The log-mass is evaluated in double as one fused op: log C(n, k) from three log Γ terms whose
/// cancellation would cost a float composition ε₃₂·n·log n, then k·log σ(l) + (n − k)·log σ(−l) from logits or
/// k·log p + (n − k)·log1p(−p) from probs (0·log 0 = 0, so p = 0 or 1 is exact). Values outside 0..n have log-mass −∞.
/// </summary>
public sealed class Binomial : Distribution
{
    readonly Var? probs, logits;

    /// <summary>Binomial with <paramref name="totalCount"/> trials of success probability <paramref name="probs"/>
    /// (the language's positional form, docs/language.md §1.7).</summary>
    public Binomial(Var totalCount, Var probs) : this(totalCount, probs, null) { }

    Binomial(Var totalCount, Var? probs, Var? logits)
    {
        TotalCount = totalCount;
        this.probs = probs;
        this.logits = logits;
        BatchShape = DistributionParams.BatchShape(totalCount, (probs ?? logits)!);
        var ns = totalCount.Value.Span;
        float max = 0;
        integerCounts = true;
        foreach (float n in ns)
        {
            if (!(n >= 0) || float.IsPositiveInfinity(n))
                throw new ArgumentOutOfRangeException(nameof(totalCount), n, "a Binomial's total count must be finite and non-negative");
            integerCounts &= n == MathF.Round(n);
            max = MathF.Max(max, n);
        }
        MaxCount = (int)max;
        Homogeneous = ns.Length == 0 || !ns.ContainsAnyExcept(ns[0]);
    }

    readonly bool integerCounts;

    /// <summary>Binomial with n trials of success probability p.</summary>
    public static Binomial FromProbs(Var totalCount, Var probs) => new(totalCount, probs, null);

    /// <summary>Binomial with n trials of log-odds l: p = σ(l).</summary>
    public static Binomial FromLogits(Var totalCount, Var logits) => new(totalCount, null, logits);

    /// <summary>The number of trials n (integers stored as floats).</summary>
    public Var TotalCount { get; }

    /// <summary>The largest n in the batch (the upper end of <see cref="Support"/>).</summary>
    public int MaxCount { get; }

    /// <summary>Whether every batch element has the same n (required by <see cref="EnumerateSupport"/>).</summary>
    bool Homogeneous { get; }

    /// <summary>The success probability (σ(logits) when given by logits).</summary>
    public Var Probs => probs ?? Ops.Sigmoid(logits!);

    /// <summary>The log-odds (logit(probs) when given by probs).</summary>
    public Var Logits => logits ?? Ops.Logit(probs!);

    /// <inheritdoc/>
    public override int[] BatchShape { get; }

    /// <summary>0..max n (per element the support is 0..n; a constraint has one set for the whole batch).</summary>
    public override Constraint Support => Constraint.IntegersBetween(0, MaxCount);

    /// <summary>log p(k) = log C(n, k) + k·log p + (n − k)·log(1 − p), −∞ outside 0 ≤ k ≤ n.</summary>
    public override Var LogProb(Var value) => logits is not null
        ? Ops.Elementwise<LogitsMass>(value, TotalCount, logits)
        : Ops.Elementwise<ProbsMass>(value, TotalCount, probs!);

    /// <summary>One draw per element from the Rng's binomial sampler (inversion for small n·p, BTRS otherwise).</summary>
    public override Tensor Sample(Rng rng, int[]? sampleShape = null)
    {
        RequireIntegerCounts();
        var p = (probs ?? logits)!.Value;
        if (logits is not null)
        {
            var sig = Tensor.Zeros(p.Shape);
            Kernels.Sigmoid(p.Span, sig.Span);
            p = sig;
        }
        var x = Tensor.Zeros(ExtendedShape(sampleShape));
        var pb = DistributionParams.BroadcastValues(p, BatchShape);
        var nb = DistributionParams.BroadcastValues(TotalCount.Value, BatchShape);
        var xs = x.Span; var ps = pb.Span; var ns = nb.Span;
        int m = ps.Length;
        for (int i = 0; i < xs.Length; i++) xs[i] = rng.Binomial((int)ns[i % m], ps[i % m]);
        return x;
    }

    /// <inheritdoc/>
    public override Distribution Expand(int[] batchShape)
    {
        var n = DistributionParams.Expand(TotalCount, batchShape);
        return logits is not null
            ? FromLogits(n, DistributionParams.Expand(logits, batchShape))
            : FromProbs(n, DistributionParams.Expand(probs!, batchShape));
    }

    /// <summary>E[k] = n·p.</summary>
    public override Var Mean => Ops.BroadcastTo(TotalCount * Probs, BatchShape);

    /// <summary>Var[k] = n·p·(1 − p) (σ(l)·σ(−l) from logits).</summary>
    public override Var Variance => Ops.BroadcastTo(logits is not null
        ? TotalCount * Ops.Sigmoid(logits) * Ops.Sigmoid(-logits)
        : TotalCount * probs! * (1f - probs!), BatchShape);

    /// <summary>
    /// H = −Σₖ p(k)·log p(k) summed over the enumerated support (no closed form); needs one n for the whole batch.
    /// Log-masses of −∞ are floored at the most negative float so they add 0, not NaN.
    /// </summary>
    public override Var Entropy()
    {
        var values = Var.Const(EnumerateSupport());
        var lp = Ops.Maximum(LogProb(values), float.MinValue);
        return -Ops.Sum(Ops.Exp(lp) * lp, 0);
    }

    /// <inheritdoc/>
    public override bool HasEnumerateSupport => true;

    /// <summary>0..n on a leading axis: shape [n + 1] ++ BatchShape. Needs the same n for every batch element.</summary>
    public override Tensor EnumerateSupport()
    {
        RequireIntegerCounts();
        if (!Homogeneous)
            throw new NotSupportedException("a Binomial can enumerate its support only when every batch element has the same total count");
        return DistributionParams.EnumerateValues(MaxCount + 1, BatchShape);
    }

    /// <summary>
    /// The log-mass takes any real n ≥ 0 (through Γ, so n can be checked or even fitted as a continuous quantity), but
    /// drawing or listing values needs whole numbers of trials.
    /// </summary>
    void RequireIntegerCounts()
    {
        if (!integerCounts) throw new InvalidOperationException("a Binomial needs whole-number total counts to be sampled or enumerated");
    }

    static bool OutOfSupport(double k, double n) => !(k >= 0 && k <= n);

    /// <summary>
    /// f(k, n, l) = log C(n, k) + k·log σ(l) + (n − k)·log σ(−l);
    /// ∂k = ψ(n − k + 1) − ψ(k + 1) + l, ∂n = ψ(n + 1) − ψ(n − k + 1) + log σ(−l), ∂l = k − n·σ(l).
    /// </summary>
    readonly struct LogitsMass : IScalarFunction3
    {
        public static double Value(double k, double n, double l) => OutOfSupport(k, n) ? double.NegativeInfinity
            : DensityMath.LogChoose(n, k) + DensityMath.XTimes(k, DensityMath.LogSigmoid(l))
              + DensityMath.XTimes(n - k, DensityMath.LogSigmoid(-l));

        public static (double Da, double Db, double Dc) Gradient(double k, double n, double l)
        {
            if (OutOfSupport(k, n)) return (0, 0, 0);
            var (dn, dk) = DensityMath.LogChooseGradient(n, k);
            return (dk + l, dn + DensityMath.LogSigmoid(-l), k - n * DensityMath.Sigmoid(l));
        }
    }

    /// <summary>
    /// f(k, n, p) = log C(n, k) + k·log p + (n − k)·log1p(−p);
    /// ∂k = ψ(n − k + 1) − ψ(k + 1) + log p − log1p(−p), ∂n = ψ(n + 1) − ψ(n − k + 1) + log1p(−p),
    /// ∂p = k/p − (n − k)/(1 − p).
    /// </summary>
    readonly struct ProbsMass : IScalarFunction3
    {
        public static double Value(double k, double n, double p) => OutOfSupport(k, n) ? double.NegativeInfinity
            : DensityMath.LogChoose(n, k) + DensityMath.XLogY(k, p) + DensityMath.XLog1pY(n - k, -p);

        public static (double Da, double Db, double Dc) Gradient(double k, double n, double p)
        {
            if (OutOfSupport(k, n)) return (0, 0, 0);
            var (dn, dk) = DensityMath.LogChooseGradient(n, k);
            double l1p = DensityMath.Log1p(-p);
            return (dk + Math.Log(p) - l1p, dn + l1p, DensityMath.XOverY(k, p) - DensityMath.XOverY(n - k, 1 - p));
        }
    }
}
