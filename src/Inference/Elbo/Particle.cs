using Ppl.Inference.Enumeration;
using Ppl.Inference.Estimators;
using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Distributions;
using Ppl.Runtime.Models;
using Ppl.Runtime.Params;
using Ppl.Runtime.Random;
using Ppl.Runtime.Sites;

namespace Ppl.Inference.Elbo;

/// <summary>
/// One particle: the guide run and traced, the model replayed at its draws and traced, and the ELBO's terms. With
/// analytic KL, a latent site's two terms log p(z) − log q(z) become −KL(q ‖ p) when the registry has the pair and
/// the closed form is the conditional expectation it replaces: the model may only condition p(z) on latents the guide
/// drew before z (a guide draw after z may depend on z, and E_z[log p(z | w(z))] is not −KL). Program order proves
/// it: every latent the model visits before z must come before z in the guide.
/// </summary>
sealed class Particle
{
    public required Trace Guide { get; init; }
    public required Trace Model { get; init; }
    public required List<LogDensityTerm> Terms { get; init; }
    /// <summary>The score-function guide sites, in guide order.</summary>
    public required List<Site> ScoreSites { get; init; }
    /// <summary>Sites whose provenance was lost to control flow in this run.</summary>
    public SiteSet? Escaped { get; init; }
    /// <summary>The model's enumerated sites summed out in this particle (null: none).</summary>
    public DiscreteFactorGraph? Enumerated { get; init; }
    /// <summary>The ELBO of this particle (sum of the terms), on the tape when there is one.</summary>
    public required Var Elbo { get; init; }

    /// <summary>
    /// Runs guide then model and collects the terms. When the guide enumerates sites, guide and model run once per
    /// value and the terms that depend on them are their exact expectations (<see cref="GuideEnumeration"/>).
    /// </summary>
    public static Particle Run(IModel model, IModel guide, ParamStore store, Tape? tape, Rng rng, Func<Site, EstimatorKind> decide, bool analyticKl, DataShard? shard = null, DisArm? disArm = null)
    {
        tape?.TakeEscaped();
        var sites = new GuideSiteHandler(decide, rng, tape, disArm);
        var first = Replay(model, guide, RunGuide(guide, store, tape, rng, shard, sites), sites.Enumerated, store, tape, rng, analyticKl, shard);
        if (sites.Enumerated.Count == 0) return first;
        var g = first.Guide;
        var runs = new List<Particle> { first };
        var replayed = GuideEnumeration.Replayed(g, sites.Enumerated);
        for (int r = 1, n = GuideEnumeration.Runs(g, sites.Enumerated); r < n; r++)
        {
            var later = new GuideSiteHandler(decide, rng, tape, null, new GuideEnumeration.Pass(r, g, replayed));
            runs.Add(Replay(model, guide, RunGuide(guide, store, tape, rng, shard, later), sites.Enumerated, store, tape, rng, analyticKl, shard));
        }
        var terms = GuideEnumeration.Expectation(runs, sites.Enumerated);
        SiteSet? escaped = null;
        foreach (var r in runs) escaped = SiteSet.Union(escaped, r.Escaped);
        return new Particle { Guide = g, Model = first.Model, Terms = terms, ScoreSites = first.ScoreSites, Escaped = escaped, Enumerated = first.Enumerated, Elbo = Sum(terms) };
    }

    static Trace RunGuide(IModel guide, ParamStore store, Tape? tape, Rng rng, DataShard? shard, GuideSiteHandler sites)
    {
        var guideTrace = new TraceHandler();
        guide.Run(new ModelContext(rng, tape, store) { Shard = shard }.With(guideTrace).With(sites));
        return guideTrace.Trace;
    }

    /// <summary>The model replayed at one guide run's values; <paramref name="enumerated"/>: the guide's enumerated sites (not score-function sites).</summary>
    static Particle Replay(IModel model, IModel guide, Trace g, IReadOnlyList<string> enumerated, ParamStore store, Tape? tape, Rng rng, bool analyticKl, DataShard? shard)
    {
        var (runs, graph) = EnumeratedRuns.Run(model, g, store, tape, rng, shard);
        var escaped = tape?.TakeEscaped();

        var m = runs[0];
        var klSites = analyticKl ? KlSites(g, m) : [];
        if (graph is not null) klSites.ExceptWith(graph.Dependent);
        var terms = new List<LogDensityTerm>();
        var score = new List<Site>();
        for (int i = 0; i < g.Sites.Count; i++)
        {
            var s = g.Sites[i];
            if (s.Kind == SiteKind.Factor || (s.Kind == SiteKind.Sample && !s.IsObserved))
            {
                if (s.Kind == SiteKind.Sample && !s.IsReparameterized && !enumerated.Contains(s.Name)) score.Add(s);
                if (klSites.Contains(s.Name)) continue;
                terms.Add(Term(s, -s.Scale, s.LogProb, ProvenanceOf(s), true, i));
            }
        }
        for (int i = 0; i < m.Sites.Count; i++)
        {
            var s = m.Sites[i];
            if (s.Kind is not (SiteKind.Sample or SiteKind.Factor)) continue;
            if (graph is not null && (graph.Dependent.Contains(s.Name) || graph.Contains(s.Name))) continue;
            if (s.Kind == SiteKind.Sample && !s.IsObserved && g.Find(s.Name) is not { Kind: SiteKind.Sample })
                throw new EstimatorException($"{s.Location}: site '{s.Name}' is latent in model '{model.Name}' but guide '{guide.Name}' has no sample site of that name" +
                    (s.Distribution is { IsDiscrete: true } d ? $" and {d.GetType().Name} has an infinite support, so it cannot be enumerated" : ""));
            if (klSites.Contains(s.Name))
            {
                var kl = Kl.Divergence(g[s.Name].Distribution!, s.Distribution!);
                terms.Add(Term(s, -s.Scale, kl, kl.Provenance, false, i));
            }
            else terms.Add(Term(s, s.Scale, s.LogProb, ProvenanceOf(s), false, i));
        }
        if (graph is not null)
            foreach (var (root, logMarginal) in graph.Contract(runs, tape))
            {
                int order = 0;
                while (!ReferenceEquals(m.Sites[order], m[root.Site.Name])) order++;
                terms.Add(new LogDensityTerm(m[root.Site.Name], logMarginal, 1f, graph.ProvenanceOf(root, m), false, order, root.Site.Plates.Count));
            }
        return new Particle { Guide = g, Model = m, Terms = terms, ScoreSites = score, Escaped = escaped, Enumerated = graph, Elbo = Sum(terms) };
    }

    static Var Sum(List<LogDensityTerm> terms)
    {
        Var? elbo = null;
        foreach (var t in terms) elbo = Ops.AddWeightedSum(elbo, t.Raw, t.Weight);
        return elbo ?? Var.Const(0f);
    }

    /// <summary>
    /// A site's log density depends on its value whatever the family does with it: a density that reads the value as
    /// integer indices (Categorical's gather) drops the value's provenance, so it is added back here.
    /// </summary>
    static SiteSet? ProvenanceOf(Site s) => SiteSet.Union(s.LogProb.Provenance, s.Value?.Provenance);

    static LogDensityTerm Term(Site s, float sign, Var lp, SiteSet? provenance, bool inGuide, int order) =>
        new(s, lp, sign, provenance, inGuide, order, LogDensityTerm.Aligned(s.Plates, lp.Shape));

    /// <summary>Latent sites whose log p − log q may be replaced by −KL (see the class comment).</summary>
    static HashSet<string> KlSites(Trace g, Trace m)
    {
        var sites = new HashSet<string>();
        int latestBefore = -1;   // the latest guide position among model latents visited so far
        foreach (var s in m.Sites)
        {
            if (s is not { Kind: SiteKind.Sample, IsObserved: false }) continue;
            int gi = g.IndexOf(s.Name);
            if (gi < 0 || g.Sites[gi] is not { Kind: SiteKind.Sample, IsObserved: false } q) continue;
            if (latestBefore < gi && Kl.Has(q.Distribution!, s.Distribution!) && SameShape(q, s))
                sites.Add(s.Name);
            latestBefore = Math.Max(latestBefore, gi);
        }
        return sites;
    }

    static bool SameShape(Site q, Site p) => Runtime.Tensors.Shapes.Equal(q.Distribution!.Shape, p.Distribution!.Shape) && q.Scale == p.Scale;
}
