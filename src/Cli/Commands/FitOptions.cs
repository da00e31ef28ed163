namespace Ppl.Cli.Commands;

/// <summary>
/// The settings of one <c>ppl fit</c>, as the command line gave them (docs/language.md §3); the fit loop reads these and
/// <c>fit.json</c> records them.
/// </summary>
/// <param name="File">The model file (<c>.ppl</c> or an assembly).</param>
/// <param name="Model">The model block, null for the file's first.</param>
/// <param name="Data">The <c>--data</c> arguments, in order (empty: <c>NAME.data.json</c> beside the model).</param>
/// <param name="Guide">A built-in guide name or a guide block of the file; null for the file's guide, else <c>normal</c>.</param>
/// <param name="Steps">Most optimizer steps (the fit may stop earlier when converged, see <paramref name="Tolerance"/>).</param>
/// <param name="LearningRate">The optimizer's step size.</param>
/// <param name="Particles">Samples from the guide per ELBO estimate.</param>
/// <param name="Seed">The random seed.</param>
/// <param name="Draws">Draws from the fitted guide written to <c>draws.csv</c> and summarized.</param>
/// <param name="Out">The output folder.</param>
/// <param name="Estimator">The gradient estimator forced on every site where valid, or <c>auto</c>.</param>
/// <param name="Tolerance">The relative change of the smoothed ELBO under which the fit counts as converged.</param>
/// <param name="Resume">A folder of an earlier fit to continue from, or null.</param>
/// <param name="Distributed">Whether to fit data-parallel over the MPI processes of the launcher (docs/distributed.md).</param>
/// <param name="Quiet">No progress output.</param>
public sealed record FitOptions(
    string File, string? Model, IReadOnlyList<string> Data, string? Guide, int Steps, double LearningRate, int Particles,
    int Seed, int Draws, string Out, string Estimator, double Tolerance, string? Resume, bool Distributed, bool Quiet)
{
    /// <summary>The values of <c>--estimator</c>.</summary>
    public static readonly string[] Estimators = ["auto", "pathwise", "score", "enum", "disarm"];

    /// <summary>The values of <c>--recentre</c>.</summary>
    public static readonly string[] RecentreModes = ["auto", "off"];

    /// <summary>
    /// <c>--recentre auto|off</c>: whether the built-in guides (normal, mvn, lowrank, planar) draw the latents the model uses only as
    /// L + S·r through a learnable partial centring (Ppl.Inference.Guides.Recentring; on by default).
    /// </summary>
    public bool Recentre { get; init; } = true;

    /// <summary><c>--checkpoint-every N</c>: steps between the checkpoints written to <see cref="Out"/> during the fit (0: none, only the outputs at the end).</summary>
    public int CheckpointEvery { get; init; }

    /// <summary>
    /// <c>--average N</c>: the last N steps of the final annealing whose iterates are averaged into the result
    /// (Polyak–Ruppert tail averaging; 0 keeps the last iterate).
    /// </summary>
    public int AverageSteps { get; init; } = new Ppl.Inference.Fitting.SviOptions().AverageSteps;

    /// <summary>The values of <c>--resample</c>.</summary>
    public static readonly string[] ResampleModes = ["auto", "off"];

    /// <summary>
    /// <c>--resample auto|off</c>: whether the reported draws are Pareto-smoothed importance resampled from
    /// <see cref="ResampledDraws.ProposalsPerDraw"/> times as many of the guide's (<see cref="ResampledDraws"/>), where the
    /// draws can be weighed (not for a subsampled plate or the delta guide); off: the guide's own draws.
    /// </summary>
    public bool Resample { get; init; } = true;

    /// <summary>
    /// <c>--paths K</c>: independent fits (path p with seed <see cref="PathSeed"/>) whose guides' equal-weight mixture is
    /// importance-resampled into the reported draws (multi-path Pathfinder's scheme, docs/language.md §3); 1: one fit.
    /// </summary>
    public int Paths { get; init; } = 1;

    /// <summary>
    /// The radius of the random start of a built-in guide (each unconstrained coordinate of its initial location moved by
    /// U(−r, r)); 0, the default, starts at the prior median. Multi-path fits set it for paths 1 and up.
    /// </summary>
    public double InitRadius { get; init; }

    /// <summary>Stan's radius of random initial values (U(−2, 2) on the unconstrained space), used by paths 1 and up of <c>--paths</c>.</summary>
    public const double PathInitRadius = 2;

    /// <summary>
    /// The seed of path <paramref name="path"/>: the seed itself for path 0, so path 0 is the fit <c>--paths 1</c> gives,
    /// then steps of 1,000, so the paths of nearby seeds (<c>--seed 1</c>, <c>--seed 2</c>) do not share fits.
    /// </summary>
    public int PathSeed(int path) => unchecked(Seed + 1000 * path);

    /// <summary>
    /// Whether <c>--lr</c> was on the command line. When it was not and the model or its guide declares a <c>net</c>,
    /// the fit uses <see cref="NetLearningRate"/> instead of the engine's default.
    /// </summary>
    public bool LearningRateGiven { get; init; } = true;

    /// <summary>
    /// Adam's usual step for neural networks (Kingma and Ba 2015), the default when a net is declared: the engine's 0.02,
    /// tuned for guides starting at scale 0.1 over a few unconstrained coordinates, moves every weight of a 784-400 layer
    /// by 0.02 at once and sends a VAE's pre-activations to overflow within two steps.
    /// </summary>
    public const double NetLearningRate = 1e-3;

    /// <summary><c>out/NAME/</c> for <c>NAME.ppl</c>: the default of <c>--out</c>.</summary>
    public static string DefaultOut(string file) => Path.Combine("out", Path.GetFileNameWithoutExtension(file));
}
