using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Distributions.Constraints;
using Ppl.Runtime.Random;
using Ppl.Runtime.Tensors;

namespace Ppl.Runtime.Distributions;

/// <summary>
/// Laplace(loc, scale), the double exponential: p(x) = exp(−|x − μ|/b) / (2b) (Johnson, Kotz &amp; Balakrishnan
/// vol. 2, ch. 24). Reparameterized by inversion: x = μ + b·log(2u) for u &lt; ½ and μ − b·log(2(1 − u)) above.
/// </summary>
public sealed class Laplace : Distribution
{
    /// <summary>Location (mean and median) μ.</summary>
    public Var Loc { get; }
    /// <summary>Scale b &gt; 0.</summary>
    public Var Scale { get; }

    /// <summary>Laplace with location <paramref name="loc"/> and scale <paramref name="scale"/>.</summary>
    public Laplace(Var loc, Var scale)
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

    /// <summary>log p(x) = −|x − μ|/b − log 2b.</summary>
    public override Var LogProb(Var value) =>
        -(Ops.Abs(value - Loc) / Scale) - Ops.Log(Scale) - MathF.Log(2f);

    /// <inheritdoc/>
    public override Var RSample(Rng rng, int[]? sampleShape = null)
    {
        var e = DistributionParams.Noise(Loc.Tape is null ? Scale : Loc, ExtendedShape(sampleShape), s =>
        {
            // Both branches take the log of an exact argument: 2u, and 2(1 − u) with 1 − u exact for u ≥ ½.
            rng.FillUniformOpen(s);
            for (int i = 0; i < s.Length; i++)
            {
                float u = s[i];
                s[i] = u < 0.5f ? MathF.Log(2f * u) : -MathF.Log(2f * (1f - u));
            }
        });
        return Loc + Scale * e;
    }

    /// <inheritdoc/>
    public override Tensor Sample(Rng rng, int[]? sampleShape = null) => Ops.Detach(RSample(rng, sampleShape)).Value;

    /// <inheritdoc/>
    public override Distribution Expand(int[] batchShape) =>
        new Laplace(DistributionParams.Expand(Loc, batchShape), DistributionParams.Expand(Scale, batchShape));

    /// <summary>E[x] = μ.</summary>
    public override Var Mean => Ops.BroadcastTo(Loc, BatchShape);

    /// <summary>Var[x] = 2b².</summary>
    public override Var Variance => Ops.BroadcastTo(Ops.Mul(Ops.Square(Scale), 2f), BatchShape);

    /// <summary>H = 1 + log 2b.</summary>
    public override Var Entropy() => Ops.BroadcastTo(Ops.Log(Scale) + (1f + MathF.Log(2f)), BatchShape);
}
