namespace Ppl.Inference.Elbo;

/// <summary>What one latent site got, and why (reported by <c>ppl fit</c>).</summary>
/// <param name="Site">the site's name</param>
/// <param name="Kind">the gradient estimator</param>
/// <param name="Baseline">the control variate of a score-function site (<c>none</c> for pathwise sites)</param>
/// <param name="Reason">why, in words</param>
public sealed record SiteEstimator(string Site, EstimatorKind Kind, string Baseline, string Reason);
