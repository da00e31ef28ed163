using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Distributions.Constraints;
using Ppl.Runtime.Random;
using Ppl.Runtime.Tensors;

namespace Ppl.Runtime.Distributions;

/// <summary>
/// Logistic(loc, scale): p(x) = e^{−z} / (s(1 + e^{−z})²) with z = (x − μ)/s (Johnson, Kotz &amp; Balakrishnan
/// vol. 2, ch. 23). Reparameterized by inversion, x = μ + s·log(u/(1 − u)), u ~ U(0, 1).
/// </summary>
public sealed class Logistic : LocationScaleDistribution
{
    /// <summary>Logistic with location <paramref name="loc"/> and scale <paramref name="scale"/>.</summary>
    public Logistic(Var loc, Var scale) : base(loc, scale) { }

    /// <summary>log p(x) = −z − 2·softplus(−z) − log s, which stays finite for large |z| of either sign.</summary>
    public override Var LogProb(Var value)
    {
        var z = Standardize(value);
        return -z - Ops.Mul(Ops.Softplus(-z), 2f) - Ops.Log(Scale);
    }

    /// <inheritdoc/>
    protected override void FillStandard(Rng rng, Span<float> destination) => StandardDraws(rng, destination);

    /// <summary>
    /// Standard logistic draws logit(u) = log u − log(1 − u), using log1p on whichever of u and 1 − u is near 1 so
    /// both tails keep their relative accuracy.
    /// </summary>
    internal static void StandardDraws(Rng rng, Span<float> s)
    {
        rng.FillUniformOpen(s);
        for (int i = 0; i < s.Length; i++)
        {
            float u = s[i];
            s[i] = u < 0.5f ? MathF.Log(u) - Kernels.Log1p(-u) : Kernels.Log1p(u - 1f) - MathF.Log(1f - u);
        }
    }

    /// <inheritdoc/>
    protected override LocationScaleDistribution With(Var loc, Var scale) => new Logistic(loc, scale);

    /// <summary>E[x] = μ.</summary>
    public override Var Mean => Ops.BroadcastTo(Loc, BatchShape);

    /// <summary>Var[x] = s²π²/3.</summary>
    public override Var Variance => Ops.BroadcastTo(Ops.Mul(Ops.Square(Scale), MathF.PI * MathF.PI / 3f), BatchShape);

    /// <summary>H = log s + 2.</summary>
    public override Var Entropy() => Ops.BroadcastTo(Ops.Log(Scale) + 2f, BatchShape);
}
