using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Distributions;
using Ppl.Runtime.Distributions.Constraints;
using Ppl.Runtime.Flows;
using Ppl.Runtime.Sites;
using Ppl.Runtime.Tensors;
using Ppl.Runtime.Transforms;

namespace Ppl.Inference.Guides;

/// <summary>
/// Normalizing-flow guides on top of a diagonal normal (Pyro's AutoIAFNormal; Rezende &amp; Mohamed 2015 for planar
/// flows, Kingma et al. 2016 for IAF): u = F(x), x ~ N(loc, diag(scale²)) over all continuous latents' unconstrained
/// coordinates stacked into ℝᴰ. A flow mixes every coordinate, so u is drawn at one auxiliary guide site
/// (<c>_PREFIX_latent</c>, not in the model: the ELBO counts its log q, the model never sees it); each latent site then
/// takes its block u_b through its bijection T (for a recentred site, its <see cref="Recentring"/> map) as a
/// <see cref="PointMass"/> whose log density is −log |det J_T(u_b)|.
/// Summed, the sites give log q(z) = log q_F(u) − Σ_b log |det J_T(u_b)|, the density of the constrained values.
/// IAF: <see cref="Layers"/> layers with one hidden layer of 3D + 3 units (Pyro's default width), orderings
/// alternating; planar: <see cref="Layers"/> layers. The base starts at the prior median with scale 0.1.
/// </summary>
public sealed class AutoFlow : AutoGuide
{
    readonly int[] offsets;
    readonly GuideKind kind;
    readonly ulong seed;
    readonly Func<Tensor> locInit, scaleInit;
    readonly string locName, scaleName, flowName, latentName;

    /// <summary>The guide over <paramref name="latents"/> of model <paramref name="modelName"/>; <paramref name="kind"/> is Iaf or Planar.</summary>
    public AutoFlow(string modelName, IReadOnlyList<LatentSite> latents, GuideKind kind, ulong seed = 0, int? layers = null)
        : base(kind == GuideKind.Iaf ? "auto_iaf" : kind == GuideKind.Planar ? "auto_planar" : throw new ArgumentOutOfRangeException(nameof(kind)), modelName, latents)
    {
        this.kind = kind;
        this.seed = seed;
        Layers = layers ?? (kind == GuideKind.Iaf ? 2 : 4);
        var stacked = new LatentVector(Latents, Prefix);
        offsets = stacked.Offsets;
        Dim = stacked.Dim;
        var loc = stacked.Init;
        var scale = Tensor.Full(InitScale, Dim);
        locInit = () => loc;
        scaleInit = () => scale;
        locName = $"{Prefix}.loc";
        scaleName = $"{Prefix}.scale";
        flowName = $"{Prefix}.flow";
        latentName = $"_{Prefix}_latent";
    }

    /// <summary>D, the number of unconstrained coordinates.</summary>
    public int Dim { get; }

    /// <summary>Flow layers.</summary>
    public int Layers { get; }

    /// <inheritdoc/>
    protected override SiteSampler Begin(ModelContext context)
    {
        if (Dim == 0) return (_, _, _) => throw new InvalidOperationException("no continuous latent");
        var at = Latents.First(s => !s.IsDiscrete).Location;
        var loc = context.Param(locName, locInit, Constraint.Real, at);
        var scale = context.Param(scaleName, scaleInit, Constraint.Positive, at);
        var flow = context.Net(flowName, rng => kind == GuideKind.Iaf
            ? Iaf.Stack(Dim, Layers, 3 * Dim + 3, rng.Fork(seed))
            : Planar.Stack(Dim, Layers, rng.Fork(seed)), at);
        var u = context.Sample(latentName, new TransformedDistribution(new Independent(new Normal(loc, scale), 1), flow), at);
        return (s, i, centring) =>
        {
            var block = Ops.Reshape(Ops.Slice(u, 0, offsets[i], offsets[i] + s.Dim), s.UnconstrainedShape);
            var t = centring ?? s.ToSupport!;
            var z = t.Forward(block);
            Var? logDensity = t is IdentityTransform ? null : Ops.Neg(Ops.Sum(t.LogAbsDetJacobian(block, z)));
            return context.Sample(s.Name, new PointMass(z, s.Prior.Support, z.Rank, logDensity), s.Location);
        };
    }
}
