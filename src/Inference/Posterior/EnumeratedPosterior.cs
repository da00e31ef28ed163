using Ppl.Inference.Enumeration;
using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Models;
using Ppl.Runtime.Params;
using Ppl.Runtime.Random;
using Ppl.Runtime.Sites;
using Ppl.Runtime.Tensors;

namespace Ppl.Inference.Posterior;

/// <summary>
/// Exact draws of the sites a fit summed out (the model's finite discrete sites the guide does not sample): one guide
/// draw of the other latents w, then z ~ p(z | x, w) exactly — the enumerated tables contracted leaves first, then
/// sampled roots first, each child given its parent (forward-filter backward-sample in a chain; Pyro's
/// <c>infer_discrete</c>, Obermeyer et al. 2019, "Tensor variable elimination for plated factor graphs"). So an
/// enumerated <c>z[n]</c> appears in the posterior draws like any latent.
/// </summary>
public static class EnumeratedPosterior
{
    /// <summary>
    /// One joint posterior draw: the guide's trace (its latents) and, by site name, the enumerated sites' values
    /// (shape: the site's plates; empty when the model enumerates nothing).
    /// </summary>
    public static (Trace Guide, IReadOnlyDictionary<string, Tensor> Discrete) Draw(IModel model, IModel guide, ParamStore store, Rng rng)
    {
        var guideTrace = new TraceHandler();
        guide.Run(new ModelContext(rng, null, store).With(guideTrace));
        return (guideTrace.Trace, DrawGiven(model, guideTrace.Trace, store, rng, out _));
    }

    /// <summary>
    /// The enumerated sites drawn exactly given the guide's trace (empty when the model enumerates nothing), and
    /// log p(z | x, w) of the draw (0 when empty): the discrete part of the proposal's density, which an importance
    /// weight must divide out.
    /// </summary>
    internal static IReadOnlyDictionary<string, Tensor> DrawGiven(IModel model, Trace guide, ParamStore store, Rng rng, out double logProb, Tape? tape = null)
    {
        logProb = 0;
        var (runs, graph) = EnumeratedRuns.Run(model, guide, store, tape, rng);
        if (graph is null) return new Dictionary<string, Tensor>();
        graph.Contract(runs, null);
        return graph.Sample(rng, out logProb);
    }
}
