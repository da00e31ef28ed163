using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Distributions.Constraints;
using Ppl.Runtime.Random;
using Ppl.Runtime.Tensors;

namespace Ppl.Runtime.Distributions;

/// <summary>
/// HalfCauchy(scale): |y| for y ~ Cauchy(0, σ), p(x) = 2 / (πσ(1 + (x/σ)²)) for x ≥ 0 — the weakly informative
/// prior on scales of Gelman 2006 ("Prior distributions for variance parameters in hierarchical models",
/// Bayesian Analysis 1(3)). Reparameterized as x = σ·|tan(π(u − ½))|. The mean and variance are infinite.
/// </summary>
public sealed class HalfCauchy : Distribution
{
    /// <summary>Scale σ &gt; 0 (the median).</summary>
    public Var Scale { get; }

    /// <summary>HalfCauchy with scale <paramref name="scale"/>.</summary>
    public HalfCauchy(Var scale)
    {
        Scale = scale;
        BatchShape = DistributionParams.BatchShape(scale);
    }

    /// <inheritdoc/>
    public override int[] BatchShape { get; }
    /// <inheritdoc/>
    public override Constraint Support => Constraint.Positive;
    /// <inheritdoc/>
    public override bool HasRSample => true;

    /// <summary>log p(x) = log 2 − log π − log σ − log1p((x/σ)²) for x ≥ 0, −∞ otherwise; one fused node in double.</summary>
    public override Var LogProb(Var value) => Ops.Elementwise<LogDensity>(value, Scale);

    /// <summary>
    /// log p(x; σ) with z = x/σ, w = 1 + z²: ∂/∂x = −2z/(σw), ∂/∂σ = (2z²/w − 1)/σ; no gradient outside the support.
    /// </summary>
    readonly struct LogDensity : IScalarFunction2
    {
        static readonly double LogTwoOverPi = Math.Log(2 / Math.PI);

        public static double Value(double x, double sigma)
        {
            if (!(x >= 0)) return double.NegativeInfinity;
            double z = x / sigma;
            return LogTwoOverPi - Math.Log(sigma) - DensityMath.Log1p(z * z);
        }

        public static (double Da, double Db) Gradient(double x, double sigma)
        {
            if (!(x >= 0)) return (0, 0);
            double z = x / sigma, w = 1 + z * z;
            return (-2 * z / (sigma * w), (2 * z * z / w - 1) / sigma);
        }
    }

    /// <inheritdoc/>
    public override Var RSample(Rng rng, int[]? sampleShape = null)
    {
        var c = DistributionParams.Noise(Scale, ExtendedShape(sampleShape), s =>
        {
            Cauchy.StandardDraws(rng, s);
            Kernels.Abs(s, s);
        });
        return Scale * c;
    }

    /// <inheritdoc/>
    public override Tensor Sample(Rng rng, int[]? sampleShape = null) => Ops.Detach(RSample(rng, sampleShape)).Value;

    /// <inheritdoc/>
    public override Distribution Expand(int[] batchShape) => new HalfCauchy(DistributionParams.Expand(Scale, batchShape));

    /// <summary>Infinite (the integral diverges).</summary>
    public override Var Mean => Var.Const(Tensor.Full(float.PositiveInfinity, BatchShape));

    /// <summary>Infinite.</summary>
    public override Var Variance => Var.Const(Tensor.Full(float.PositiveInfinity, BatchShape));

    /// <summary>H = log(2πσ).</summary>
    public override Var Entropy() => Ops.BroadcastTo(Ops.Log(Scale) + (MathF.Log(2f) + Cauchy.LogPi), BatchShape);
}
