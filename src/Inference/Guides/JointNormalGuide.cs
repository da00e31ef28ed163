using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Distributions;
using Ppl.Runtime.Distributions.Constraints;
using Ppl.Runtime.Sites;
using Ppl.Runtime.Tensors;
using Ppl.Runtime.Transforms;

namespace Ppl.Inference.Guides;

/// <summary>
/// A multivariate normal over all continuous latents' unconstrained coordinates stacked into one vector u ∈ ℝᴰ,
/// u = loc + L·ε with ε ~ N(0, I) and L lower-triangular. It is declared site by site without an auxiliary site:
/// for the block b of u that belongs to one site, u_b | u_&lt;b ~ N(loc_b + L_{b,&lt;b}·ε_&lt;b, L_{bb}L_{bb}ᵀ), where
/// ε_&lt;b = L_{&lt;b,&lt;b}⁻¹(u_&lt;b − loc_&lt;b) is recovered from the earlier sites' values. The product of these
/// conditionals is exactly the joint density, so Σ_sites log q = log N(u; loc, LLᵀ) − Σ log |det J_T|, and each site's
/// value is the constrained T(u_b) the model sees. Subclasses say how L is parameterised.
/// </summary>
public abstract class JointNormalGuide : AutoGuide
{
    readonly int[] offsets;
    readonly string locName;
    readonly Func<Tensor> locInit;

    /// <summary>Stacks the continuous latents; a latent in a subsampled plate is refused (its block would change every step).</summary>
    protected JointNormalGuide(string prefix, string modelName, IReadOnlyList<LatentSite> latents) : base(prefix, modelName, latents)
    {
        var stacked = new LatentVector(Latents, prefix);
        offsets = stacked.Offsets;
        Dim = stacked.Dim;
        var loc = stacked.Init;
        locInit = () => loc;
        locName = $"{prefix}.loc";
    }

    /// <summary>D, the number of unconstrained coordinates of the continuous latents.</summary>
    public int Dim { get; }

    /// <summary>The run's lower-triangular factor L of the covariance LLᵀ, [D, D].</summary>
    protected abstract Var ScaleTril(ModelContext context, SiteLocation at);

    /// <inheritdoc/>
    protected override SiteSampler Begin(ModelContext context)
    {
        if (Dim == 0) return (_, _, _) => throw new InvalidOperationException("no continuous latent");
        var at = Latents.First(s => !s.IsDiscrete).Location;
        var loc = context.Param(locName, locInit, Constraint.Real, at);
        var l = ScaleTril(context, at);
        var eps = new List<Var>();
        return (s, i, centring) =>
        {
            int o = offsets[i], n = s.Dim;
            var rows = Ops.Slice(l, 0, o, o + n);
            var mean = Ops.Slice(loc, 0, o, o + n);
            if (o > 0) mean = mean + Ops.MatVec(Ops.Slice(rows, 1, 0, o), eps.Count == 1 ? eps[0] : Ops.Concat(eps));
            var tril = Ops.Slice(rows, 1, o, o + n);
            var t = centring ?? s.ToSupport!;
            var reshape = new ReshapeTransform([n], s.UnconstrainedShape);
            Transform[] chain = t is IdentityTransform ? [reshape] : [reshape, t];
            var z = context.Sample(s.Name, new TransformedDistribution(MultivariateNormal.FromScaleTril(mean, tril), chain), s.Location);
            var u = Ops.Reshape(t.Inverse(z), n);
            eps.Add(Ops.TriangularSolve(tril, u - mean));
            return z;
        };
    }

    /// <inheritdoc/>
    internal override (Tensor Loc, Tensor? Scale, Tensor? ScaleTril)? Gaussian(ModelContext context)
    {
        if (Dim == 0) return null;
        var at = Latents.First(s => !s.IsDiscrete).Location;
        return (context.Param(locName, locInit, Constraint.Real, at).Value, null, ScaleTril(context, at).Value);
    }
}

/// <summary>
/// The full-rank guide (Pyro's AutoMultivariateNormal, ADVI's full-rank family): L is any lower-triangular matrix
/// with positive diagonal, started at <see cref="AutoGuide.InitScale"/>·I.
/// </summary>
public sealed class AutoMultivariateNormal : JointNormalGuide
{
    readonly string trilName;
    readonly Func<Tensor> trilInit;

    /// <summary>The guide over <paramref name="latents"/> of model <paramref name="modelName"/>.</summary>
    public AutoMultivariateNormal(string modelName, IReadOnlyList<LatentSite> latents) : base("auto_mvn", modelName, latents)
    {
        trilName = $"{Prefix}.scale_tril";
        var init = Tensor.Zeros(Dim, Dim);
        for (int i = 0; i < Dim; i++) init[i, i] = InitScale;
        trilInit = () => init;
    }

    /// <inheritdoc/>
    protected override Var ScaleTril(ModelContext context, SiteLocation at) => context.Param(trilName, trilInit, Constraint.LowerCholesky, at);
}
