using Ppl.Cli.Output;
using Ppl.Inference.Guides;
using Ppl.Inference.Posterior;
using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Models;
using Ppl.Runtime.Numerics;
using Ppl.Runtime.Sites;
using Ppl.Runtime.Params;
using Ppl.Runtime.Random;
using Ppl.Runtime.Tensors;

namespace Ppl.Cli;

/// <summary>
/// The reported draws of a fit, Pareto-smoothed importance resampled from its guides' own draws, as Stan's Pathfinder
/// reports its draws by default (Zhang, Carpenter, Gelman &amp; Vehtari 2022, "Pathfinder: parallel quasi-Newton
/// variational inference", JMLR 23(306), §2.4; Vehtari, Simpson, Gelman, Yao &amp; Gabry 2024, "Pareto smoothed
/// importance sampling", JMLR 25(72)). Each guide — the one of a single fit, or the K paths' of <c>--paths K</c> —
/// proposes the same number of draws, each weighed by log p(x, w) − log q_mix(w) (<see cref="GuideMixture"/>), and
/// the reported draws are taken from the smoothed weights multinomially, with replacement.
/// <para>
/// Why a single fit resamples too: a guide fitted by reverse KL is too narrow where the posterior has heavy tails
/// (the scale of a hierarchical model), and the weights are larger exactly there, so resampling moves the draws
/// toward the posterior; Pareto smoothing bounds what one draw can weigh when the tails are far off (k̂ &gt; 0.7). The
/// weights of a Gaussian guide cannot reach a tail heavier than its own, though, so the built-in Gaussian guides then
/// hand over to a Student-t proposal matched to their weighted draws (stage 2, <see cref="StudentTProposal"/>): a single
/// guide when its k̂ is 0.5 or more, the paths of <c>--paths K</c> always, one t per path. On radon and the hierarchical regression, the smallest posterior sd ratio against
/// NUTS of <c>--guide mvn</c> went from 0.50–0.73 (its own draws) to 0.70–0.85 (stage 1) and 0.86–0.94 (both stages),
/// examples/README.md. <c>--resample off</c> reports the guide's own draws.
/// </para>
/// </summary>
public sealed class ResampledDraws
{
    /// <summary>
    /// Proposals per reported draw, at least, over all guides: CmdStan's Pathfinder defaults (4 paths of 1,000 draws,
    /// 1,000 resampled) pool four; a single fit draws them all from its one guide.
    /// </summary>
    public const int ProposalsPerDraw = 4;

    /// <summary>
    /// The fewest effective draws (Kish's, of the smoothed weights) a single fit resamples by. The weights add a Monte
    /// Carlo error of about 1/√ESS posterior sds to a resampled mean, 0.1 sd at 100; below that (mean-field radon at
    /// k̂ 1.1–1.2 had 13–30 of 4,000, and its means moved from 0.20–0.27 to 0.34–0.42 sd off NUTS) the guide's own
    /// draws are reported instead.
    /// </summary>
    public const double MinEffectiveDraws = 100;

    /// <summary>How the reported draws are chosen from the proposals, as <c>fit.json</c> and <c>draws.csv</c> say.</summary>
    public const string Method = "Pareto-smoothed importance weights against the guide (with --paths, the mixture of the paths' guides); multinomial, with replacement";

    /// <summary>The stream (a fork of the seed's) that resamples: no fit or proposal uses it.</summary>
    const ulong ResampleStream = 0x9A75;

    /// <summary>The stream of the draws <see cref="LabelSymmetry.Find"/> checks invariance at.</summary>
    const ulong SymmetryStream = 0x5E7A;

    ResampledDraws(DrawRows rows, int perPath, double[] ownLogWeights, ImportanceResampling resampling, LabelSymmetry? symmetry)
    {
        Rows = rows;
        Symmetry = symmetry;
        PerPath = perPath;
        OwnLogWeights = ownLogWeights;
        Resampling = GuideResampling = resampling;
    }

    /// <summary>Every proposal of the guides, path by path (path p's are rows p·<see cref="PerPath"/> on), with log p and log q_mix.</summary>
    public DrawRows Rows { get; }

    /// <summary>The relabellings the proposals' density was symmetrised over (<see cref="LabelSymmetry"/>), or null.</summary>
    public LabelSymmetry? Symmetry { get; }

    /// <summary>Proposals drawn from each guide.</summary>
    public int PerPath { get; }

    /// <summary>Each proposal's log p − log q of its own guide (alone), for a path's own k̂ and ELBO.</summary>
    public double[] OwnLogWeights { get; }

    /// <summary>The guides' proposals' smoothed weights: their k̂ judges the guides (<c>pareto_k</c>).</summary>
    public ImportanceResampling GuideResampling { get; }

    /// <summary>The weights the reported draws were resampled by: the guides', or the t proposal's when it took over.</summary>
    public ImportanceResampling Resampling { get; private set; }

    /// <summary>The Student-t proposal's draws, when they replaced the guide's (<see cref="StudentTProposal"/>); else null.</summary>
    public DrawRows? TailRows { get; private set; }

    /// <summary>The reported draws, in the order resampled.</summary>
    public PosteriorTable Table()
    {
        var table = (TailRows ?? Rows).Select(Resampling.Resampled);
        return Order is null ? table : Ordered(table, Order);
    }

    /// <summary>How the reported draws' components are put in order (several paths of a model with exchangeable components), or null.</summary>
    public ComponentOrder? Order { get; private set; }

    /// <summary>
    /// <paramref name="table"/> with each draw's components in ascending order of <see cref="ComponentOrder.Key"/>: every
    /// relabelled site permuted alike and every label site's values renamed; the mean taken again. The densities are
    /// the same at every relabelling of a draw (the posterior's and the symmetrised proposal's).
    /// </summary>
    static PosteriorTable Ordered(PosteriorTable table, ComponentOrder order)
    {
        var offsets = new Dictionary<string, (int Offset, PosteriorVariable Variable)>();
        int offset = 0;
        foreach (var v in table.Variables) { offsets[v.Name] = (offset, v); offset += v.Size; }
        if (!offsets.TryGetValue(order.Key, out var key)) return table;
        var draws = new double[table.Draws.Length][];
        var mean = new double[table.Width];
        var inverse = new int[order.Components];
        for (int d = 0; d < draws.Length; d++)
        {
            var row = table.Draws[d];
            var pi = ComponentOrder.Sorting(row.AsSpan(key.Offset, key.Variable.Size));
            for (int i = 0; i < pi.Length; i++) inverse[pi[i]] = i;
            var ordered = (double[])row.Clone();
            foreach (var (site, along) in order.Axes)
                if (offsets.TryGetValue(site, out var at))
                    ComponentOrder.Relabel(row.AsSpan(at.Offset, at.Variable.Size), at.Variable.Shape, along, pi, ordered.AsSpan(at.Offset, at.Variable.Size));
            foreach (var site in order.LabelSites)
                if (offsets.TryGetValue(site, out var at))
                    for (int j = at.Offset; j < at.Offset + at.Variable.Size; j++) ordered[j] = inverse[(int)row[j]];
            draws[d] = ordered;
            for (int j = 0; j < mean.Length; j++) mean[j] += ordered[j] / draws.Length;
        }
        return table with { Draws = draws, Mean = mean };
    }

    /// <summary>The first guide's first <paramref name="count"/> proposals: the draws its fit reports unweighed.</summary>
    public PosteriorTable Own(int count) => Rows.Select([.. Enumerable.Range(0, Math.Min(count, PerPath))]);

    /// <summary>Whether the weights are worth resampling a single fit's draws by (<see cref="MinEffectiveDraws"/>), and if not why.</summary>
    public string? TooFewEffectiveDraws() => Resampling.EffectiveDraws >= MinEffectiveDraws ? null : string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"only {Resampling.EffectiveDraws:0} effective draws among the {Rows.Count} proposals (k̂ = {Resampling.ParetoK:0.00}): resampling by so few would add more error than it corrects");

    /// <summary>How the draws were chosen, for the report.</summary>
    public DrawResampling Report() => (TailRows is null
        ? new DrawResampling(Method, Resampling.Resampled.Length, Rows.Count, Resampling.EffectiveDraws)
        : new DrawResampling(TailMethod, Resampling.Resampled.Length, TailRows.Count, Resampling.EffectiveDraws) { ProposalParetoK = Resampling.ParetoK })
        with { Relabellings = Symmetry?.Count ?? 1, RelabelledSites = Symmetry is { } s ? [.. s.Sites] : [], OrderedBy = Order?.Key };

    /// <summary>
    /// Draws the proposals of <paramref name="fits"/>' guides, guide p's from <paramref name="seeds"/>[p] (so its first
    /// <paramref name="count"/> are the draws its fit alone reports with <c>--resample off</c>), and resamples
    /// <paramref name="count"/> of them with the stream of <paramref name="seed"/>. The built-in Gaussian guides (normal,
    /// mvn, lowrank) then hand over to Student-t proposals matched to their weighted draws (<see cref="StudentTProposal"/>,
    /// one per path) — a single guide when its k̂ is <see cref="GoodParetoK"/> or more — if the t's weights are at least
    /// as good: k̂ below 0.7 or below the guides', and <see cref="MinEffectiveDraws"/> effective draws. With several
    /// paths of a model whose posterior is invariant under relabelling its components (<see cref="LabelSymmetry"/>),
    /// both stages weigh every draw against their mixture averaged over the relabellings.
    /// </summary>
    public static ResampledDraws Draw(IModel model, IReadOnlyList<PathFit> fits, IReadOnlyList<ulong> seeds, int count, ulong seed) =>
        Draw(model, fits, seeds, count, seed, Gemm.MaxThreads);

    /// <summary>
    /// <see cref="Draw(IModel, IReadOnlyList{PathFit}, IReadOnlyList{ulong}, int, ulong)"/> on up to
    /// <paramref name="threads"/> threads: the paths' draws, and the blocks of the t mixture's, are weighed at once.
    /// The draws do not depend on the thread count.
    /// </summary>
    public static ResampledDraws Draw(IModel model, IReadOnlyList<PathFit> fits, IReadOnlyList<ulong> seeds, int count, ulong seed, int threads)
    {
        int k = fits.Count;
        int perPath = count * Math.Max(1, (ProposalsPerDraw + k - 1) / k);
        // Several paths of a model with exchangeable components: weigh against every relabelling of their guides (one
        // fit stays in its labelling, whose relabelled copies its guide does not reach).
        var symmetry = k > 1 ? LabelSymmetry.Find(model, fits[0].Guide, fits[0].Svi.Store, new Rng(seed).Fork(SymmetryStream)) : null;
        var mixture = new GuideMixture(model, [.. fits.Select(f => (f.Guide, f.Svi.Store))], symmetry);
        var rows = new DrawRows(model.Name, k * perPath);
        var pathOf = new int[k * perPath];
        var logW = new double[k * perPath];
        var ownLogW = new double[k * perPath];
        var us = new double[k * perPath][];
        bool coordinates = true;
        mixture.Draws(perPath, seeds, (p, d, g, m, logMix, logOwn) =>
        {
            int i = p * perPath + d;
            rows.Keep(i, m, k == 1 ? logOwn : logMix);   // one guide: its log q exactly, as --resample off writes it
            pathOf[i] = p;
            logW[i] = rows.LogJoint(i) - logMix;
            ownLogW[i] = rows.LogJoint(i) - logOwn;
            if (double.IsNaN(logW[i]) || double.IsPositiveInfinity(logW[i]))
                throw new UserException($"the importance weight of draw {d}{(k > 1 ? $" of path {p}" : "")} is {logW[i]} (log p = {rows.LogJoint(i)}, log q = {logMix}); --resample off reports the guide's draws unweighed");
            if (Volatile.Read(ref coordinates) && (us[i] = UnconstrainedCoordinates.Of(g)!) is null) Volatile.Write(ref coordinates, false);
        }, threads);
        PhaseTimes.Mark("draws: the guides' proposals");
        var resampling = ImportanceResampling.Resample(logW, pathOf, k, count, new Rng(seed).Fork(ResampleStream));
        var result = new ResampledDraws(rows, perPath, ownLogW, resampling, symmetry)
        {
            Order = symmetry?.Order(model, fits[0].Guide, fits[0].Svi.Store, new Rng(seed).Fork(SymmetryStream).Fork(1)),
        };
        // Below k̂ 0.5 a single guide's own weights are reliable (Yao et al. 2018) and the t would only cost time. The
        // paths of a multimodal posterior each need their own t whatever the mixture's k̂: a mode's tails are as short as
        // a single guide's, and the mixture's k̂ says little about one minority mode (gmm's, 0.48 on seed 2).
        bool gaussian = fits.All(f => f.Guide is AutoNormal or JointNormalGuide);
        if (coordinates && gaussian && (k > 1 || resampling.ParetoK >= GoodParetoK) && result.MatchTails(us, resampling) is { } tails)
        {
            result.TryTails(model, mixture, tails, count, seed, threads);
            PhaseTimes.Mark("draws: the Student-t proposals");
        }
        return result;
    }

    /// <summary>The k̂ below which a guide's importance weights are trusted as they are, and no t proposal is tried.</summary>
    public const double GoodParetoK = 0.5;

    /// <summary>
    /// The part of a multi-path fit's t proposals split equally among the paths; the rest goes by each path's share of
    /// the guides' weights. A defensive mixture (Hesterberg 1995): a mode the guides' weights under-count still gets
    /// proposals of its own, and a minority mode's tails are drawn by more than its mass would give them. Chosen from
    /// 0 (proposals by share, with a 1 % floor), ¼, ½ and 1 on gmm (`--guide mvn --paths 8`, seeds 1-8): the smallest
    /// sd ratio against NUTS went from 0.61-0.83 to 0.68-0.93, 0.73-0.96 and 0.68-0.95, the largest mean error from
    /// 0.08-0.11 sd to 0.08-0.14, 0.06-0.16 and 0.08-0.19. The roaming near-empty component of gmm's minority clusterings,
    /// about 10 % of the mass, carries most of the sds of mu[2] and sigma[2] (examples/README.md).
    /// </summary>
    public const double EqualShare = 0.5;

    /// <summary>How the draws are chosen when the Student-t proposal took over.</summary>
    public static readonly string TailMethod = $"Pareto-smoothed importance weights against a multivariate Student-t (ν = {StudentTProposal.DegreesOfFreedom}) on the guide's unconstrained coordinates, matched to the weighted mean and covariance of the guide's draws (with --paths, a mixture of one t per path, matched to the path's own draws, half of the proposals split equally among the paths and half by their shares); multinomial, with replacement";

    /// <summary>The stream the Student-t proposal draws from.</summary>
    const ulong TailStream = 0x7A11;

    /// <summary>Proposals of a multi-path fit's t mixture drawn from one stream, by one thread at a time.</summary>
    const int TailBlock = 250;

    /// <summary>
    /// One t per path, matched to the path's draws <paramref name="us"/> weighed against its own guide (one guide: the
    /// resampling weights themselves), and each path's share of the t mixture: <see cref="EqualShare"/>/K plus the rest
    /// in proportion to its share of the guides' weights; 0 for a path whose weighted covariance is singular. Null when
    /// no path has a t.
    /// </summary>
    (StudentTProposal?[] Ts, double[] Shares)? MatchTails(double[][] us, ImportanceResampling resampling)
    {
        int k = resampling.PathShares.Length;
        var ts = new StudentTProposal?[k];
        var shares = new double[k];
        for (int p = 0; p < k; p++)
        {
            // Null when the model gives every draw of the path density 0: that path gets no t.
            var own = k == 1 ? resampling.Weights : ImportanceResampling.TryNormalised(OwnLogWeights.AsSpan(p * PerPath, PerPath), out _);
            if (own is null) continue;
            ts[p] = StudentTProposal.Match(new ArraySegment<double[]>(us, p * PerPath, PerPath), own);
            shares[p] = ts[p] is null ? 0 : (1 - EqualShare) * resampling.PathShares[p] + EqualShare / k;
        }
        double total = shares.Sum();
        if (total == 0) return null;
        for (int p = 0; p < k; p++) shares[p] /= total;
        return (ts, shares);
    }

    /// <summary>
    /// Draws as many proposals as the guides did from the mixture Σ_p share_p t_p, stratified (path p's t proposes a
    /// share_p part of them, through path p's guide), weighs each against the whole mixture (the balance heuristic,
    /// as <see cref="GuideMixture"/> does), and keeps them if their weights are at least as good as the guides'.
    /// </summary>
    void TryTails(IModel model, GuideMixture mixture, (StudentTProposal?[] Ts, double[] Shares) tails, int count, ulong seed, int threads)
    {
        var (ts, shares) = tails;
        int k = ts.Length, n = Rows.Count;
        var proposed = Stratify(shares, n);
        // Blocks of a path's proposals, each from a stream of its own, so that the threads share the work whatever the
        // shares (one path often has most of it). One fit keeps the one stream it always had.
        var blocks = new List<(int Path, int First, int Count, int Index)>();
        for (int p = 0, i = 0; p < k; i += proposed[p], p++)
            for (int b = 0; b * TailBlock < proposed[p]; b++)
                blocks.Add((p, i + b * TailBlock, k == 1 ? proposed[p] : Math.Min(TailBlock, proposed[p] - b * TailBlock), b));
        if (k == 1) blocks.RemoveRange(1, blocks.Count - 1);
        int relabellings = mixture.Relabellings;
        // Each relabelled copy of the t mixture weighs 1/R (R relabellings: q_sym = (1/R) Σ_r Σ_j share_j t_j(π_r w)).
        var logShare = shares.Select(s => Math.Log(s) - Math.Log(relabellings)).ToArray();
        var rows = new DrawRows(model.Name, n);
        var logW = new double[n];
        var pathOf = new int[n];
        bool failed = false;
        mixture.ForEach(blocks.Count, threads, (lane, block) =>
        {
            var (p, first, proposals, index) = blocks[block];
            if (ts[p] is not { } t || Volatile.Read(ref failed)) return;
            var rng = k == 1 ? new Rng(seed).Fork(TailStream) : new Rng(seed).Fork(TailStream).Fork((ulong)p + 1).Fork((ulong)index);
            var (guide, store) = lane[p];
            var u = new double[t.Dim];
            var each = new double[k * relabellings];
            var us = new double[]?[k];
            var logDets = new double[k];
            var tape = new Tape();
            for (int i = first; i < first + proposals; i++)
            {
                tape.Reset();
                double logT = t.Draw(rng, u);
                var set = new UnconstrainedCoordinates.Setter(u);
                var (g, m, logProposal) = PosteriorSampler.Weighed(model, guide, store, rng, tape: tape, setGuide: set);
                // The guide ran other sites than at the draws matched: keep its own.
                if (!set.UsedAll) { Volatile.Write(ref failed, true); return; }
                // The t's density at the draw, through the guide's bijections, for every path's t (another path's
                // bijections, centring included, are its guide's, so the draw is taken back through them).
                for (int l = 0; l < relabellings; l++)
                {
                    lane.Coordinates(g, l, tape, us, logDets, skip: l == 0 ? p : -1);
                    for (int j = 0; j < k; j++)
                        each[j * relabellings + l] = j == p && l == 0 ? logShare[p] + logT - set.LogDet
                            : ts[j] is { } other && us[j] is { } v && v.Length == other.Dim ? logShare[j] + other.LogDensity(v) - logDets[j] : double.NegativeInfinity;
                }
                // Times the exact draws of summed-out discrete sites (whatever the guide's own log q at the sites was, it is not the proposal's).
                double logQ = (each.Length == 1 ? each[0] : SpecialFunctions.LogSumExp(each)) + (logProposal - g.LogJoint().ToScalar());
                rows.Keep(i, m, logQ);
                pathOf[i] = p;
                logW[i] = rows.LogJoint(i) - logQ;
                if (double.IsNaN(logW[i]) || double.IsPositiveInfinity(logW[i])) { Volatile.Write(ref failed, true); return; }
            }
        });
        if (failed) return;
        var r = ImportanceResampling.Resample(logW, pathOf, k, count, new Rng(seed).Fork(ResampleStream));
        bool better = (r.ParetoK < ParetoSmoothing.Threshold || r.ParetoK <= GuideResampling.ParetoK) && r.EffectiveDraws >= MinEffectiveDraws;
        if (!better) return;
        TailRows = rows;
        Resampling = r;
    }

    /// <summary>n split by <paramref name="shares"/> (adding up to 1): floors, then the remainder by the largest fractional parts.</summary>
    static int[] Stratify(double[] shares, int n)
    {
        var counts = shares.Select(s => (int)Math.Floor(s * n)).ToArray();
        foreach (int p in Enumerable.Range(0, shares.Length).OrderByDescending(p => shares[p] * n - counts[p]).Take(n - counts.Sum()))
            counts[p]++;
        return counts;
    }

    /// <summary>
    /// Why the draws of <paramref name="guide"/> (named <paramref name="guideName"/>) cannot be weighed against
    /// <paramref name="model"/>, or null when they can: a point-mass guide has no density, and a model that subsamples a
    /// plate gives each draw only a minibatch's estimate of log p. One draw, from a stream no fit uses, tells.
    /// </summary>
    public static string? Obstacle(IModel model, IModel guide, ParamStore store, string guideName)
    {
        if (guideName == "delta") return "the delta guide is a point mass, with no density to weigh its draws by";
        var (_, m) = PosteriorSampler.Run(model, guide, store, new Rng(0).Fork(ResampleStream));
        var plate = m.Sites.SelectMany(s => s.Plates).FirstOrDefault(p => p.SubsampleSize < p.Size);
        return plate is null ? null
            : $"the model subsamples plate '{plate.Name}' ({plate.SubsampleSize} of {plate.Size}), so a draw's log p is a minibatch's estimate and cannot weigh it";
    }
}
