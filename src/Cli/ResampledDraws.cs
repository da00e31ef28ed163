using Ppl.Cli.Output;
using Ppl.Inference.Guides;
using Ppl.Inference.Posterior;
using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Models;
using Ppl.Runtime.Params;
using Ppl.Runtime.Random;

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
/// weights of a Gaussian guide cannot reach a tail heavier than its own, though, so a single built-in Gaussian guide
/// whose k̂ is 0.5 or more then hands over to a Student-t proposal matched to its weighted draws (stage 2,
/// <see cref="StudentTProposal"/>). On radon and the hierarchical regression, the smallest posterior sd ratio against
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

    ResampledDraws(DrawRows rows, int perPath, double[] ownLogWeights, ImportanceResampling resampling)
    {
        Rows = rows;
        PerPath = perPath;
        OwnLogWeights = ownLogWeights;
        Resampling = GuideResampling = resampling;
    }

    /// <summary>Every proposal of the guides, path by path (path p's are rows p·<see cref="PerPath"/> on), with log p and log q_mix.</summary>
    public DrawRows Rows { get; }

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
    public PosteriorTable Table() => (TailRows ?? Rows).Select(Resampling.Resampled);

    /// <summary>The first guide's first <paramref name="count"/> proposals: the draws its fit reports unweighed.</summary>
    public PosteriorTable Own(int count) => Rows.Select([.. Enumerable.Range(0, Math.Min(count, PerPath))]);

    /// <summary>Whether the weights are worth resampling a single fit's draws by (<see cref="MinEffectiveDraws"/>), and if not why.</summary>
    public string? TooFewEffectiveDraws() => Resampling.EffectiveDraws >= MinEffectiveDraws ? null : string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"only {Resampling.EffectiveDraws:0} effective draws among the {Rows.Count} proposals (k̂ = {Resampling.ParetoK:0.00}): resampling by so few would add more error than it corrects");

    /// <summary>How the draws were chosen, for the report.</summary>
    public DrawResampling Report() => TailRows is null
        ? new(Method, Resampling.Resampled.Length, Rows.Count, Resampling.EffectiveDraws)
        : new(TailMethod, Resampling.Resampled.Length, TailRows.Count, Resampling.EffectiveDraws) { ProposalParetoK = Resampling.ParetoK };

    /// <summary>
    /// Draws the proposals of <paramref name="fits"/>' guides, guide p's from <paramref name="seeds"/>[p] (so its first
    /// <paramref name="count"/> are the draws its fit alone reports with <c>--resample off</c>), and resamples
    /// <paramref name="count"/> of them with the stream of <paramref name="seed"/>. A single built-in Gaussian guide
    /// (normal, mvn, lowrank) then hands over to a Student-t proposal matched to its weighted draws
    /// (<see cref="StudentTProposal"/>) when the guide's k̂ is <see cref="GoodParetoK"/> or more and that proposal's
    /// weights are at least as good: k̂ below 0.7 or below the guide's, and <see cref="MinEffectiveDraws"/> effective draws.
    /// </summary>
    public static ResampledDraws Draw(IModel model, IReadOnlyList<PathFit> fits, IReadOnlyList<ulong> seeds, int count, ulong seed)
    {
        int k = fits.Count;
        int perPath = count * Math.Max(1, (ProposalsPerDraw + k - 1) / k);
        var mixture = new GuideMixture(model, [.. fits.Select(f => (f.Guide, f.Svi.Store))]);
        var rows = new DrawRows(model.Name, k * perPath);
        var pathOf = new int[k * perPath];
        var logW = new double[k * perPath];
        var ownLogW = new double[k * perPath];
        var us = k == 1 ? new double[perPath][] : null;
        mixture.Draws(perPath, seeds, (p, d, g, m, logMix, logOwn) =>
        {
            int i = p * perPath + d;
            rows.Keep(i, m, k == 1 ? logOwn : logMix);   // one guide: its log q exactly, as --resample off writes it
            pathOf[i] = p;
            logW[i] = rows.LogJoint(i) - logMix;
            ownLogW[i] = rows.LogJoint(i) - logOwn;
            if (double.IsNaN(logW[i]) || double.IsPositiveInfinity(logW[i]))
                throw new UserException($"the importance weight of draw {d}{(k > 1 ? $" of path {p}" : "")} is {logW[i]} (log p = {rows.LogJoint(i)}, log q = {logMix}); --resample off reports the guide's draws unweighed");
            if (us is not null && (us[i] = UnconstrainedCoordinates.Of(g)!) is null) us = null;
        });
        var resampling = ImportanceResampling.Resample(logW, pathOf, k, count, new Rng(seed).Fork(ResampleStream));
        var result = new ResampledDraws(rows, perPath, ownLogW, resampling);
        // Below k̂ 0.5 the guide's own weights are reliable (Yao et al. 2018) and the t would only cost time.
        if (us is not null && resampling.ParetoK >= GoodParetoK && fits[0].Guide is AutoGuide and not AutoDelta && StudentTProposal.Match(us, resampling.Weights) is { } t)
            result.TryTail(model, fits[0], t, count, seed);
        return result;
    }

    /// <summary>The k̂ below which a guide's importance weights are trusted as they are, and no t proposal is tried.</summary>
    public const double GoodParetoK = 0.5;

    /// <summary>How the draws are chosen when the Student-t proposal took over.</summary>
    public static readonly string TailMethod = $"Pareto-smoothed importance weights against a multivariate Student-t (ν = {StudentTProposal.DegreesOfFreedom}) on the guide's unconstrained coordinates, matched to the weighted mean and covariance of the guide's draws; multinomial, with replacement";

    /// <summary>The stream the Student-t proposal draws from.</summary>
    const ulong TailStream = 0x7A11;

    /// <summary>Draws <see cref="PerPath"/> proposals from <paramref name="t"/> through the fit's guide and keeps them if their weights are at least as good.</summary>
    void TryTail(IModel model, PathFit fit, StudentTProposal t, int count, ulong seed)
    {
        var rng = new Rng(seed).Fork(TailStream);
        var rows = new DrawRows(model.Name, PerPath);
        var logW = new double[PerPath];
        var u = new double[t.Dim];
        var tape = new Tape();
        for (int d = 0; d < PerPath; d++)
        {
            tape.Reset();
            double logT = t.Draw(rng, u);
            var set = new UnconstrainedCoordinates.Setter(u);
            var (g, m, logProposal) = PosteriorSampler.Weighed(model, fit.Guide, fit.Svi.Store, rng, tape: tape, setGuide: set);
            if (!set.UsedAll) return;   // the guide ran other sites than at the draws matched: keep its own
            // The proposal's density at the draw: t on u, through the guide's bijections, times the exact draws of
            // summed-out discrete sites (whatever the guide's own log q at the sites was, it is not the proposal's).
            double logQ = logT - set.LogDet + (logProposal - g.LogJoint().ToScalar());
            rows.Keep(d, m, logQ);
            logW[d] = rows.LogJoint(d) - logQ;
            if (double.IsNaN(logW[d]) || double.IsPositiveInfinity(logW[d])) return;
        }
        var r = ImportanceResampling.Resample(logW, new int[PerPath], 1, count, new Rng(seed).Fork(ResampleStream));
        bool better = (r.ParetoK < ParetoSmoothing.Threshold || r.ParetoK <= GuideResampling.ParetoK) && r.EffectiveDraws >= MinEffectiveDraws;
        if (!better) return;
        TailRows = rows;
        Resampling = r;
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
