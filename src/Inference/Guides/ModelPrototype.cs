using Ppl.Runtime.Distributions;
using Ppl.Runtime.Models;
using Ppl.Runtime.Random;
using Ppl.Runtime.Sites;
using Ppl.Runtime.Tensors;
using Ppl.Runtime.Transforms;

namespace Ppl.Inference.Guides;

/// <summary>
/// Learns a model's latent sites (names, shapes, supports, plates) from traced runs, as every automatic guide needs.
/// Two runs: the first finds each plate's size and minibatch size; the second runs every plate at full size, so local
/// latents are seen with their full shape and the guide can hold one parameter per element.
/// </summary>
public static class ModelPrototype
{
    /// <summary>
    /// The latent sites of <paramref name="model"/> in declaration order, each with its initial unconstrained value; a
    /// mixture's tied components start at the best of <paramref name="candidates"/> scored starts (<see cref="TiedStarts"/>;
    /// 1 keeps the spread of prior quantiles).
    /// </summary>
    public static IReadOnlyList<LatentSite> Latents(IModel model, ulong seed = 0, bool enumerate = true, int candidates = TiedStarts.Candidates)
    {
        var first = Trace(model, seed, null);
        var plates = new Dictionary<string, PlateInfo>();
        foreach (var s in first.Sites)
            foreach (var f in s.Plates)
                if (!plates.ContainsKey(f.Name))
                {
                    var at = first.Find(f.Name) is { Kind: SiteKind.Plate } p ? p.Location : s.Location;
                    plates[f.Name] = new PlateInfo(f.Name, f.Size, f.SubsampleSize < f.Size ? f.SubsampleSize : null, at);
                }
        var full = Trace(model, seed, plates);
        var rng = new Rng(seed).Fork(0x4D3D_1A4E);
        var result = new List<LatentSite>();
        var tied = new HashSet<string>();
        // Only a model with discrete latents (a mixture, an HMM) has exchangeable components whose common start is a
        // saddle; elsewhere a tied vector (eight schools' theta_raw) starts at its median as before. Among candidate
        // spreads, the one of highest log joint is kept (TiedStarts).
        bool spreadTies = full.Latents.Any(l => l.Distribution!.Support.IsDiscrete);
        foreach (var s in full.Latents)
        {
            var d = s.Distribution!;
            var sitePlates = s.Plates.Select(f => plates[f.Name]).ToArray();
            if (d.Support.IsDiscrete)
            {
                // Left out of the guide, the ELBO sums it out exactly (Enumeration/DiscreteFactorGraph).
                if (enumerate && Estimators.EstimatorPolicy.ShouldEnumerate(s, out _)) continue;
                result.Add(new LatentSite(s.Name, d, null, PriorLogits(d), sitePlates, s.Location));
                continue;
            }
            Transform t;
            try { t = BijectTo.For(d.Support); }
            catch (NotSupportedException e) { throw new NotSupportedException($"{s.Location}: site '{s.Name}': {e.Message}"); }
            bool isTied = spreadTies && sitePlates.Length == 0 && PriorMedian.IsTied(d);
            if (isTied) tied.Add(s.Name);
            var start = isTied ? PriorMedian.SpreadQuantiles(d, t, rng) : PriorMedian.Unconstrained(d, t, rng);
            result.Add(new LatentSite(s.Name, d, t, start, sitePlates, s.Location) { LocScale = s.LocScale });
        }
        return TiedStarts.Choose(model, result, tied, rng, candidates);
    }

    /// <summary>The initial guide logits of a discrete site: its prior's, one per element (and category).</summary>
    static Tensor PriorLogits(Distribution d) => d switch
    {
        Bernoulli b => Runtime.Autodiff.Ops.BroadcastTo(b.Logits, d.Shape).Value.Clone(),
        Categorical c => Runtime.Autodiff.Ops.BroadcastTo(c.Logits, [.. c.BatchShape, c.NumCategories]).Value.Clone(),
        _ => Tensor.Zeros(d.Shape),
    };

    static Trace Trace(IModel model, ulong seed, Dictionary<string, PlateInfo>? fullPlates)
    {
        var tracer = new TraceHandler();
        var ctx = new ModelContext(new Rng(seed)).With(tracer);
        if (fullPlates is not null) ctx.With(new FullPlates(fullPlates));
        model.Run(ctx);
        return tracer.Trace;
    }

    /// <summary>Runs every plate over all of its indices.</summary>
    sealed class FullPlates(Dictionary<string, PlateInfo> plates) : Handler
    {
        public override void Process(Site site)
        {
            if (site.Kind == SiteKind.Plate && site.Value is null && plates.TryGetValue(site.Name, out var p))
                site.Value = Runtime.Autodiff.Var.Const(IntTensor.Range(p.Size).ToFloat());
        }
    }
}
