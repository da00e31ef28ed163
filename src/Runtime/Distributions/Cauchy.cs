using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Distributions.Constraints;
using Ppl.Runtime.Random;
using Ppl.Runtime.Tensors;

namespace Ppl.Runtime.Distributions;

/// <summary>
/// Cauchy(loc, scale): p(x) = 1 / (πσ(1 + ((x − μ)/σ)²)) (Johnson, Kotz &amp; Balakrishnan vol. 1, ch. 16).
/// Reparameterized by inversion, x = μ + σ·tan(π(u − ½)), u ~ U(0, 1). The mean and variance do not exist:
/// <see cref="Mean"/> is NaN and <see cref="Variance"/> +∞, as for a Student t with one degree of freedom.
/// </summary>
public sealed class Cauchy : Distribution
{
    /// <summary>Location (median) μ.</summary>
    public Var Loc { get; }
    /// <summary>Scale σ &gt; 0 (half the interquartile range).</summary>
    public Var Scale { get; }

    /// <summary>Cauchy with median <paramref name="loc"/> and scale <paramref name="scale"/>.</summary>
    public Cauchy(Var loc, Var scale)
    {
        Loc = loc;
        Scale = scale;
        BatchShape = DistributionParams.BatchShape(loc, scale);
    }

    /// <inheritdoc/>
    public override int[] BatchShape { get; }
    /// <inheritdoc/>
    public override Constraint Support => Constraint.Real;
    /// <inheritdoc/>
    public override bool HasRSample => true;

    /// <summary>log π.</summary>
    internal const float LogPi = 1.14472988584940017f;

    /// <summary>log p(x) = −log π − log σ − log1p(((x − μ)/σ)²).</summary>
    public override Var LogProb(Var value)
    {
        var z = (value - Loc) / Scale;
        return -Ops.Log1p(Ops.Square(z)) - Ops.Log(Scale) - LogPi;
    }

    /// <inheritdoc/>
    public override Var RSample(Rng rng, int[]? sampleShape = null)
    {
        var c = DistributionParams.Noise(Loc.Tape is null ? Scale : Loc, ExtendedShape(sampleShape), s => FillStandard(rng, s));
        return Loc + Scale * c;
    }

    /// <summary>
    /// Standard Cauchy draws tan(π(u − ½)) written as −cot(πu) for u &lt; ½ and cot(π(1 − u)) above, so the argument
    /// of the cotangent is small and exact (1 − u is exact for u ≥ ½) and the tails keep their relative accuracy.
    /// </summary>
    internal static void FillStandard(Rng rng, Span<float> s)
    {
        rng.FillUniformOpen(s);
        for (int i = 0; i < s.Length; i++)
        {
            float u = s[i];
            s[i] = u < 0.5f ? -1f / MathF.Tan(MathF.PI * u) : 1f / MathF.Tan(MathF.PI * (1f - u));
        }
    }

    /// <inheritdoc/>
    public override Tensor Sample(Rng rng, int[]? sampleShape = null) => Ops.Detach(RSample(rng, sampleShape)).Value;

    /// <inheritdoc/>
    public override Distribution Expand(int[] batchShape) =>
        new Cauchy(DistributionParams.Expand(Loc, batchShape), DistributionParams.Expand(Scale, batchShape));

    /// <summary>Undefined (the integral diverges): NaN.</summary>
    public override Var Mean => Var.Const(Tensor.Full(float.NaN, BatchShape));

    /// <summary>Infinite.</summary>
    public override Var Variance => Var.Const(Tensor.Full(float.PositiveInfinity, BatchShape));

    /// <summary>H = log(4πσ).</summary>
    public override Var Entropy() => Ops.BroadcastTo(Ops.Log(Scale) + (MathF.Log(4f) + LogPi), BatchShape);
}
