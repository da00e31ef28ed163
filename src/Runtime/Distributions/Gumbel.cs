using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Distributions.Constraints;
using Ppl.Runtime.Random;
using Ppl.Runtime.Tensors;

namespace Ppl.Runtime.Distributions;

/// <summary>
/// Gumbel(loc, scale), the type-I extreme value distribution: p(x) = exp(−(z + e^{−z}))/β with z = (x − μ)/β
/// (Gumbel 1958, "Statistics of Extremes"; Johnson, Kotz &amp; Balakrishnan vol. 2, ch. 22). Reparameterized by
/// inversion, x = μ − β·log(−log u), u ~ U(0, 1).
/// </summary>
public sealed class Gumbel : Distribution
{
    /// <summary>Location (mode) μ.</summary>
    public Var Loc { get; }
    /// <summary>Scale β &gt; 0.</summary>
    public Var Scale { get; }

    /// <summary>Gumbel with location <paramref name="loc"/> and scale <paramref name="scale"/>.</summary>
    public Gumbel(Var loc, Var scale)
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

    /// <summary>The Euler–Mascheroni constant γ.</summary>
    internal const float EulerGamma = 0.577215664901532861f;

    /// <summary>log p(x) = −(z + e^{−z}) − log β.</summary>
    public override Var LogProb(Var value)
    {
        var z = (value - Loc) / Scale;
        return -(z + Ops.Exp(-z)) - Ops.Log(Scale);
    }

    /// <inheritdoc/>
    public override Var RSample(Rng rng, int[]? sampleShape = null)
    {
        var g = DistributionParams.Noise(Loc.Tape is null ? Scale : Loc, ExtendedShape(sampleShape), s => FillStandard(rng, s));
        return Loc + Scale * g;
    }

    /// <summary>
    /// Standard Gumbel draws −log(−log u); −log u is taken as −log1p(u − 1) for u ≥ ½, where u − 1 is exact, so the
    /// left tail (u near 1) keeps its relative accuracy.
    /// </summary>
    internal static void FillStandard(Rng rng, Span<float> s)
    {
        rng.FillUniformOpen(s);
        for (int i = 0; i < s.Length; i++)
        {
            float u = s[i];
            float e = u < 0.5f ? -MathF.Log(u) : -Kernels.Log1p(u - 1f);
            s[i] = -MathF.Log(e);
        }
    }

    /// <inheritdoc/>
    public override Tensor Sample(Rng rng, int[]? sampleShape = null) => Ops.Detach(RSample(rng, sampleShape)).Value;

    /// <inheritdoc/>
    public override Distribution Expand(int[] batchShape) =>
        new Gumbel(DistributionParams.Expand(Loc, batchShape), DistributionParams.Expand(Scale, batchShape));

    /// <summary>E[x] = μ + βγ.</summary>
    public override Var Mean => Ops.BroadcastTo(Loc + Ops.Mul(Scale, EulerGamma), BatchShape);

    /// <summary>Var[x] = π²β²/6.</summary>
    public override Var Variance => Ops.BroadcastTo(Ops.Mul(Ops.Square(Scale), MathF.PI * MathF.PI / 6f), BatchShape);

    /// <summary>H = log β + γ + 1.</summary>
    public override Var Entropy() => Ops.BroadcastTo(Ops.Log(Scale) + (EulerGamma + 1f), BatchShape);
}
