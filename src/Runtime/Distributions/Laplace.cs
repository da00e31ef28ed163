using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Distributions.Constraints;
using Ppl.Runtime.Random;
using Ppl.Runtime.Tensors;

namespace Ppl.Runtime.Distributions;

/// <summary>
/// Laplace(loc, scale), the double exponential: p(x) = exp(−|x − μ|/b) / (2b) (Johnson, Kotz &amp; Balakrishnan
/// vol. 2, ch. 24). Reparameterized by inversion: x = μ + b·log(2u) for u &lt; ½ and μ − b·log(2(1 − u)) above.
/// </summary>
public sealed class Laplace : LocationScaleDistribution
{
    /// <summary>Laplace with location <paramref name="loc"/> and scale <paramref name="scale"/>.</summary>
    public Laplace(Var loc, Var scale) : base(loc, scale) { }

    /// <summary>log p(x) = −|x − μ|/b − log 2b.</summary>
    public override Var LogProb(Var value) =>
        -(Ops.Abs(value - Loc) / Scale) - Ops.Log(Scale) - MathF.Log(2f);

    /// <inheritdoc/>
    protected override void FillStandard(Rng rng, Span<float> destination)
    {
        // Both branches take the log of an exact argument: 2u, and 2(1 − u) with 1 − u exact for u ≥ ½.
        rng.FillUniformOpen(destination);
        for (int i = 0; i < destination.Length; i++)
        {
            float u = destination[i];
            destination[i] = u < 0.5f ? MathF.Log(2f * u) : -MathF.Log(2f * (1f - u));
        }
    }

    /// <inheritdoc/>
    protected override LocationScaleDistribution With(Var loc, Var scale) => new Laplace(loc, scale);

    /// <summary>E[x] = μ.</summary>
    public override Var Mean => Ops.BroadcastTo(Loc, BatchShape);

    /// <summary>Var[x] = 2b².</summary>
    public override Var Variance => Ops.BroadcastTo(Ops.Mul(Ops.Square(Scale), 2f), BatchShape);

    /// <summary>H = 1 + log 2b.</summary>
    public override Var Entropy() => Ops.BroadcastTo(Ops.Log(Scale) + (1f + MathF.Log(2f)), BatchShape);
}
