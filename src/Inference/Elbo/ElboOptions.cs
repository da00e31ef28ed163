using Ppl.Inference.Estimators;

namespace Ppl.Inference.Elbo;

/// <summary>Options of the trace ELBO.</summary>
public sealed record ElboOptions
{
    /// <summary>K: how many guide draws (particles) each estimate averages.</summary>
    public int Particles { get; init; } = 1;

    /// <summary>Forces one estimator on every latent site where it is valid (<c>--estimator pathwise|score</c>); null: each site's default.</summary>
    public EstimatorKind? Force { get; init; }

    /// <summary>The control variate of score-function sites; null: EMA with one particle, leave-one-out with several.</summary>
    public BaselineKind? Baseline { get; init; }

    /// <summary>
    /// Charge each score-function site only the terms downstream of it (true, the default); false charges every
    /// site the whole ELBO, as plain REINFORCE does (kept for comparisons: same mean, more variance).
    /// </summary>
    public bool RaoBlackwellize { get; init; } = true;

    /// <summary>Replace log p(z) − log q(z) by −KL(q ‖ p) where the registry has the pair and it is sound (see <see cref="TraceElbo"/>).</summary>
    public bool AnalyticKl { get; init; } = true;
}
