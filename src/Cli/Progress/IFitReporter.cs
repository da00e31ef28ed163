using Ppl.Cli.Output;

namespace Ppl.Cli.Progress;

/// <summary>
/// What the fit loop tells the user as it runs: <see cref="Start"/> once, <see cref="Step"/> after every optimizer
/// step (cheap: implementations throttle their own output), <see cref="Finish"/> once with the end-of-fit summary.
/// </summary>
public interface IFitReporter : IDisposable
{
    /// <summary>The fit is about to take its first step (of at most <paramref name="maxSteps"/>).</summary>
    void Start(int maxSteps);

    /// <summary>Step <paramref name="step"/> (1-based) is done and estimated the ELBO at <paramref name="elbo"/>.</summary>
    void Step(int step, double elbo);

    /// <summary>The fit is over: the table of the summary, the estimators, the convergence verdict and k̂.</summary>
    void Finish(FitReport report, IReadOnlyList<SummaryRow> summary, string outputDirectory);
}
