using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Models;
using Ppl.Runtime.Numerics;
using Ppl.Runtime.Params;
using Ppl.Runtime.Random;
using Ppl.Runtime.Sites;
using Ppl.Runtime.Tensors;

namespace Ppl.Inference.Posterior;

/// <summary>
/// The equal-weight mixture of the guides of several independent fits of one model (the paths of multi-path
/// Pathfinder, Zhang, Carpenter, Gelman &amp; Vehtari 2022, JMLR 23(306)): q_mix(w) = (1/K) Σ_j q_j(w). Its density at
/// any point is each guide's density there, got by replaying the guide at the point's sites with that guide's
/// parameters. Draws are stratified, the same number from every path, so the importance weight of a draw w with exact
/// enumerated sites z is log p(x, w, z) − log q_mix(w) − log p(z | x, w): the balance heuristic of multiple importance
/// sampling (Veach &amp; Guibas 1995; Elvira, Martino, Luengo &amp; Bugallo 2019, "Generalized multiple importance
/// sampling", Statistical Science 34), unbiased for every path's draws whichever path they came from. With a
/// <see cref="LabelSymmetry"/>, q_mix is symmetrised over its relabellings, (1/K!) Σ_π q_mix(π w), so a clustering
/// found by several paths under different labels counts once, in every labelling.
/// </summary>
public sealed class GuideMixture
{
    readonly IModel model;
    readonly IReadOnlyList<(IModel Guide, ParamStore Store)> paths;
    readonly GaussianGuideDensity?[] densities;   // null where the guide must be run to get its density
    readonly bool sharedCoordinates;   // every guide has the same coordinates at a point: the model's bijections
    // Replayed runs draw nothing; their context still needs a stream, which must not be a draw's.
    readonly Rng unused = new(0);

    /// <summary>
    /// The mixture of <paramref name="paths"/>' guides (each with its fitted parameters) for <paramref name="model"/>,
    /// symmetrised over <paramref name="symmetry"/>'s relabellings when given.
    /// </summary>
    public GuideMixture(IModel model, IReadOnlyList<(IModel Guide, ParamStore Store)> paths, LabelSymmetry? symmetry = null)
    {
        if (paths.Count == 0) throw new ArgumentException("a mixture needs at least one guide");
        this.model = model;
        this.paths = paths;
        Symmetry = symmetry;
        densities = [.. paths.Select(p => GaussianGuideDensity.For(p.Guide, p.Store))];
        sharedCoordinates = densities.All(d => d is { IsRecentred: false } && d.Dim == densities[0]!.Dim);
    }

    /// <summary>The number of guides K.</summary>
    public int Count => paths.Count;

    /// <summary>The relabellings q_mix is symmetrised over, or null.</summary>
    public LabelSymmetry? Symmetry { get; }

    /// <summary>The number of relabellings q_mix averages over (1 without a symmetry).</summary>
    public int Relabellings => Symmetry?.Count ?? 1;

    /// <summary>
    /// log q_j(π_r w) of guide <paramref name="path"/> at the latents of <paramref name="draw"/> (a guide trace of any
    /// path), relabelled by relabelling <paramref name="relabelling"/>: from the guide's
    /// <see cref="GaussianGuideDensity"/> when it has one, else by replaying it.
    /// </summary>
    public double LogDensity(int path, Trace draw, Tape? tape = null, int relabelling = 0) => densities[path] is { } d
        ? d.LogDensity(Values(draw, relabelling), new double[d.Dim])
        : Replay(path, draw, tape, relabelling).LogJoint().ToScalar();

    /// <summary>
    /// log q_j(π_r w) for every path j and relabelling r into <paramref name="each"/>[j·R + r], except the entry
    /// <paramref name="skip"/> (the caller's own, already known; −1 for none): from the draw's coordinates
    /// (<c>Coordinates</c>) when every guide is a built-in
    /// Gaussian, else guide by guide (<see cref="LogDensity(int, Trace, Tape?, int)"/>).
    /// </summary>
    public void LogDensities(Trace draw, Tape? tape, Span<double> each, int skip = -1)
    {
        int relabellings = Relabellings;
        bool gaussian = Array.TrueForAll(densities, d => d is not null);
        var us = gaussian ? new double[]?[Count] : null;
        var logDets = gaussian ? new double[Count] : null;
        for (int r = 0; r < relabellings; r++)
        {
            int own = skip >= 0 && skip % relabellings == r ? skip / relabellings : -1;
            if (us is not null) Coordinates(draw, r, tape, us, logDets!, own);
            for (int j = 0; j < Count; j++)
            {
                if (j == own) continue;
                each[j * relabellings + r] = us is null ? LogDensity(j, draw, tape, r)
                    : us[j] is { } u ? densities[j]!.LogDensity(u) - logDets![j] : double.NegativeInfinity;
            }
        }
    }

    /// <summary>
    /// The latents of <paramref name="draw"/>, relabelled by relabelling <paramref name="relabelling"/>, as every path's
    /// vector u of coordinates (<see cref="UnconstrainedCoordinates"/>) into <paramref name="us"/>, with Σ log |det J|
    /// of its bijections there into <paramref name="logDets"/>; null for a guide with no such coordinates, and for path
    /// <paramref name="skip"/> (−1 for none). With built-in Gaussian guides none of which is recentred, the coordinates
    /// are the model's bijections', taken once for all paths.
    /// </summary>
    public void Coordinates(Trace draw, int relabelling, Tape? tape, double[]?[] us, double[] logDets, int skip = -1)
    {
        if (sharedCoordinates)
        {
            double logDet = 0;
            var u = Count == 1 && skip == 0 ? null : Coordinates(0, draw, relabelling, tape, out logDet);
            for (int j = 0; j < Count; j++) (us[j], logDets[j]) = j == skip ? (null, 0) : (u, logDet);
            return;
        }
        for (int j = 0; j < Count; j++) us[j] = j == skip ? null : Coordinates(j, draw, relabelling, tape, out logDets[j]);
    }

    /// <summary>Path <paramref name="path"/>'s coordinates of <paramref name="draw"/> relabelled, as <c>Coordinates</c> gives them.</summary>
    double[]? Coordinates(int path, Trace draw, int relabelling, Tape? tape, out double logDet)
    {
        if (densities[path] is { } d)
        {
            var u = new double[d.Dim];
            if (d.Coordinates(Values(draw, relabelling), u, out logDet)) return u;
            logDet = 0;
            return null;
        }
        return UnconstrainedCoordinates.Of(Replay(path, draw, tape, relabelling), out logDet);
    }

    /// <summary>The site values of <paramref name="draw"/> by name, relabelled by relabelling <paramref name="relabelling"/>.</summary>
    Func<string, Tensor?> Values(Trace draw, int relabelling) => relabelling == 0
        ? name => draw.Find(name)?.Value?.Value
        : name => Symmetry!.Relabelled(draw, name, relabelling);

    /// <summary>
    /// Guide <paramref name="path"/>'s trace replayed at the latents of <paramref name="draw"/> (a guide trace of any
    /// path), relabelled by <see cref="Symmetry"/>'s relabelling <paramref name="relabelling"/> (0: as they are), with
    /// its own site distributions.
    /// </summary>
    public Trace Replay(int path, Trace draw, Tape? tape = null, int relabelling = 0)
    {
        var (guide, store) = paths[path];
        var trace = new TraceHandler();
        Handler replay = relabelling == 0 ? new ReplayHandler(draw) : Symmetry!.Replay(draw, relabelling, tape);
        guide.Run(new ModelContext(unused, tape, store).With(trace).With(replay));
        return trace.Trace;
    }

    /// <summary>log q_mix(w) = log Σ_r Σ_j exp(log q_j(π_r w)) − log (K·R) at the latents of <paramref name="draw"/>, over the R relabellings (1 without a symmetry).</summary>
    public double LogDensity(Trace draw, Tape? tape = null)
    {
        var each = new double[Count * Relabellings];
        LogDensities(draw, tape, each);
        return SpecialFunctions.LogMeanExp(each);
    }

    /// <summary>Path <paramref name="path"/>'s guide and the store of its fitted parameters.</summary>
    public (IModel Guide, ParamStore Store) this[int path] => paths[path];

    /// <summary>
    /// Runs <paramref name="body"/>(mixture, i) for every item i &lt; <paramref name="items"/> (a path's draws, a block
    /// of proposals), on up to <paramref name="threads"/> threads at once. Each thread gets a mixture of its own over
    /// lanes of every path's store (<see cref="ParamStore.NewLane"/>: the same parameter values, leaves of its own),
    /// since a run attaches the parameters it reads to its tape and every path's guide is read by every draw's weight.
    /// With one item or one thread the items run in turn on this mixture. Whatever the bodies throw, the lowest item's
    /// exception is rethrown, so an error does not depend on the threads' timing.
    /// </summary>
    public void ForEach(int items, int threads, Action<GuideMixture, int> body)
    {
        if (threads <= 1 || items <= 1)
        {
            for (int i = 0; i < items; i++) body(this, i);
            return;
        }
        var errors = new System.Runtime.ExceptionServices.ExceptionDispatchInfo?[items];
        Parallel.For(0, items, new ParallelOptions { MaxDegreeOfParallelism = threads },
            () => new GuideMixture(model, [.. paths.Select(x => (x.Guide, x.Store.NewLane()))], Symmetry),
            (i, _, lane) =>
            {
                try { body(lane, i); }
                catch (Exception e) { errors[i] = System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e); }
                return lane;
            },
            _ => { });
        errors.FirstOrDefault(e => e is not null)?.Throw();
    }

    /// <summary>
    /// <paramref name="perPath"/> draws from each path, path p's from a stream seeded with <paramref name="seeds"/>[p]
    /// (so path p's draws are those its fit alone would make with that seed), handing each to <paramref name="keep"/>:
    /// the path, the draw's index within it, the guide's and the model's traces at the draw, log q_mix and log q_p, both
    /// with log p(z | x, w) of the exact draws of enumerated sites added. As with <see cref="PosteriorSampler.Draws"/>,
    /// the traces' tensors are reused by the path's next draw. The paths run on up to <paramref name="threads"/>
    /// threads (<see cref="ForEach"/>), so <paramref name="keep"/> may be called from several at once, for
    /// different paths; the draws do not depend on the thread count.
    /// </summary>
    public void Draws(int perPath, IReadOnlyList<ulong> seeds, Action<int, int, Trace, Trace, double, double> keep, int threads = 1)
    {
        if (seeds.Count != Count) throw new ArgumentException($"{seeds.Count} seeds for {Count} paths");
        ForEach(Count, threads, (mixture, p) => mixture.PathDraws(p, perPath, seeds[p], keep));
    }

    void PathDraws(int p, int perPath, ulong seed, Action<int, int, Trace, Trace, double, double> keep)
    {
        var tape = new Tape();
        int relabellings = Relabellings;
        var each = new double[Count * relabellings];
        var rng = new Rng(seed);
        var (guide, store) = paths[p];
        for (int d = 0; d < perPath; d++)
        {
            tape.Reset();
            var (g, m, logProposal) = PosteriorSampler.Weighed(model, guide, store, rng, tape: tape);
            double own = g.LogJoint().ToScalar();
            each[p * relabellings] = own;
            LogDensities(g, tape, each, skip: p * relabellings);
            double discrete = logProposal - own;
            keep(p, d, g, m, SpecialFunctions.LogMeanExp(each) + discrete, logProposal);
        }
    }
}
