using Ppl.Inference.Elbo;
using Ppl.Runtime.Sites;

namespace Ppl.Inference.Estimators;

/// <summary>
/// The one place that decides a latent guide site's gradient estimator. Pathwise (Kingma and Welling 2014;
/// Rezende, Mohamed and Wierstra 2014) when the guide's distribution <c>HasRSample</c>; otherwise the score function
/// (Williams 1992; Ranganath, Gerrish and Blei 2014) with a control variate. Issue 9's estimators (enumeration,
/// DisARM, learned baselines) are further branches here.
/// </summary>
public static class EstimatorPolicy
{
    /// <summary>The default control variate for <paramref name="particles"/> particles: EMA with one, leave-one-out with more.</summary>
    public static BaselineKind DefaultBaseline(int particles) => particles > 1 ? BaselineKind.LeaveOneOut : BaselineKind.Ema;

    /// <summary>The baseline's name as the fit reports it.</summary>
    public static string Describe(BaselineKind kind) => kind switch
    {
        BaselineKind.None => "none",
        BaselineKind.Ema => $"ema(β={EmaBaseline.Beta})",
        BaselineKind.LeaveOneOut => "leave-one-out",
        _ => kind.ToString(),
    };

    /// <summary>
    /// Chooses the estimator of a latent guide site. Throws <see cref="EstimatorException"/> (naming the site and its
    /// source line) when <see cref="ElboOptions.Force"/> asks for pathwise on a distribution without a reparameterized
    /// sampler. <paramref name="warning"/> is set when a continuous site falls back to the score function.
    /// </summary>
    public static SiteEstimator Decide(Site site, ElboOptions options, out string? warning)
    {
        warning = null;
        var d = site.Distribution ?? throw new ArgumentException($"site '{site.Name}' has no distribution", nameof(site));
        var family = d.GetType().Name;
        var baseline = Describe(options.Baseline ?? DefaultBaseline(options.Particles));
        switch (options.Force)
        {
            case EstimatorKind.Pathwise when !d.HasRSample:
                throw new EstimatorException($"{site.Location}: site '{site.Name}': the pathwise estimator needs a reparameterized draw, and {family}{(d.IsDiscrete ? " is discrete" : " has no reparameterized sampler")}; use the score-function estimator for it");
            case EstimatorKind.Pathwise:
                return new SiteEstimator(site.Name, EstimatorKind.Pathwise, "none", "forced (--estimator pathwise)");
            case EstimatorKind.ScoreFunction:
                return new SiteEstimator(site.Name, EstimatorKind.ScoreFunction, baseline, "forced (--estimator score)");
        }
        if (d.HasRSample)
            return new SiteEstimator(site.Name, EstimatorKind.Pathwise, "none", $"{family} has a reparameterized sampler");
        if (!d.IsDiscrete)
            warning = $"{site.Location}: site '{site.Name}' is continuous but its guide distribution {family} has no reparameterized sampler: its gradient uses the score function (higher variance)";
        return new SiteEstimator(site.Name, EstimatorKind.ScoreFunction, baseline,
            d.IsDiscrete ? $"{family} is discrete" : $"{family} has no reparameterized sampler");
    }
}
