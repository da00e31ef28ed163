using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Distributions.Constraints;
using Ppl.Runtime.Random;
using Ppl.Runtime.Tensors;

namespace Ppl.Runtime.Distributions;

/// <summary>
/// HalfNormal(scale): |y| for y ~ Normal(0, σ), p(x) = √(2/π)/σ · exp(−x²/(2σ²)) for x ≥ 0 (Johnson, Kotz &amp;
/// Balakrishnan vol. 1, §13.10, the folded normal at zero mean). Reparameterized as x = σ·|ε|, ε ~ N(0, 1).
/// </summary>
public sealed class HalfNormal : Distribution
{
    /// <summary>Scale σ &gt; 0 of the underlying normal.</summary>
    public Var Scale { get; }

    /// <summary>HalfNormal with scale <paramref name="scale"/>.</summary>
    public HalfNormal(Var scale)
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

    /// <summary>½ log(2/π) = log 2 − ½ log 2π.</summary>
    const float HalfLogTwoOverPi = -0.225791352644727432f;

    /// <summary>log p(x) = ½ log(2/π) − log σ − ½(x/σ)² for x ≥ 0, −∞ otherwise.</summary>
    public override Var LogProb(Var value)
    {
        var z = value / Scale;
        var lp = Ops.Mul(Ops.Square(z), -0.5f) - Ops.Log(Scale) + HalfLogTwoOverPi;
        return Ops.Where(Ops.Compare(value, 0f, static (x, lo) => x >= lo).Value, lp, float.NegativeInfinity);
    }

    /// <inheritdoc/>
    public override Var RSample(Rng rng, int[]? sampleShape = null)
    {
        var eps = DistributionParams.Noise(Scale, ExtendedShape(sampleShape), s =>
        {
            rng.FillNormal(s);
            Kernels.Abs(s, s);
        });
        return Scale * eps;
    }

    /// <inheritdoc/>
    public override Tensor Sample(Rng rng, int[]? sampleShape = null) => Ops.Detach(RSample(rng, sampleShape)).Value;

    /// <inheritdoc/>
    public override Distribution Expand(int[] batchShape) => new HalfNormal(DistributionParams.Expand(Scale, batchShape));

    /// <summary>E[x] = σ√(2/π).</summary>
    public override Var Mean => Ops.BroadcastTo(Ops.Mul(Scale, MathF.Sqrt(2f / MathF.PI)), BatchShape);

    /// <summary>Var[x] = σ²(1 − 2/π).</summary>
    public override Var Variance => Ops.BroadcastTo(Ops.Mul(Ops.Square(Scale), 1f - 2f / MathF.PI), BatchShape);

    /// <summary>H = ½ log(πσ²/2) + ½ = log σ + ½ log(π/2) + ½.</summary>
    public override Var Entropy() => Ops.BroadcastTo(Ops.Log(Scale) + (0.5f - HalfLogTwoOverPi), BatchShape);
}
