using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Models;
using Ppl.Runtime.Numerics;
using Ppl.Runtime.Params;
using Ppl.Runtime.Random;
using Ppl.Runtime.Sites;

namespace Ppl.Inference.Posterior;

/// <summary>
/// The equal-weight mixture of the guides of several independent fits of one model (the paths of multi-path
/// Pathfinder, Zhang, Carpenter, Gelman &amp; Vehtari 2022, JMLR 23(306)): q_mix(w) = (1/K) Σ_j q_j(w). Its density at
/// any point is each guide's density there, got by replaying the guide at the point's sites with that guide's
/// parameters. Draws are stratified, the same number from every path, so the importance weight of a draw w with exact
/// enumerated sites z is log p(x, w, z) − log q_mix(w) − log p(z | x, w): the balance heuristic of multiple importance
/// sampling (Veach &amp; Guibas 1995; Elvira, Martino, Luengo &amp; Bugallo 2019, "Generalized multiple importance
/// sampling", Statistical Science 34), unbiased for every path's draws whichever path they came from.
/// </summary>
public sealed class GuideMixture
{
    readonly IModel model;
    readonly IReadOnlyList<(IModel Guide, ParamStore Store)> paths;
    // Replayed runs draw nothing; their context still needs a stream, which must not be a draw's.
    readonly Rng unused = new(0);

    /// <summary>The mixture of <paramref name="paths"/>' guides (each with its fitted parameters) for <paramref name="model"/>.</summary>
    public GuideMixture(IModel model, IReadOnlyList<(IModel Guide, ParamStore Store)> paths)
    {
        if (paths.Count == 0) throw new ArgumentException("a mixture needs at least one guide");
        this.model = model;
        this.paths = paths;
    }

    /// <summary>The number of guides K.</summary>
    public int Count => paths.Count;

    /// <summary>log q_j(w) of guide <paramref name="path"/> at the latents of <paramref name="draw"/> (a guide trace of any path).</summary>
    public double LogDensity(int path, Trace draw, Tape? tape = null) => Replay(path, draw, tape).LogJoint().ToScalar();

    /// <summary>Guide <paramref name="path"/>'s trace replayed at the latents of <paramref name="draw"/> (a guide trace of any path), with its own site distributions.</summary>
    public Trace Replay(int path, Trace draw, Tape? tape = null)
    {
        var (guide, store) = paths[path];
        var trace = new TraceHandler();
        guide.Run(new ModelContext(unused, tape, store).With(trace).With(new ReplayHandler(draw)));
        return trace.Trace;
    }

    /// <summary>log q_mix(w) = log Σ_j exp(log q_j(w)) − log K at the latents of <paramref name="draw"/>.</summary>
    public double LogDensity(Trace draw, Tape? tape = null)
    {
        var each = new double[Count];
        for (int j = 0; j < Count; j++) each[j] = LogDensity(j, draw, tape);
        return SpecialFunctions.LogMeanExp(each);
    }

    /// <summary>
    /// <paramref name="perPath"/> draws from each path in turn, path p's from a stream seeded with
    /// <paramref name="seeds"/>[p] (so path p's draws are those its fit alone would make with that seed), handing each
    /// to <paramref name="keep"/>: the path, the draw's index within it, the guide's and the model's traces at the draw, log q_mix and
    /// log q_p, both with log p(z | x, w) of the exact draws of enumerated sites added. As with
    /// <see cref="PosteriorSampler.Draws"/>, the traces' tensors are reused by the next draw.
    /// </summary>
    public void Draws(int perPath, IReadOnlyList<ulong> seeds, Action<int, int, Trace, Trace, double, double> keep)
    {
        if (seeds.Count != Count) throw new ArgumentException($"{seeds.Count} seeds for {Count} paths");
        var tape = new Tape();
        var each = new double[Count];
        for (int p = 0; p < Count; p++)
        {
            var rng = new Rng(seeds[p]);
            var (guide, store) = paths[p];
            for (int d = 0; d < perPath; d++)
            {
                tape.Reset();
                var (g, m, logProposal) = PosteriorSampler.Weighed(model, guide, store, rng, tape: tape);
                double own = g.LogJoint().ToScalar();
                for (int j = 0; j < Count; j++) each[j] = j == p ? own : LogDensity(j, g, tape);
                double discrete = logProposal - own;
                keep(p, d, g, m, SpecialFunctions.LogMeanExp(each) + discrete, logProposal);
            }
        }
    }
}
