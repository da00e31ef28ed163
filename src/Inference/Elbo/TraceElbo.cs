using Ppl.Inference.Estimators;
using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Models;
using Ppl.Runtime.Params;
using Ppl.Runtime.Random;
using Ppl.Runtime.Sites;
using Ppl.Runtime.Tensors;

namespace Ppl.Inference.Elbo;

/// <summary>
/// The trace ELBO, L = E_q[log p(x, z) − log q(z)] (Wingate and Weber 2013; Ranganath, Gerrish and Blei 2014), with
/// the gradient chosen per latent site by <see cref="EstimatorPolicy"/>. Each particle runs the guide (traced) and the
/// model replayed at the guide's draws; L̂ = Σ model terms − Σ guide terms, each site's log density scaled by its
/// plates' N/M. The surrogate whose gradient is the estimate is
/// <code>S = L̂ + Σ_s Σ_i log q(z_s,i) · stop_grad(cost_s,i − b_s,i)</code>
/// over the score-function sites s and their plate elements i: pathwise sites get their gradient through L̂ (the draw
/// is differentiable), score-function sites through the second sum, where cost_s,i is exactly the terms downstream of
/// the draw (<see cref="DownstreamCost"/>, found by provenance on the tape) and b_s,i a control variate (EMA of past
/// costs with one particle, the other particles' mean with K &gt; 1). No score-function term is ever dropped.
/// A DisARM site (the default for a sampled Bernoulli, see <see cref="EstimatorPolicy"/>) is instead weighed per
/// antithetic pair of particles (<see cref="DisArm"/>); K is then rounded up to an even count. A site enumerated in the
/// guide (<c>--estimator enum</c>) has no score part: each particle's terms are already its exact expectation (see
/// <c>Enumeration/GuideEnumeration</c>).
/// <para>
/// K particles run one after another on the same tape and meet in one backward pass: L̂ and S are averaged over
/// them. Generated models have fixed plate shapes, so the particle axis cannot be batched through their code; the
/// sequential loop costs about K times one particle's forward pass, but one backward and no repeated bookkeeping
/// (<c>ppl bench elbo-particles-8</c>: 7.0× the step time of one particle on a 100-observation normal model).
/// </para>
/// <para>
/// Analytic KL (<see cref="ElboOptions.AnalyticKl"/>): a latent site's log p(z) − log q(z) becomes −KL(q ‖ p) when
/// the registry has the pair and p(z) conditions only on latents the guide drew before z (see <see cref="Particle"/>).
/// This is sound for a score-function site too: ∇E_q[log p(z) − log q(z) + g(z)] = −∇KL + E_q[∇log q(z)·g(z)], so
/// its own two terms leave its cost (the KL term's provenance holds only its parameters' sites, never z itself) and
/// the score part carries only the downstream terms g. A score-function site upstream of z is charged −KL in place of
/// the two sampled terms, which is their expectation given everything drawn before z: Rao-Blackwellized, unbiased.
/// </para>
/// </summary>
public sealed class TraceElbo
{
    readonly ElboOptions options;
    readonly List<SiteEstimator> estimators = new();
    readonly Dictionary<string, SiteEstimator> bySite = new();
    readonly Dictionary<string, EmaBaseline> emas = new();
    readonly List<string> warnings = new();
    readonly DisArm disArm = new();
    readonly HashSet<string> fellBack = new();   // default DisARM sites whose pair did not share probabilities this step
    bool pairs;   // some site has DisARM: particles come in antithetic pairs
    ParamStore? store;   // the current step's, for learned baselines
    readonly Func<Site, EstimatorKind> decide;   // Decide, made once (a method group makes a delegate per use)

    /// <summary>An ELBO with the given options (defaults: one particle, per-site estimators, analytic KL).</summary>
    public TraceElbo(ElboOptions? options = null)
    {
        this.options = options ?? new ElboOptions();
        decide = Decide;
        if (this.options.Particles < 1) throw new ArgumentOutOfRangeException(nameof(options), "the number of particles must be at least 1");
        if (this.options.Baseline == BaselineKind.LeaveOneOut && this.options.Particles < 2)
            throw new EstimatorException("the leave-one-out baseline needs at least 2 particles");
    }

    /// <summary>Per latent site: the estimator chosen and why (known after the first Step).</summary>
    public IReadOnlyList<SiteEstimator> Estimators => estimators;

    /// <summary>Warnings about estimator choices (a continuous site that falls back to the score function), each once.</summary>
    public IReadOnlyList<string> Warnings => warnings;

    /// <summary>The options.</summary>
    public ElboOptions Options => options;

    /// <summary>The score-function sites' EMA baselines by site name, for saving a fit mid-way (<c>FitCheckpoint</c>).</summary>
    public IReadOnlyDictionary<string, EmaBaseline.State> ExportBaselines() => emas.ToDictionary(kv => kv.Key, kv => kv.Value.Export());

    /// <summary>Replaces the baselines with saved ones (<see cref="ExportBaselines"/>), so a resumed fit continues bit for bit.</summary>
    public void ImportBaselines(IReadOnlyDictionary<string, EmaBaseline.State> states)
    {
        emas.Clear();
        foreach (var (name, state) in states) { var e = new EmaBaseline(); e.Import(state); emas[name] = e; }
    }

    /// <summary>
    /// Runs the guide (traced) and the model replayed at the guide's draws, on contexts built from
    /// (rng, tape, store); builds the surrogate; calls tape.Backward on −surrogate so that each parameter's Var.Grad
    /// ACCUMULATES ∇(−ELBO) (the caller zeroes gradients before and steps after). Returns the ELBO estimate.
    /// Throws <see cref="EstimatorException"/> when Force is invalid for a site.
    /// </summary>
    public ElboStep Step(IModel model, IModel guide, ParamStore store, Tape tape, Rng rng)
    {
        this.store = store;
        int k = options.Particles;
        // Sites are decided as the first particle meets them, so whether the particles must pair up for DisARM is known
        // after it (it is the first of a pair either way).
        var disArm = options.Force is null or EstimatorKind.DisArm ? this.disArm : null;
        if (disArm is not null) disArm.Antithetic = false;
        var first = Particle.Run(model, guide, store, tape, rng, decide, options.AnalyticKl, options.Shard, disArm);
        if (disArm is not null && pairs) k = Math.Max(2, k + k % 2);   // antithetic pairs
        else disArm = null;
        var particles = new Particle[k];
        particles[0] = first;
        for (int i = 1; i < k; i++)
        {
            if (disArm is not null) disArm.Antithetic = i % 2 == 1;
            particles[i] = Particle.Run(model, guide, store, tape, rng, decide, options.AnalyticKl, options.Shard, disArm);
        }
        fellBack.Clear();
        Report(particles[0]);
        Var surrogate = particles[0].Elbo;
        for (int i = 1; i < k; i++) surrogate = Ops.Add(surrogate, particles[i].Elbo);
        double elbo = surrogate.ToScalar() / k;
        if (HasScoreSites(particles))
            foreach (var part in ScoreParts(particles)) surrogate = Ops.Add(surrogate, part);
        if (k > 1) surrogate = Ops.Mul(surrogate, 1f / k);
        tape.Backward(surrogate, -1f);
        return new ElboStep(elbo, particles[^1].Guide, particles[^1].Model);
    }

    /// <summary>ELBO estimate without gradients (for evaluation), averaged over the particles.</summary>
    public double Evaluate(IModel model, IModel guide, ParamStore store, Rng rng)
    {
        double total = 0;
        for (int i = 0; i < options.Particles; i++)
        {
            var p = Particle.Run(model, guide, store, null, rng, decide, options.AnalyticKl, options.Shard);
            Report(p);
            total += p.Elbo.ToScalar();
        }
        return total / options.Particles;
    }

    /// <summary>One particle without a tape, deciding estimators as a step would (how <c>SplitMinibatch</c> probes a model).</summary>
    internal Particle RunWithoutTape(IModel model, IModel guide, ParamStore store, Rng rng) =>
        Particle.Run(model, guide, store, null, rng, decide, options.AnalyticKl, options.Shard);

    static bool HasScoreSites(Particle[] particles)
    {
        foreach (var p in particles) if (p.ScoreSites.Count > 0) return true;
        return false;
    }

    /// <summary>Σ_i log q(z_s,i) · stop_grad(cost − baseline) per score-function site, summed over particles.</summary>
    IEnumerable<Var> ScoreParts(Particle[] particles)
    {
        var bySiteName = new Dictionary<string, List<(Var LogQ, Tensor Cost, Site Site)>>();
        foreach (var part in DisArmParts(particles)) yield return part;
        foreach (var p in particles)
            foreach (var s in p.ScoreSites)
            {
                if (bySite.TryGetValue(s.Name, out var e) && e.Kind == EstimatorKind.DisArm) continue;
                var (logQ, cost) = DownstreamCost.Of(s, p, options.RaoBlackwellize);
                if (!bySiteName.TryGetValue(s.Name, out var list)) bySiteName[s.Name] = list = new();
                list.Add((logQ, cost, s));
            }
        var defaultKind = options.Baseline ?? EstimatorPolicy.DefaultBaseline(options.Particles);
        foreach (var (name, draws) in bySiteName)
        {
            var kind = fellBack.Contains(name) ? BaselineKind.Ema : defaultKind;
            var shape = draws[0].Cost.Shape;
            bool sameShape = draws.All(d => Shapes.Equal(d.Cost.Shape, shape));
            var ema = emas.TryGetValue(name, out var e) ? e : emas[name] = new EmaBaseline();
            var sum = sameShape ? SumOf(draws.Select(d => d.Cost), shape) : null;
            foreach (var (logQ, cost, site) in draws)
            {
                var centred = cost.Clone();
                var c = centred.Span;
                if (kind == BaselineKind.LeaveOneOut && sum is not null && draws.Count > 1)
                {
                    var s = sum.Span;
                    for (int j = 0; j < c.Length; j++) c[j] -= (s[j] - cost.Span[j]) / (draws.Count - 1);
                }
                else if (kind == BaselineKind.Learned && store is not null && LearnedBaseline.Evaluate(site, cost, store, logQ.Tape) is { } learned)
                {
                    var b = learned.Baseline.Span;
                    for (int j = 0; j < c.Length; j++) c[j] -= b[j];
                    yield return learned.Loss;
                }
                else if (kind != BaselineKind.None)
                {
                    var b = new float[c.Length];
                    ema.Fill(b, cost.Shape);
                    for (int j = 0; j < c.Length; j++) c[j] -= b[j];
                }
                yield return Ops.Sum(Ops.Mul(logQ, logQ.Tape is { } t ? t.Const(centred) : Var.Const(centred)));
            }
            bool subsampled = draws[0].Site.Plates.Any(f => f.SubsampleSize < f.Size);
            if (sum is not null)
            {
                var mean = sum.Span;
                for (int j = 0; j < mean.Length; j++) mean[j] /= draws.Count;
                ema.Update(mean, shape, subsampled);
            }
            else foreach (var d in draws) ema.Update(d.Cost.Span, d.Cost.Shape, subsampled);
        }
    }

    /// <summary>Σ_i θ_i · stop_grad(w_i) per DisARM site and antithetic pair (particles 2j and 2j + 1), see <see cref="DisArm"/>.</summary>
    IEnumerable<Var> DisArmParts(Particle[] particles)
    {
        for (int j = 0; j + 1 < particles.Length; j += 2)
        {
            var (a, b) = (particles[j], particles[j + 1]);
            foreach (var s in a.ScoreSites)
            {
                if (!bySite.TryGetValue(s.Name, out var e) || e.Kind != EstimatorKind.DisArm) continue;
                var t = b.Guide[s.Name];
                var logits = ((Runtime.Distributions.Bernoulli)s.Distribution!).Logits;
                var other = ((Runtime.Distributions.Bernoulli)t.Distribution!).Logits;
                bool shared = Shapes.Equal(logits.Shape, other.Shape) && logits.Value.Span.SequenceEqual(other.Value.Span);
                if (!shared && options.Force is null)
                {
                    // The default gives way: each draw is still a correct Bernoulli draw, so this step scores them
                    // with the moving average (independent of the draws, unlike the pair's leave-one-out).
                    FallBack(s);
                    continue;
                }
                if (!shared)
                    throw new EstimatorException($"{s.Location}: site '{s.Name}': DisARM needs the pair of draws to share the site's probabilities, but they depend on other random draws of the guide; use the score-function estimator for it");
                var (_, costA) = DownstreamCost.Of(s, a, options.RaoBlackwellize);
                var (_, costB) = DownstreamCost.Of(t, b, options.RaoBlackwellize);
                if (costA.Size == 0 || logits.Value.Size % costA.Size != 0)
                    throw new EstimatorException($"{s.Location}: site '{s.Name}': DisARM needs the site's plates as the leading axes of its value (shape {Shapes.Format(logits.Shape)})");
                var w = DisArm.Weight(logits.Value, s.Value!.Value, t.Value!.Value, costA, costB, logits.Tape);
                yield return Ops.Sum(Ops.Mul(logits, logits.Tape is { } tp ? tp.Const(w) : Var.Const(w)));
            }
        }
    }

    void FallBack(Site site)
    {
        var chosen = EstimatorPolicy.DisArmFallback(site, options);
        estimators[estimators.FindIndex(e => e.Site == site.Name)] = chosen;
        bySite[site.Name] = chosen;
        fellBack.Add(site.Name);
        pairs = bySite.Values.Any(e => e.Kind == EstimatorKind.DisArm);
    }

    static Tensor SumOf(IEnumerable<Tensor> costs, int[] shape)
    {
        var total = Tensor.Zeros(shape);
        foreach (var c in costs) Kernels.AddInPlace(total.Span, c.Span);
        return total;
    }

    /// <summary>Adds the model's enumerated sites to <see cref="Estimators"/> the first time they are seen.</summary>
    void Report(Particle p)
    {
        if (p.Enumerated is null) return;
        foreach (var n in p.Enumerated.Nodes)
            if (!bySite.ContainsKey(n.Site.Name))
            {
                var chosen = EstimatorPolicy.Enumerated(n.Site, n.K);
                bySite[n.Site.Name] = chosen;
                estimators.Add(chosen);
            }
    }

    EstimatorKind Decide(Site site)
    {
        if (bySite.TryGetValue(site.Name, out var known)) return known.Kind;
        var chosen = EstimatorPolicy.Decide(site, options, out var warning);
        bySite[site.Name] = chosen;
        estimators.Add(chosen);
        pairs |= chosen.Kind == EstimatorKind.DisArm;
        if (warning is not null) warnings.Add(warning);
        return chosen.Kind;
    }
}
