using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Distributions.Constraints;
using Ppl.Runtime.Random;
using Ppl.Runtime.Tensors;

namespace Ppl.Runtime.Distributions;

/// <summary>
/// NegativeBinomial(total, probs), in PyTorch's convention: the number of successes k before the r-th failure in
/// trials of success probability p, p(k) = Γ(k + r)/(Γ(r)·k!)·pᵏ(1 − p)ʳ for k = 0, 1, 2, ..., with real r &gt; 0.
/// Mean r·p/(1 − p), variance r·p/(1 − p)². Stan's <c>neg_binomial(α, β)</c> is this with r = α and p = 1/(1 + β);
/// Stan's <c>neg_binomial_2(μ, φ)</c> is r = φ, p = μ/(μ + φ); SciPy's <c>nbinom(n, q)</c> and MathNet's
/// <c>NegativeBinomial(r, q)</c> count failures before the r-th success, i.e. this with q = 1 − p. It is the
/// Gamma–Poisson mixture k ~ Poisson(λ), λ ~ Gamma(r, rate (1 − p)/p), which is how it is sampled. The log-mass is a
/// fused double op (the log Γ terms cancel as in <see cref="Poisson"/>). Negative values have log-mass −∞.
/// </summary>
public sealed class NegativeBinomial : Distribution
{
    /// <summary>NegativeBinomial with <paramref name="totalCount"/> failures r &gt; 0 and success probability
    /// <paramref name="probs"/> p in [0, 1).</summary>
    public NegativeBinomial(Var totalCount, Var probs)
    {
        TotalCount = totalCount;
        Probs = probs;
        BatchShape = DistributionParams.BatchShape(totalCount, probs);
    }

    /// <summary>The number of failures r (any real r &gt; 0: the dispersion).</summary>
    public Var TotalCount { get; }

    /// <summary>The success probability p of each trial.</summary>
    public Var Probs { get; }

    /// <inheritdoc/>
    public override int[] BatchShape { get; }
    /// <inheritdoc/>
    public override Constraint Support => Constraint.NonNegativeInteger;

    /// <summary>log p(k) = log Γ(k + r) − log Γ(k + 1) − log Γ(r) + r·log(1 − p) + k·log p.</summary>
    public override Var LogProb(Var value) => Ops.Elementwise<LogMass>(value, TotalCount, Probs);

    /// <summary>One draw per element from the Rng's gamma–Poisson sampler: k ~ Poisson(λ), λ ~ Gamma(r, 1)·p/(1 − p).</summary>
    public override Tensor Sample(Rng rng, int[]? sampleShape = null)
    {
        var x = Tensor.Zeros(ExtendedShape(sampleShape));
        var rb = DistributionParams.BroadcastValues(TotalCount.Value, BatchShape);
        var pb = DistributionParams.BroadcastValues(Probs.Value, BatchShape);
        var xs = x.Span; var rs = rb.Span; var ps = pb.Span;
        int m = rs.Length;
        for (int i = 0; i < xs.Length; i++) xs[i] = rng.NegativeBinomial(rs[i % m], ps[i % m]);
        return x;
    }

    /// <inheritdoc/>
    public override Distribution Expand(int[] batchShape) =>
        new NegativeBinomial(DistributionParams.Expand(TotalCount, batchShape), DistributionParams.Expand(Probs, batchShape));

    /// <summary>E[k] = r·p/(1 − p).</summary>
    public override Var Mean => Ops.BroadcastTo(TotalCount * Probs / (1f - Probs), BatchShape);

    /// <summary>Var[k] = r·p/(1 − p)².</summary>
    public override Var Variance => Ops.BroadcastTo(TotalCount * Probs / Ops.Square(1f - Probs), BatchShape);

    /// <summary>
    /// f(k, r, p) = log Γ(k + r) − log Γ(k + 1) − log Γ(r) + r·log1p(−p) + k·log p;
    /// ∂k = ψ(k + r) − ψ(k + 1) + log p, ∂r = ψ(k + r) − ψ(r) + log1p(−p), ∂p = k/p − r/(1 − p).
    /// </summary>
    readonly struct LogMass : IScalarFunction3
    {
        public static double Value(double k, double r, double p) => !(k >= 0) ? double.NegativeInfinity
            : DensityMath.LogGamma(k + r) - DensityMath.LogGamma(k + 1) - DensityMath.LogGamma(r)
              + DensityMath.XLog1pY(r, -p) + DensityMath.XLogY(k, p);

        public static (double Da, double Db, double Dc) Gradient(double k, double r, double p)
        {
            if (!(k >= 0)) return (0, 0, 0);
            double psiKr = DensityMath.Digamma(k + r);
            return (psiKr - DensityMath.Digamma(k + 1) + Math.Log(p),
                    psiKr - DensityMath.Digamma(r) + DensityMath.Log1p(-p),
                    DensityMath.XOverY(k, p) - r / (1 - p));
        }
    }
}
