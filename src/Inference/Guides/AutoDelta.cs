using Ppl.Runtime.Distributions.Constraints;
using Ppl.Runtime.Sites;

namespace Ppl.Inference.Guides;

/// <summary>
/// The MAP guide: each latent is a point mass at T(u) for a learnable unconstrained u (started at the prior median),
/// so the ELBO is log p(x, z) at the point and maximising it gives the posterior mode on the unconstrained scale
/// (Pyro's AutoDelta).
/// </summary>
public sealed class AutoDelta : AutoGuide
{
    readonly string[] locNames;

    /// <summary>The guide over <paramref name="latents"/> of model <paramref name="modelName"/>.</summary>
    public AutoDelta(string modelName, IReadOnlyList<LatentSite> latents) : base("auto_delta", modelName, latents) =>
        locNames = latents.Select(s => $"{Prefix}.{s.Name}.loc").ToArray();

    /// <inheritdoc/>
    protected override SiteSampler Begin(ModelContext context) => (s, i, _) =>
    {
        var u = Local(context, context.Param(locNames[i], Init(i), Constraint.Real, s.Location), s);
        var z = s.ToSupport!.Forward(u);
        return context.Sample(s.Name, new PointMass(z, s.Prior.Support, s.Prior.EventShape.Length), s.Location);
    };
}
