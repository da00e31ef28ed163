using Ppl.Inference.Elbo;
using Ppl.Inference.Estimators;
using Ppl.Runtime.Models;
using Ppl.Runtime.Params;
using Ppl.Runtime.Random;

namespace Ppl.Inference.Guides;

/// <summary>
/// The start of the exchangeable vector latents of a model with discrete latents (a mixture's or an HMM's means), chosen
/// among candidates by the log joint with the discrete latents summed out: candidate 0 is the spread of prior quantiles
/// (<see cref="PriorMedian.SpreadQuantiles"/>), the others independent prior draws per element, and the one with the
/// highest log p(x, θ) at the other latents' medians wins. A fixed spread of a wide prior can put the outer components
/// beyond the data (N(0, 10) quantiles at ±9.7 against data in [−5, 7]): the inner one then takes two clusters, an outer
/// one none, and gradient ascent never leaves that optimum (examples/gmm kept a component empty). Scoring many starts
/// by the objective and keeping the best is what Pyro's mixture tutorial does by hand; here each score is one exact
/// evaluation (a point-mass guide, the discrete sites enumerated), so the search is deterministic.
/// </summary>
public static class TiedStarts
{
    /// <summary>Candidate starts scored (the quantile spread and this many minus one prior draws).</summary>
    public const int Candidates = 32;

    /// <summary>
    /// <paramref name="latents"/> with the tied sites' starts replaced by the best candidate's, and the guide logits of
    /// discrete sites the guide samples set to the assignments that start implies; unchanged when there is no tied
    /// site, or when the discrete latents cannot all be summed out (then no candidate has an exact score).
    /// </summary>
    /// <param name="model">the model, holding its data</param>
    /// <param name="latents">its latents, the tied ones started at the quantile spread</param>
    /// <param name="tied">the names of the tied sites</param>
    /// <param name="rng">the stream of the prior draws</param>
    /// <param name="candidates">how many starts to score (the quantile spread and prior draws)</param>
    public static IReadOnlyList<LatentSite> Choose(IModel model, IReadOnlyList<LatentSite> latents, IReadOnlySet<string> tied, Rng rng, int candidates = Candidates)
    {
        if (tied.Count == 0) return latents;
        var continuous = latents.Where(s => !s.IsDiscrete).ToList();
        var best = continuous;
        double bestScore = Score(model, continuous);
        if (double.IsNaN(bestScore)) return latents;
        for (int c = 1; c < candidates; c++)
        {
            var candidate = continuous.Select(s => tied.Contains(s.Name)
                ? s with { Init = s.ToSupport!.Inverse(Runtime.Autodiff.Var.Const(s.Prior.Sample(rng))).Value.Clone() }
                : s).ToList();
            double score = Score(model, candidate);
            if (score > bestScore) (best, bestScore) = (candidate, score);
        }
        var chosen = best.ToDictionary(s => s.Name);
        var responsibilities = latents.Any(s => s.IsDiscrete) ? Responsibilities(model, best) : [];
        return latents.Select(s => chosen.TryGetValue(s.Name, out var b) ? b
            : responsibilities.TryGetValue(s.Name, out var logits) && Runtime.Tensors.Shapes.Equal(logits.Shape, s.Init.Shape) ? s with { Init = logits }
            : s).ToList();
    }

    /// <summary>
    /// The guide logits of each discrete site that the model enumerates as a root, given the chosen start: the exact
    /// conditional p(z_i | x, θ) per element (its belief after contraction), so a guide that samples z (under
    /// <c>--estimator score</c>) starts at the assignments the start implies rather than at the prior, where noisy
    /// score-function steps let the means run ahead of the assignments and a component empty out.
    /// </summary>
    static Dictionary<string, Runtime.Tensors.Tensor> Responsibilities(IModel model, IReadOnlyList<LatentSite> continuous)
    {
        var result = new Dictionary<string, Runtime.Tensors.Tensor>();
        var store = new ParamStore();
        var rng = new Rng(0);
        var guide = new Runtime.Sites.TraceHandler();
        new AutoDelta(model.Name, continuous).Run(new Runtime.Sites.ModelContext(rng, null, store).With(guide));
        var (runs, graph) = Enumeration.EnumeratedRuns.Run(model, guide.Trace, store, null, rng);
        if (graph is null) return result;
        graph.Contract(runs, null);
        foreach (var n in graph.Nodes)
        {
            if (n.Parent is not null || n.Belief is null) continue;
            var b = n.Belief.Value.Span;
            var batch = n.Site.Distribution!.BatchShape;
            int size = Runtime.Tensors.Shapes.Size(batch);
            if (n.Site.Distribution is Runtime.Distributions.Bernoulli)
            {
                var logits = new float[size];
                for (int e = 0; e < size; e++) logits[e] = b[size + e] - b[e];   // support [0, 1]
                result[n.Site.Name] = new Runtime.Tensors.Tensor(logits, batch);
            }
            else
            {
                var logits = new float[size * n.K];
                for (int e = 0; e < size; e++)
                    for (int j = 0; j < n.K; j++) logits[e * n.K + j] = b[j * size + e];
                result[n.Site.Name] = new Runtime.Tensors.Tensor(logits, [.. batch, n.K]);
            }
        }
        return result;
    }

    /// <summary>log p(x, θ) at the starts, the model's discrete sites summed out (NaN: they cannot all be).</summary>
    static double Score(IModel model, IReadOnlyList<LatentSite> continuous)
    {
        try
        {
            double score = new TraceElbo().Evaluate(model, new AutoDelta(model.Name, continuous), new ParamStore(), new Rng(0));
            return double.IsFinite(score) ? score : double.NegativeInfinity;
        }
        catch (EstimatorException) { return double.NaN; }
    }
}
