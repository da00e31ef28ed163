using Ppl.Runtime.Distributions;
using Ppl.Runtime.Distributions.Constraints;
using Ppl.Runtime.Sites;
using Ppl.Runtime.Tensors;

namespace Ppl.Inference.Guides;

/// <summary>
/// The mean-field guide (ADVI's, Kucukelbir et al. 2017): each unconstrained coordinate u ~ Normal(loc, scale)
/// independently, the site's value T(u) for its support's bijection T, so
/// log q(z) = Σ log Normal(T⁻¹(z); loc, scale) − log |det J_T(T⁻¹(z))|.
/// Locations start at the prior median, scales at <see cref="AutoGuide.InitScale"/>.
/// </summary>
public sealed class AutoNormal : AutoGuide
{
    readonly string[] locNames, scaleNames;
    readonly Func<Tensor>[] scaleInits;

    /// <summary>The guide over <paramref name="latents"/> of model <paramref name="modelName"/>.</summary>
    public AutoNormal(string modelName, IReadOnlyList<LatentSite> latents) : base("auto_normal", modelName, latents)
    {
        locNames = latents.Select(s => $"{Prefix}.{s.Name}.loc").ToArray();
        scaleNames = latents.Select(s => $"{Prefix}.{s.Name}.scale").ToArray();
        scaleInits = latents.Select(s => (Func<Tensor>)(() => Tensor.Full(InitScale, s.UnconstrainedShape))).ToArray();
    }

    /// <inheritdoc/>
    protected override SiteSampler Begin(ModelContext context) => (s, i, centring) =>
    {
        var loc = Local(context, context.Param(locNames[i], Init(i), Constraint.Real, s.Location), s);
        var scale = Local(context, context.Param(scaleNames[i], scaleInits[i], Constraint.Positive, s.Location), s);
        return context.Sample(s.Name, OnSupport(new Normal(loc, scale), s, centring), s.Location);
    };

    /// <inheritdoc/>
    internal override (Tensor Loc, Tensor? Scale, Tensor? ScaleTril)? Gaussian(ModelContext context)
    {
        var loc = new List<float>();
        var scale = new List<float>();
        for (int i = 0; i < Latents.Count; i++)
        {
            var s = Latents[i];
            if (s.IsDiscrete) continue;
            loc.AddRange(context.Param(locNames[i], Init(i), Constraint.Real, s.Location).Value.ToArray());
            scale.AddRange(context.Param(scaleNames[i], scaleInits[i], Constraint.Positive, s.Location).Value.ToArray());
        }
        return (new Tensor([.. loc], loc.Count), new Tensor([.. scale], scale.Count), null);
    }
}
