using Ppl.Inference.Elbo;

namespace Ppl.Inference.Fitting;

/// <summary>Why a fit ended.</summary>
public enum StopReason
{
    /// <summary>The convergence rule was met.</summary>
    Converged,
    /// <summary>The step budget (or the requested stopping step) was reached.</summary>
    Budget,
    /// <summary>Too many consecutive non-finite steps; the parameters are the last good ones.</summary>
    NonFinite,
}

/// <summary>The outcome of <see cref="Svi.Fit(int?)"/>.</summary>
/// <param name="Steps">steps taken in total (including steps of a run this one resumed)</param>
/// <param name="Reason">why it stopped</param>
/// <param name="Message">a sentence for the user: the rule that stopped it, or the failing site and its .ppl line</param>
/// <param name="Elbo">the ELBO averaged over the last complete convergence window (the last estimate before one)</param>
/// <param name="Skipped">steps skipped because the ELBO or a gradient was not finite</param>
/// <param name="Windows">the windowed ELBO means, oldest first</param>
/// <param name="Estimators">per latent site, the gradient estimator it got and why</param>
/// <param name="Warnings">warnings of the estimator choice</param>
public sealed record FitResult(int Steps, StopReason Reason, string Message, double Elbo, int Skipped,
    IReadOnlyList<double> Windows, IReadOnlyList<SiteEstimator> Estimators, IReadOnlyList<string> Warnings);
