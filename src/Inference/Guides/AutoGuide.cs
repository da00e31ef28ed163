using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Distributions;
using Ppl.Runtime.Distributions.Constraints;
using Ppl.Runtime.Models;
using Ppl.Runtime.Random;
using Ppl.Runtime.Sites;
using Ppl.Runtime.Tensors;
using Ppl.Runtime.Transforms;

namespace Ppl.Inference.Guides;

/// <summary>
/// An automatic guide: a model (<see cref="IModel"/>) that declares every latent site of the model it was built for,
/// each drawn from a learnable distribution on the unconstrained space pushed through <see cref="BijectTo"/> onto the
/// site's support, so the value the model sees is constrained and its log q includes the Jacobian. Built from traced
/// runs of the model (<see cref="ModelPrototype"/>). Plates that hold latents are re-declared, so a minibatch the guide
/// draws is replayed in the model; local parameters hold one entry per plate element and are gathered at the minibatch.
/// A finite discrete latent within the enumeration budget is left out (the ELBO sums it out exactly); any other discrete
/// latent gets a learnable Bernoulli or Categorical of its own (initialised at the site's <see cref="LatentSite.Init"/>
/// logits: the prior's, or the assignments a mixture's chosen start implies, <see cref="TiedStarts"/>), whose gradient the
/// ELBO estimates by the score function.
/// </summary>
public abstract class AutoGuide : IModel
{
    /// <summary>Initial scale of every automatic guide on the unconstrained space (Pyro's default since its wide starts failed).</summary>
    public const float InitScale = 0.1f;

    readonly Func<Tensor>[] inits;
    readonly string[] logitNames;
    readonly string?[] centrednessNames;

    /// <summary>A guide named <c>PREFIX</c> over <paramref name="latents"/> of the model <paramref name="modelName"/>.</summary>
    protected AutoGuide(string prefix, string modelName, IReadOnlyList<LatentSite> latents)
    {
        Prefix = prefix;
        ModelName = modelName;
        Latents = latents;
        inits = latents.Select(s => (Func<Tensor>)(() => s.Init)).ToArray();
        logitNames = latents.Select(s => $"{prefix}.{s.Name}.logits").ToArray();
        centrednessNames = latents.Select(s => s.Recentred is null ? null : Recentring.ParamName(prefix, s.Name)).ToArray();
        foreach (var s in latents)
            if (s.IsDiscrete && s.Prior is not (Bernoulli or Categorical))
                throw new NotSupportedException($"{s.Location}: site '{s.Name}' is a discrete {s.Prior.GetType().Name}: automatic guides handle Bernoulli and Categorical discrete latents only (write a guide)");
    }

    /// <summary>The prefix of the guide's parameter names (<c>auto_normal.theta.loc</c>).</summary>
    public string Prefix { get; }

    /// <summary>The name of the model the guide was built for.</summary>
    public string ModelName { get; }

    /// <inheritdoc/>
    public string Name => $"{Prefix}({ModelName})";

    /// <summary>The model's latent sites, in declaration order.</summary>
    public IReadOnlyList<LatentSite> Latents { get; }

    /// <summary>The sites drawn through a learnable partial centring (<see cref="Recentring"/>), in declaration order.</summary>
    public IReadOnlyList<LatentSite> RecentredSites => Latents.Where(s => s.Recentred is not null).ToArray();

    /// <summary>The names of the centredness parameters λ, one per recentred site (<c>auto_normal.a_raw.centredness</c>).</summary>
    public IReadOnlyList<string> CentrednessNames => centrednessNames.OfType<string>().ToArray();

    /// <summary>
    /// Whether parameters saved under <paramref name="saved"/> names were written by this family without the
    /// centring (a file from before it, or a fit with it off): a site's other parameters are there but its λ is not.
    /// Such a file must be read by the guide built with <c>recentre: false</c>, whose coordinates it holds.
    /// </summary>
    public bool SavedWithoutRecentring(IEnumerable<string> saved)
    {
        var names = saved.ToHashSet();
        return Latents.Any(s => s.Recentred is not null && !names.Contains(Recentring.ParamName(Prefix, s.Name))
            && names.Any(n => n.StartsWith(Prefix + ".", StringComparison.Ordinal)));
    }

    /// <summary>Builds the automatic guide of <paramref name="kind"/> for <paramref name="model"/> (which already holds its data).</summary>
    /// <param name="kind">guide family</param>
    /// <param name="model">the model to approximate</param>
    /// <param name="seed">seed of the traced runs that find the latents (and of random initial weights)</param>
    /// <param name="enumerate">leave out the finite discrete sites whose enumeration fits the budget
    /// (<see cref="Estimators.EstimatorPolicy.ShouldEnumerate"/>), so the ELBO sums them out; false keeps a learnable
    /// Bernoulli or Categorical for them (<c>--estimator score|disarm</c>)</param>
    /// <param name="recentre">draw the latents the model uses only as L + S·r through a learnable partial centring
    /// (<see cref="Recentring"/>: normal, mvn, lowrank, planar; not delta, a point mass, nor iaf, measured worse with
    /// it); false keeps every site as declared</param>
    /// <param name="initRadius">r &gt; 0 moves every unconstrained coordinate of a continuous site's initial location by
    /// an independent U(−r, r) draw from <paramref name="seed"/>'s stream: the random starts of multi-path fits (Stan
    /// draws U(−2, 2) inits; here they scatter around the prior median instead), and the tied components of a mixture
    /// start from the spread of prior quantiles rather than the best of <see cref="TiedStarts.Candidates"/>; 0 keeps the
    /// prior median and the search</param>
    public static AutoGuide Create(GuideKind kind, IModel model, ulong seed = 0, bool enumerate = true, bool recentre = true, double initRadius = 0)
    {
        // A random start also skips the search for the best start of a mixture's tied components (TiedStarts): that search
        // leads every path to the same clustering, and the paths are there to find the others. On gmm (--guide mvn
        // --paths 8, seeds 1-8) it took the largest mean error from 0.10-0.34 sd (one seed over 0.3) to 0.14-0.28 and the
        // smallest sd ratio against NUTS from 0.31-0.82 to 0.45-0.89 (examples/README.md). Starting the components at a
        // prior draw each, or at random quantiles of their strata, instead did worse on the means (3-4 seeds of 8 over 0.3).
        var latents = ModelPrototype.Latents(model, seed, enumerate, initRadius > 0 ? 1 : TiedStarts.Candidates);
        if (initRadius > 0) latents = Scatter(latents, initRadius, new Rng(seed).Fork(InitStream));
        var centred = recentre ? Recentring.Mark(latents) : latents;
        return kind switch
        {
            GuideKind.Normal => new AutoNormal(model.Name, centred),
            GuideKind.Delta => new AutoDelta(model.Name, latents),
            GuideKind.Mvn => new AutoMultivariateNormal(model.Name, centred),
            GuideKind.LowRank => new AutoLowRankMultivariateNormal(model.Name, centred, seed),
            // Measured on eight schools (examples/README.md): the IAF with the centring missed by 0.24-0.59 sd on five
            // of six seeds against 0.16-0.31 without, planar and the normal families were no worse; so IAF keeps r.
            GuideKind.Planar => new AutoFlow(model.Name, centred, kind, seed),
            GuideKind.Iaf => new AutoFlow(model.Name, latents, kind, seed),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
    }

    /// <summary>The stream (a fork of the seed's) of the random starts; nothing else draws from it.</summary>
    const ulong InitStream = 0x1A17;

    static IReadOnlyList<LatentSite> Scatter(IReadOnlyList<LatentSite> latents, double radius, Rng rng) =>
        [.. latents.Select(s =>
        {
            if (s.IsDiscrete) return s;
            var init = s.Init.Clone();
            var v = init.Span;
            for (int i = 0; i < v.Length; i++) v[i] += (float)(radius * (2 * rng.NextDouble() - 1));
            return s with { Init = init };
        })];

    /// <summary><see cref="Create(GuideKind, IModel, ulong, bool, bool, double)"/> with the kind by name (<c>normal</c>, <c>mvn</c>, …).</summary>
    public static AutoGuide Create(string kind, IModel model, ulong seed = 0) => Create(GuideKinds.Parse(kind), model, seed);

    /// <inheritdoc/>
    public void Run(ModelContext context)
    {
        context.With(new PlateMemo());
        var open = new List<Plate>();
        var sampler = Begin(context);
        // The guide's draws so far, for the L and S of a recentred site (only a guide with one keeps them).
        Var?[]? values = Array.Exists(centrednessNames, n => n is not null) ? new Var?[Latents.Count] : null;
        for (int i = 0; i < Latents.Count; i++)
        {
            var s = Latents[i];
            EnterPlates(context, open, s.Plates);
            if (s.IsDiscrete) { SampleDiscrete(context, s, i); continue; }
            var centring = centrednessNames[i] is { } lambda ? Recentring.Map(context, s, lambda, values!) : null;
            var z = sampler(s, i, centring);
            if (values is not null) values[i] = z;
        }
        for (int i = open.Count - 1; i >= 0; i--) open[i].Dispose();
    }

    /// <summary>
    /// The bijection from the family's coordinates to latent <paramref name="index"/>'s value in a run whose earlier
    /// latents took <paramref name="values"/> (by latent index): the site's recentring, or its support's bijection.
    /// </summary>
    internal Transform SiteTransform(ModelContext? context, int index, IReadOnlyList<Var?> values) =>
        centrednessNames[index] is { } lambda
            ? Recentring.Map(context ?? throw new ArgumentNullException(nameof(context), "a recentred site reads its λ"), Latents[index], lambda, values)
            : Latents[index].ToSupport!;

    /// <summary>Whether some latent is recentred, so that the family's coordinates of a point depend on its λ.</summary>
    internal bool IsRecentred => Array.Exists(centrednessNames, n => n is not null);

    /// <summary>
    /// The family's parameters read from <paramref name="context"/>'s store as one Gaussian on the stacked coordinates
    /// of the continuous latents: its location, and either independent scales (mean-field) or the lower-triangular
    /// factor L of its covariance LLᵀ. Null for a family that is not such a Gaussian.
    /// </summary>
    internal virtual (Tensor Loc, Tensor? Scale, Tensor? ScaleTril)? Gaussian(ModelContext context) => null;

    /// <summary>
    /// Draws one continuous site and returns its (constrained) value. <paramref name="centring"/>, for a recentred
    /// site, maps the family's coordinate ã to the site's value r (<see cref="Recentring"/>); null otherwise.
    /// </summary>
    protected delegate Var SiteSampler(LatentSite site, int index, Transform? centring);

    /// <summary>
    /// Starts one run: reads the run's shared parameters and returns the sampler of a continuous site
    /// (called in declaration order with the site and its index in <see cref="Latents"/>, inside its plates).
    /// </summary>
    protected abstract SiteSampler Begin(ModelContext context);

    /// <summary>The initial unconstrained value of latent <paramref name="index"/>, as a cached initializer.</summary>
    protected Func<Tensor> Init(int index) => inits[index];

    /// <summary>A full-size local parameter gathered at the run's minibatch along each subsampled plate's axis.</summary>
    protected static Var Local(ModelContext context, Var full, LatentSite site)
    {
        for (int axis = 0; axis < site.Plates.Count; axis++)
        {
            if (site.Plates[axis].Subsample is null) continue;
            var frame = context.Plates.First(f => f.Name == site.Plates[axis].Name);
            full = Ops.Gather(full, frame.Indices, axis);
        }
        return full;
    }

    /// <summary>
    /// The site's distribution from one on the unconstrained space: pushed through the site's bijection (or, for a
    /// recentred site, through its <paramref name="centring"/>) and, when the bijection leaves batch axes that the
    /// prior counts as event axes, reinterpreted so log q has the prior's shape.
    /// </summary>
    protected static Distribution OnSupport(Distribution unconstrained, LatentSite site, Transform? centring = null)
    {
        var t = centring ?? site.ToSupport!;
        var d = t is IdentityTransform ? unconstrained : new TransformedDistribution(unconstrained, t);
        int missing = site.Prior.EventShape.Length - d.EventShape.Length;
        return missing > 0 ? new Independent(d, missing) : d;
    }

    void SampleDiscrete(ModelContext context, LatentSite s, int index)
    {
        var logits = Local(context, context.Param(logitNames[index], Init(index), Constraint.Real, s.Location), s);
        context.Sample(s.Name, s.Prior is Bernoulli ? Bernoulli.FromLogits(logits) : Categorical.FromLogits(logits), s.Location);
    }

    static void EnterPlates(ModelContext context, List<Plate> open, IReadOnlyList<PlateInfo> wanted)
    {
        int keep = 0;
        while (keep < open.Count && keep < wanted.Count && open[keep].Frame.Name == wanted[keep].Name) keep++;
        for (int i = open.Count - 1; i >= keep; i--) { open[i].Dispose(); open.RemoveAt(i); }
        for (int i = keep; i < wanted.Count; i++)
        {
            var p = wanted[i];
            open.Add(context.Plate(p.Name, p.Size, p.Subsample, p.Location));
        }
    }

    /// <summary>A plate opened again later in the same run keeps the minibatch it drew first.</summary>
    sealed class PlateMemo : Handler
    {
        Dictionary<string, Var>? seen;   // made at the first plate: a guide without plates allocates none

        public override void Process(Site site)
        {
            if (site.Kind == SiteKind.Plate && site.Value is null && seen is not null && seen.TryGetValue(site.Name, out var v)) site.Value = v;
        }

        public override void PostProcess(Site site)
        {
            if (site.Kind == SiteKind.Plate) (seen ??= new()).TryAdd(site.Name, site.Value!);
        }
    }
}
