using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Distributions.Constraints;
using Ppl.Runtime.Random;
using Ppl.Runtime.Tensors;

namespace Ppl.Runtime.Distributions;

/// <summary>
/// Exponential(rate): p(x) = λe^{−λx} for x ≥ 0 (Johnson, Kotz &amp; Balakrishnan vol. 1, ch. 19).
/// Reparameterized by inversion, x = E/λ with E = −log u, u ~ U(0, 1).
/// </summary>
public sealed class Exponential : Distribution
{
    /// <summary>Rate λ &gt; 0 (the inverse mean).</summary>
    public Var Rate { get; }

    /// <summary>Exponential with rate <paramref name="rate"/>.</summary>
    public Exponential(Var rate)
    {
        Rate = rate;
        BatchShape = DistributionParams.BatchShape(rate);
    }

    /// <inheritdoc/>
    public override int[] BatchShape { get; }
    /// <inheritdoc/>
    public override Constraint Support => Constraint.Positive;
    /// <inheritdoc/>
    public override bool HasRSample => true;

    /// <summary>log p(x) = log λ − λx for x ≥ 0, −∞ otherwise.</summary>
    public override Var LogProb(Var value)
    {
        var lp = Ops.Log(Rate) - Rate * value;
        return Ops.Where(Ops.Compare(value, 0f, static (x, lo) => x >= lo).Value, lp, float.NegativeInfinity);
    }

    /// <inheritdoc/>
    public override Var RSample(Rng rng, int[]? sampleShape = null)
    {
        var e = DistributionParams.Noise(Rate, ExtendedShape(sampleShape), s => FillStandard(rng, s));
        return e / Rate;
    }

    /// <summary>Standard exponential draws −log u, as −log1p(u − 1) for u ≥ ½ so small draws keep their relative accuracy.</summary>
    internal static void FillStandard(Rng rng, Span<float> s)
    {
        rng.FillUniformOpen(s);
        for (int i = 0; i < s.Length; i++)
        {
            float u = s[i];
            s[i] = u < 0.5f ? -MathF.Log(u) : -Kernels.Log1p(u - 1f);
        }
    }

    /// <inheritdoc/>
    public override Tensor Sample(Rng rng, int[]? sampleShape = null) => Ops.Detach(RSample(rng, sampleShape)).Value;

    /// <inheritdoc/>
    public override Distribution Expand(int[] batchShape) => new Exponential(DistributionParams.Expand(Rate, batchShape));

    /// <summary>E[x] = 1/λ.</summary>
    public override Var Mean => Ops.BroadcastTo(1f / Rate, BatchShape);

    /// <summary>Var[x] = 1/λ².</summary>
    public override Var Variance => Ops.BroadcastTo(1f / Ops.Square(Rate), BatchShape);

    /// <summary>H = 1 − log λ.</summary>
    public override Var Entropy() => Ops.BroadcastTo(1f - Ops.Log(Rate), BatchShape);
}
