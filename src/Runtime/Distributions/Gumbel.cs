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
public sealed class Gumbel : LocationScaleDistribution
{
    /// <summary>Gumbel with location <paramref name="loc"/> and scale <paramref name="scale"/>.</summary>
    public Gumbel(Var loc, Var scale) : base(loc, scale) { }

    /// <summary>The Euler–Mascheroni constant γ.</summary>
    internal const float EulerGamma = 0.577215664901532861f;

    /// <summary>log p(x) = −(z + e^{−z}) − log β.</summary>
    public override Var LogProb(Var value)
    {
        var z = Standardize(value);
        return -(z + Ops.Exp(-z)) - Ops.Log(Scale);
    }

    /// <inheritdoc/>
    protected override void FillStandard(Rng rng, Span<float> destination) => StandardDraws(rng, destination);

    /// <summary>
    /// Standard Gumbel draws −log(−log u); −log u is taken as −log1p(u − 1) for u ≥ ½, where u − 1 is exact, so the
    /// left tail (u near 1) keeps its relative accuracy.
    /// </summary>
    internal static void StandardDraws(Rng rng, Span<float> s)
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
    protected override LocationScaleDistribution With(Var loc, Var scale) => new Gumbel(loc, scale);

    /// <summary>E[x] = μ + βγ.</summary>
    public override Var Mean => Ops.BroadcastTo(Loc + Ops.Mul(Scale, EulerGamma), BatchShape);

    /// <summary>Var[x] = π²β²/6.</summary>
    public override Var Variance => Ops.BroadcastTo(Ops.Mul(Ops.Square(Scale), MathF.PI * MathF.PI / 6f), BatchShape);

    /// <summary>H = log β + γ + 1.</summary>
    public override Var Entropy() => Ops.BroadcastTo(Ops.Log(Scale) + (EulerGamma + 1f), BatchShape);
}
