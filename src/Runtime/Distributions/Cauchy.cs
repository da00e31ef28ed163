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
public sealed class Cauchy : LocationScaleDistribution
{
    /// <summary>Cauchy with median <paramref name="loc"/> and scale <paramref name="scale"/>.</summary>
    public Cauchy(Var loc, Var scale) : base(loc, scale) { }

    /// <summary>log π.</summary>
    internal const float LogPi = 1.14472988584940017f;

    /// <summary>log p(x) = −log π − log σ − log1p(((x − μ)/σ)²).</summary>
    public override Var LogProb(Var value)
    {
        var z = Standardize(value);
        return -Ops.Log1p(Ops.Square(z)) - Ops.Log(Scale) - LogPi;
    }

    /// <inheritdoc/>
    protected override void FillStandard(Rng rng, Span<float> destination) => StandardDraws(rng, destination);

    /// <summary>
    /// Standard Cauchy draws tan(π(u − ½)) written as −cot(πu) for u &lt; ½ and cot(π(1 − u)) above, so the argument
    /// of the cotangent is small and exact (1 − u is exact for u ≥ ½) and the tails keep their relative accuracy.
    /// </summary>
    internal static void StandardDraws(Rng rng, Span<float> s)
    {
        rng.FillUniformOpen(s);
        for (int i = 0; i < s.Length; i++)
        {
            float u = s[i];
            s[i] = u < 0.5f ? -1f / MathF.Tan(MathF.PI * u) : 1f / MathF.Tan(MathF.PI * (1f - u));
        }
    }

    /// <inheritdoc/>
    protected override LocationScaleDistribution With(Var loc, Var scale) => new Cauchy(loc, scale);

    /// <summary>Undefined (the integral diverges): NaN.</summary>
    public override Var Mean => Var.Const(Tensor.Full(float.NaN, BatchShape));

    /// <summary>Infinite.</summary>
    public override Var Variance => Var.Const(Tensor.Full(float.PositiveInfinity, BatchShape));

    /// <summary>H = log(4πσ).</summary>
    public override Var Entropy() => Ops.BroadcastTo(Ops.Log(Scale) + (MathF.Log(4f) + LogPi), BatchShape);
}
