using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Distributions.Constraints;
using Ppl.Runtime.Random;
using Ppl.Runtime.Tensors;

namespace Ppl.Runtime.Distributions;

/// <summary>
/// Poisson(rate): p(k) = λᵏe^(−λ)/k! for k = 0, 1, 2, .... The log-mass k·log λ − λ − log Γ(k + 1) is evaluated in
/// double as one fused op: its terms are of size k·log k and cancel to a small number, which a float composition would
/// leave with an error of ε₃₂·k·log k (about 0.01 at k = 10⁴). 0·log 0 = 0, so λ = 0 gives p(0) = 1. Negative values
/// have log-mass −∞; non-integer values get the continuous extension (as in PyTorch).
/// </summary>
public sealed class Poisson : Distribution
{
    /// <summary>Poisson with mean <paramref name="rate"/> λ ≥ 0.</summary>
    public Poisson(Var rate)
    {
        Rate = rate;
        BatchShape = rate.Shape;
    }

    /// <summary>The rate λ (mean and variance).</summary>
    public Var Rate { get; }

    /// <inheritdoc/>
    public override int[] BatchShape { get; }
    /// <inheritdoc/>
    public override Constraint Support => Constraint.NonNegativeInteger;

    /// <summary>log p(k) = k·log λ − λ − log Γ(k + 1).</summary>
    public override Var LogProb(Var value) => Ops.Elementwise<LogMass>(value, Rate);

    /// <summary>One draw per element from the Rng's Poisson sampler (inversion for small λ, PTRS otherwise).</summary>
    public override Tensor Sample(Rng rng, int[]? sampleShape = null)
    {
        var x = Tensor.Zeros(ExtendedShape(sampleShape));
        var rs = Rate.Value.Span;
        var xs = x.Span;
        int m = rs.Length;
        for (int i = 0; i < xs.Length; i++) xs[i] = rng.Poisson(rs[i % m]);
        return x;
    }

    /// <inheritdoc/>
    public override Distribution Expand(int[] batchShape) => new Poisson(DistributionParams.Expand(Rate, batchShape));

    /// <summary>E[k] = λ.</summary>
    public override Var Mean => Rate;
    /// <summary>Var[k] = λ.</summary>
    public override Var Variance => Rate;

    /// <summary>f(k, λ) = k·log λ − λ − log Γ(k + 1); ∂k = log λ − ψ(k + 1), ∂λ = k/λ − 1.</summary>
    readonly struct LogMass : IScalarFunction2
    {
        public static double Value(double k, double rate) => !(k >= 0) ? double.NegativeInfinity
            : DensityMath.XLogY(k, rate) - rate - DensityMath.LogGamma(k + 1);
        public static (double Da, double Db) Gradient(double k, double rate) => !(k >= 0) ? (0, 0)
            : (Math.Log(rate) - DensityMath.Digamma(k + 1), DensityMath.XOverY(k, rate) - 1);
    }
}
