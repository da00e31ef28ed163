using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Distributions.Constraints;
using Ppl.Runtime.Sites;
using Ppl.Runtime.Tensors;
using Ppl.Runtime.Transforms;

namespace Ppl.Inference.Guides;

/// <summary>
/// Variationally inferred partial centring (VIP, Gorinova, Moore and Hoffman 2020, "Automatic reparameterisation of
/// probabilistic programs", arXiv 1906.03028; NumPyro's LocScaleReparam with a learnable <c>centered</c>), applied in
/// the guide rather than the model. For a latent r ~ Normal(0, 1) that the model uses only as a = L + S·r
/// (<see cref="LocScaleUse"/>), the guide draws a coordinate ã from its usual family and sets
/// <code>r = (ã − λ·L) / |S|^λ,   λ ∈ [0, 1] learnable per element (started at 0.9),</code>
/// with L and S evaluated at the guide's own draws of the globals they read. λ = 0 is the guide as before (ã = r);
/// λ = 1 makes ã = a, the centred coordinate, whose posterior is nearly independent of the globals when the data pin
/// a down (r's is then the curved (a − L)/S no Gaussian over r follows). By the change of variables,
/// <code>log q(r | L, S) = log q_ã(λ·L + |S|^λ·r) + λ·Σ log |S|,</code>
/// which <see cref="Runtime.Distributions.TransformedDistribution"/> computes from the affine map above. The
/// model's density is untouched: only the guide family grows (λ = 0 is inside it), so the ELBO stays a bound on
/// log p(x) whatever λ learns.
/// </summary>
public static class Recentring
{
    /// <summary>
    /// λ's start: nearly centred, not Pyro's and NumPyro's halfway 0.5. Measured (examples/README.md): where the data
    /// pin each a down (radon), λ's gradient is weak once the rest of the guide has adapted, so λ ends near its
    /// start (from 0.5: 0.70 mean-field, 0.40 full-rank, and radon's means miss by 0.28-0.34 sd under mvn; from 0.9:
    /// 0.81 and 0.64-0.70, within 0.22 sd); where the data are weak (eight schools) its gradient is strong and λ
    /// falls from 0.9 to 0.04 (mean-field) or 0.2 (full-rank) within the fit, whatever the start.
    /// </summary>
    public const float InitCentredness = 0.9f;

    /// <summary>The name of the centredness parameter of <paramref name="site"/> in guide <paramref name="prefix"/>.</summary>
    public static string ParamName(string prefix, string site) => $"{prefix}.{site}.centredness";

    /// <summary>
    /// <paramref name="latents"/> with every site whose hint the guide can use marked <see cref="LatentSite.Recentred"/>
    /// and its start moved to the centred coordinate, ã₀ = λ₀·L₀ + |S₀|^λ₀·r₀ at the inputs' starts. Usable: a
    /// continuous site on the real line outside plates, whose inputs are continuous latents outside plates drawn
    /// before it (the compiler checks the same; a precompiled or hand-built model is checked again here).
    /// </summary>
    public static IReadOnlyList<LatentSite> Mark(IReadOnlyList<LatentSite> latents)
    {
        var result = latents.ToArray();
        for (int i = 0; i < result.Length; i++)
        {
            var s = result[i];
            if (s.LocScale is not { } use || s.IsDiscrete || s.ToSupport is not IdentityTransform || s.Plates.Count > 0) continue;
            var inputs = use.Inputs.Select(n => Array.FindIndex(result, 0, i, l => l.Name == n)).ToArray();
            if (inputs.Any(k => k < 0 || result[k].IsDiscrete || result[k].Plates.Count > 0)) continue;
            var (loc, scale) = use.Map(inputs.Select(k => result[k].ToSupport!.Forward(Var.Const(result[k].Init))).ToArray());
            var lambda = Var.Const(Tensor.Full(InitCentredness, s.Init.Shape));
            var start = Ops.BroadcastTo(lambda * loc + Ops.Exp(lambda * Ops.Log(Ops.Abs(scale))) * Var.Const(s.Init), s.Init.Shape);
            if (!start.Value.ToArray().All(float.IsFinite)) continue;
            result[i] = s with { Init = start.Value.Clone(), Recentred = new RecentredSite(use, inputs) };
        }
        return result;
    }

    /// <summary>
    /// The map ã ↦ r of one run, r = |S|^−λ·(ã − λ·L), from the guide's draws <paramref name="values"/> (by latent
    /// index) and the site's λ, read as the parameter <paramref name="paramName"/>.
    /// </summary>
    public static AffineTransform Map(ModelContext context, LatentSite site, string paramName, IReadOnlyList<Var?> values)
    {
        var r = site.Recentred!;
        var args = new Var[r.Inputs.Length];
        for (int k = 0; k < args.Length; k++) args[k] = values[r.Inputs[k]]!;
        var (loc, scale) = r.Use.Map(args);
        var lambda = context.Param(paramName, () => Tensor.Full(InitCentredness, site.Init.Shape), Constraint.UnitInterval, site.Location);
        var factor = Ops.Exp(Ops.Neg(lambda * Ops.Log(Ops.Abs(scale))));
        return new AffineTransform(Ops.Neg(factor * lambda * loc), factor);
    }
}
