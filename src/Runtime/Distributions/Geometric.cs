using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Distributions.Constraints;
using Ppl.Runtime.Random;
using Ppl.Runtime.Tensors;

namespace Ppl.Runtime.Distributions;

/// <summary>
/// Geometric(probs): the number of failures before the first success in trials of success probability p,
/// p(k) = (1 − p)ᵏ·p for k = 0, 1, 2, ... (PyTorch's and SciPy's <c>geom</c> shifted by one: they differ only in
/// whether the success is counted; here it is not, so the support starts at 0). The log-mass k·log1p(−p) + log p is
/// a fused double op, accurate for tiny p and exact at p = 1 (0·log 0 = 0 gives p(0) = 1). Negative values have
/// log-mass −∞.
/// </summary>
public sealed class Geometric : Distribution
{
    /// <summary>Geometric with success probability <paramref name="probs"/> in (0, 1].</summary>
    public Geometric(Var probs)
    {
        Probs = probs;
        BatchShape = probs.Shape;
    }

    /// <summary>The success probability p.</summary>
    public Var Probs { get; }

    /// <inheritdoc/>
    public override int[] BatchShape { get; }
    /// <inheritdoc/>
    public override Constraint Support => Constraint.NonNegativeInteger;

    /// <summary>log p(k) = k·log(1 − p) + log p.</summary>
    public override Var LogProb(Var value) => Ops.Elementwise<LogMass>(value, Probs);

    /// <summary>One draw per element from the Rng's geometric sampler.</summary>
    public override Tensor Sample(Rng rng, int[]? sampleShape = null)
    {
        var x = Tensor.Zeros(ExtendedShape(sampleShape));
        var ps = Probs.Value.Span;
        var xs = x.Span;
        int m = ps.Length;
        for (int i = 0; i < xs.Length; i++) xs[i] = rng.Geometric(ps[i % m]);
        return x;
    }

    /// <inheritdoc/>
    public override Distribution Expand(int[] batchShape) => new Geometric(DistributionParams.Expand(Probs, batchShape));

    /// <summary>E[k] = (1 − p)/p.</summary>
    public override Var Mean => (1f - Probs) / Probs;

    /// <summary>Var[k] = (1 − p)/p².</summary>
    public override Var Variance => (1f - Probs) / Ops.Square(Probs);

    /// <summary>H = −[(1 − p)·log(1 − p) + p·log p]/p.</summary>
    public override Var Entropy() => Ops.Elementwise<EntropyFunction>(Probs);

    /// <summary>f(k, p) = k·log1p(−p) + log p; ∂k = log1p(−p), ∂p = 1/p − k/(1 − p).</summary>
    readonly struct LogMass : IScalarFunction2
    {
        public static double Value(double k, double p) => !(k >= 0) ? double.NegativeInfinity
            : DensityMath.XLog1pY(k, -p) + Math.Log(p);
        public static (double Da, double Db) Gradient(double k, double p) => !(k >= 0) ? (0, 0)
            : (DensityMath.Log1p(-p), 1 / p - DensityMath.XOverY(k, 1 - p));
    }

    /// <summary>H(p) = −[(1 − p)·log1p(−p) + p·log p]/p; H′(p) = log1p(−p)/p² (the ±1/p terms cancel).</summary>
    readonly struct EntropyFunction : IScalarFunction1
    {
        public static double Value(double p) => -(DensityMath.XLog1pY(1 - p, -p) + DensityMath.XLogY(p, p)) / p;
        public static double Derivative(double p) => DensityMath.Log1p(-p) / (p * p);
    }
}
