using Ppl.Inference.Posterior;

namespace Ppl.Cli.Output;

/// <summary>The gradient estimator one latent site got, and why (docs/language.md §1, "How gradients are chosen").</summary>
/// <param name="Site">The site's name.</param>
/// <param name="Estimator"><c>pathwise</c>, <c>score</c>, <c>enum</c> or <c>disarm</c>.</param>
/// <param name="Reason">Why, in a few words (e.g. "Normal is reparameterizable").</param>
public sealed record SiteEstimator(string Site, string Estimator, string Reason);

/// <summary>A latent the automatic guide drew partially centred (Ppl.Inference.Guides.Recentring), and why.</summary>
/// <param name="Site">The site's name.</param>
/// <param name="Use">The one expression the model uses it in (<c>mu_a + sigma_a * a_raw</c>).</param>
/// <param name="Centredness">The learned centredness λ, averaged over the site's elements (0: as declared, 1: centred).</param>
public sealed record RecentredSiteReport(string Site, string Use, double Centredness);

/// <summary>Whether and when the fit converged.</summary>
/// <param name="Converged">True when the stopping rule fired before the step limit.</param>
/// <param name="Step">The step the fit stopped at.</param>
/// <param name="Verdict">One sentence for the user (e.g. "converged at step 2400: the smoothed ELBO changed by less than 0.01").</param>
public sealed record Convergence(bool Converged, int Step, string Verdict);

/// <summary>
/// What a fit did, for <c>fit.json</c> and the end-of-fit table: the engine fills it after the last step.
/// </summary>
/// <param name="Model">The model's name.</param>
/// <param name="Guide">The guide used (a built-in name or a guide block).</param>
/// <param name="Seed">The random seed.</param>
/// <param name="Steps">Steps run.</param>
/// <param name="MaxSteps">The step limit (<c>--steps</c>).</param>
/// <param name="LearningRate">The optimizer's step size.</param>
/// <param name="Particles">Samples per ELBO estimate.</param>
/// <param name="Tolerance">The convergence tolerance.</param>
/// <param name="Estimators">The estimator of every latent site.</param>
/// <param name="Convergence">The convergence verdict.</param>
/// <param name="ParetoK">Pareto-smoothed importance sampling k̂ of the guide against the model (Yao et al. 2018), or null when not computed.</param>
/// <param name="WallSeconds">Wall time of the fit loop.</param>
public sealed record FitReport(
    string Model, string Guide, int Seed, int Steps, int MaxSteps, double LearningRate, int Particles, double Tolerance,
    IReadOnlyList<SiteEstimator> Estimators, Convergence Convergence, double? ParetoK, double WallSeconds)
{
    /// <summary>The last steps of the final annealing whose iterates were averaged into the result (<c>--average</c>; 0: none).</summary>
    public int AverageSteps { get; init; }

    /// <summary>The paths of a <c>--paths K</c> fit (K &gt; 1) and how their mixture was resampled; null for one fit.</summary>
    public MultiPathReport? Paths { get; init; }

    /// <summary>How the reported draws were importance resampled from the guide's (null: they are the guide's own draws).</summary>
    public DrawResampling? Resampling { get; init; }

    /// <summary>Why the draws are the guide's own, unweighed: <c>--resample off</c>, or what stops weighing them (null when resampled).</summary>
    public string? NotResampled { get; init; }

    /// <summary>Why this guide: <c>--guide</c>, the file's guide block, or the default (null: not said).</summary>
    public string? GuideReason { get; init; }

    /// <summary>The latents the automatic guide drew partially centred (none: every site as declared).</summary>
    public IReadOnlyList<RecentredSiteReport> Recentred { get; init; } = [];

    /// <summary>Optimizer steps per second of wall time.</summary>
    public double StepsPerSecond => WallSeconds > 0 ? Steps / WallSeconds : 0;

    /// <summary>
    /// What k̂ says about the guide (Yao, Vehtari, Simpson, Gelman 2018, "Yes, but did it work?"): below 0.5 the
    /// approximation is good, 0.5 to 0.7 usable with care, above 0.7 not to be trusted.
    /// </summary>
    public string? ParetoKWarning => (ParetoK, Resampling?.ProposalParetoK) switch
    {
        (null, _) => null,
        ( > ParetoSmoothing.Threshold, { } t) => $"k̂ = {ParetoK:0.00} > 0.7: {Approximation} is a poor fit to the posterior; the draws were resampled from a Student-t proposal instead, whose k̂ is {t:0.00}{(t > ParetoSmoothing.Threshold ? ": do not trust their tails either" : "")} ({Remedy})",
        ( > ParetoSmoothing.Threshold, null) => $"k̂ = {ParetoK:0.00} > 0.7: {Approximation} is a poor fit to the posterior; do not trust its tails ({Remedy})",
        ( > ResampledDraws.GoodParetoK, { } t) => $"k̂ = {ParetoK:0.00} is between 0.5 and 0.7: {Approximation}'s variances may be too small; the draws were resampled from a Student-t proposal, whose k̂ is {t:0.00}",
        ( > ResampledDraws.GoodParetoK, null) => $"k̂ = {ParetoK:0.00} is between 0.5 and 0.7: {Approximation} is usable, its variances may be too small",
        _ => null,
    };

    /// <summary>What k̂ judges: the guide, or with <c>--paths</c> the mixture of the paths' guides.</summary>
    string Approximation => Paths is null ? "the guide" : "the mixture of the paths";

    /// <summary>
    /// What to try when k̂ is high. A model with summed-out discrete sites (a mixture, an HMM) often has several modes
    /// (its clusterings), which one guide cannot cover: there, several paths with the full-rank guide (the gmm example
    /// meets the accuracy goal that way, examples/README.md); elsewhere a richer family.
    /// </summary>
    string Remedy => Paths is not null ? (Guide == "normal" ? "try more --paths, or --guide mvn" : "try more --paths")
        : Estimators.Any(e => e.Estimator == "enum") ? "several modes are likely with summed-out discrete sites: try --guide mvn --paths 8"
        : Guide == "mvn" ? "try --paths 4, or a flow" : "try --guide mvn or a flow";

    /// <summary>The version of ppl that ran the fit.</summary>
    public static string Version { get; } = Ppl.Language.Compiler.Version;
}

/// <summary>One path of a <c>--paths K</c> fit.</summary>
/// <param name="Path">Its index, 0 to K − 1 (its files are in <c>paths/INDEX/</c>).</param>
/// <param name="Seed">Its seed.</param>
/// <param name="InitRadius">The radius of its random start (0: the prior median, as a single fit starts).</param>
/// <param name="Steps">Steps it ran.</param>
/// <param name="Converged">Whether its stopping rule fired before the step limit.</param>
/// <param name="Elbo">Its ELBO estimated from its own draws: the mean of log p(x, z) − log q(z) over them.</param>
/// <param name="ParetoK">k̂ of its own guide's importance weights (null when not estimable).</param>
/// <param name="Share">The sum of the normalised smoothed importance weights of its draws in the mixture (the shares add up to 1).</param>
public sealed record PathReport(int Path, int Seed, double InitRadius, int Steps, bool Converged, double Elbo, double? ParetoK, double Share);

/// <summary>
/// How a <c>--paths K</c> fit combined its paths (the mixture's k̂ is <see cref="FitReport.ParetoK"/>, its resampling
/// <see cref="FitReport.Resampling"/>).
/// </summary>
/// <param name="Each">Every path, in order.</param>
/// <param name="Best">The path of highest ELBO, whose guide <c>params.json</c> holds.</param>
/// <param name="EffectivePaths">1 / Σ share²: how many paths the resampled draws effectively come from.</param>
public sealed record MultiPathReport(IReadOnlyList<PathReport> Each, int Best, double EffectivePaths);

/// <summary>How the reported draws were chosen from the guides' proposals (<see cref="ResampledDraws"/>).</summary>
/// <param name="Method">The weights and the scheme.</param>
/// <param name="Draws">Draws reported (<c>--draws</c>).</param>
/// <param name="Proposals">Draws proposed by the guide (with <c>--paths</c>, by all paths' guides).</param>
/// <param name="EffectiveDraws">Kish's effective sample size of the smoothed weights, 1 / Σ w².</param>
public sealed record DrawResampling(string Method, int Draws, int Proposals, double EffectiveDraws)
{
    /// <summary>k̂ of the weights resampled by, when the proposal was not the guide (the guide's is <see cref="FitReport.ParetoK"/>).</summary>
    public double? ProposalParetoK { get; init; }

    /// <summary>How many relabellings of the components the proposals' density was averaged over (<see cref="Ppl.Inference.Posterior.LabelSymmetry"/>); 1 when none.</summary>
    public int Relabellings { get; init; } = 1;

    /// <summary>The sites those relabellings permute (empty when none).</summary>
    public IReadOnlyList<string> RelabelledSites { get; init; } = [];

    /// <summary>The site by whose values each reported draw's components were put in ascending order, or null when they keep their path's labels.</summary>
    public string? OrderedBy { get; init; }
}

/// <summary>The ELBO at every step, as the fit loop reported it.</summary>
/// <param name="Steps">Step numbers (1-based, increasing).</param>
/// <param name="Elbo">The ELBO estimate at each step.</param>
public sealed record ElboTrace(int[] Steps, double[] Elbo);

/// <summary>Everything a finished fit writes to its output folder.</summary>
/// <param name="Report">What the fit did.</param>
/// <param name="Posterior">Draws from the fitted guide.</param>
/// <param name="Trace">The ELBO per step.</param>
/// <param name="WriteParams">Writes the learned parameters to a path (e.g. <c>p => ParamStoreFile.SaveJson(store, p)</c>), or null.</param>
public sealed record FitResult(FitReport Report, PosteriorTable Posterior, ElboTrace Trace, Action<string>? WriteParams)
{
    /// <summary>Writes the optimizer state beside the parameters (<c>params.json.fitstate</c>, read by <c>--resume</c>), or null.</summary>
    public Action<string>? WriteState { get; init; }

    /// <summary>More files (e.g. <c>paths/0/params.json</c>): each adds its file to the output folder, so it is written and committed with the rest.</summary>
    public IReadOnlyList<Action<OutputFolder>> ExtraFiles { get; init; } = [];

    /// <summary>Deletes the engine's scratch files once the outputs are written (or failed), or null.</summary>
    public Action? Cleanup { get; init; }

    /// <summary>Warnings of the fit for the user (e.g. about the estimator choice).</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];
}
