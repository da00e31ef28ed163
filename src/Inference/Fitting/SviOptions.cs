using Ppl.Inference.Distributed;
using Ppl.Inference.Elbo;
using Ppl.Inference.Optimizers;

namespace Ppl.Inference.Fitting;

/// <summary>
/// Settings of <see cref="Svi"/>. The defaults fit the classic models (eight schools, linear regression) with no flags:
/// Adam at 0.02 — a step that moves unconstrained coordinates by about 0.02 while the guide starts at scale 0.1 —
/// one particle, and the windowed convergence rule at tol 0.01 (<see cref="ConvergenceMonitor"/>).
/// </summary>
public sealed record SviOptions
{
    /// <summary>Step budget: the fit stops here if it has not converged.</summary>
    public int Steps { get; init; } = 20_000;
    /// <summary>Base learning rate.</summary>
    public float LearningRate { get; init; } = 0.02f;
    /// <summary>Builds the optimizer from the learning rate (default Adam).</summary>
    public Func<float, Optimizer> Optimizer { get; init; } = lr => new Adam(lr);
    /// <summary>The learning rate per step.</summary>
    public LearningRateSchedule Schedule { get; init; } = LearningRateSchedule.Constant;
    /// <summary>Relative tolerance of the convergence rule; 0 runs the whole budget.</summary>
    public double Tol { get; init; } = 0.01;
    /// <summary>Steps per convergence window.</summary>
    public int Window { get; init; } = 200;
    /// <summary>No convergence stop before this many steps.</summary>
    public int MinSteps { get; init; } = 1000;
    /// <summary>Steps of the final annealing after the convergence rule is met (see <see cref="Svi.Fit(int?)"/>).</summary>
    public int AnnealSteps { get; init; } = 1000;
    /// <summary>
    /// Steps at the end of the annealing phase whose iterates are averaged into the result (Polyak–Ruppert tail
    /// averaging, <see cref="IterateAverage"/>); at most <see cref="AnnealSteps"/> count; 0 (the default) keeps the last
    /// iterate. Not the default because, measured on the classic examples against NUTS (examples/README.md), it did not
    /// reduce the error: where a parameter still drifts during the annealing (the full-rank guide's scales), the mean
    /// lags behind the last iterate by more than the noise it removes.
    /// </summary>
    public int AverageSteps { get; init; }
    /// <summary>Seed of the fit's random stream (guide draws, minibatches).</summary>
    public ulong Seed { get; init; }
    /// <summary>K, guide draws per ELBO estimate.</summary>
    public int Particles { get; init; } = 1;
    /// <summary>Forces an estimator on every latent site (<c>--estimator</c>); null: each site's default.</summary>
    public EstimatorKind? Estimator { get; init; }
    /// <summary>Clip the global gradient norm to this (null: no clipping).</summary>
    public double? ClipNorm { get; init; }
    /// <summary>Consecutive non-finite steps after which the fit stops.</summary>
    public int MaxNonFinite { get; init; } = 20;
    /// <summary>Called every <see cref="ProgressEvery"/> steps and at the end.</summary>
    public Action<FitProgress>? Progress { get; init; }
    /// <summary>Steps between progress reports.</summary>
    public int ProgressEvery { get; init; } = 100;
    /// <summary>A data-parallel fit's process group (null: one process): shards the minibatches, averages gradients and ELBO.</summary>
    public DataParallel? DataParallel { get; init; }
    /// <summary>
    /// Cut each minibatch into halves run on the cores in parallel when that is exact and pays (<see cref="SplitMinibatch"/>;
    /// default on). The halves are the same on any number of threads, so this changes the draws, not the thread count's effect.
    /// </summary>
    public bool SplitMinibatch { get; init; } = true;
}

/// <summary>A progress report: the step reached, the last estimate, the windowed ELBO and the skipped steps so far.</summary>
public sealed record FitProgress(int Step, double Elbo, double Smoothed, int Skipped, float LearningRate);
