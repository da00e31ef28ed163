using Ppl.Inference.Elbo;
using Ppl.Runtime.Sites;

namespace Ppl.Inference.Estimators;

/// <summary>
/// The one place that decides a latent guide site's gradient estimator. Pathwise (Kingma and Welling 2014;
/// Rezende, Mohamed and Wierstra 2014) when the guide's distribution <c>HasRSample</c>; otherwise the score function
/// (Williams 1992; Ranganath, Gerrish and Blei 2014) with a control variate; a sampled Bernoulli site gets DisARM
/// (Dong, Mnih and Tucker 2020) unless a baseline was asked for (<c>ElboOptions.Baseline</c>), since
/// it measured better than leave-one-out (<see cref="DisArmByDefault"/>). Model sites the guide leaves out are
/// enumerated (<see cref="ShouldEnumerate"/>); a finite site the guide samples is enumerated in the guide when
/// <c>--estimator enum</c> asks for it (<see cref="EnumeratedInGuide"/>).
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
        BaselineKind.Learned => $"learned (MLP {LearnedBaseline.Hidden} hidden)",
        _ => kind.ToString(),
    };

    /// <summary>Memory budget of one enumerated site's tables: 64 MiB (16 M floats).</summary>
    public const long EnumerationBudgetBytes = 64L << 20;

    /// <summary>
    /// The default for an automatic guide: a model site with a finite support is enumerated (the guide leaves it out)
    /// when its tables fit <see cref="EnumerationBudgetBytes"/>: K² floats per element of its plates (the pairwise table
    /// with a parent of the same support, the largest it can hold), plus K per element for its terms. A changepoint over
    /// 100 years is 100² + 100 floats; a 3-way mixture over 10,000 points 120,000.
    /// </summary>
    public static bool ShouldEnumerate(Site modelSite, out string reason)
    {
        var d = modelSite.Distribution;
        if (d is null || !d.HasEnumerateSupport) { reason = $"{d?.GetType().Name ?? "the site"} has no finite support"; return false; }
        // The contraction sums one value per plate element: an axis of the site's own (z: int[2] outside a plate)
        // is not enumerable, so such a site keeps a guide distribution of its own rather than failing the fit.
        if (d.EventShape.Length != 0 || d.BatchShape.Length != modelSite.Plates.Count)
        {
            reason = $"its value has shape {Runtime.Tensors.Shapes.Format(d.Shape)} beyond its plates, which enumeration cannot sum";
            return false;
        }
        long k = d.EnumerateSupport().Shape[0];
        long bytes = 4 * (k * k + k) * Math.Max(1, Runtime.Tensors.Shapes.Size(d.BatchShape));
        reason = $"{d.GetType().Name} has {k} values; its tables take {bytes / 1024.0:0.#} KiB of the {EnumerationBudgetBytes >> 20} MiB budget";
        return bytes <= EnumerationBudgetBytes;
    }

    /// <summary>
    /// A model site with finite support that the guide does not sample is always summed out exactly (the only sound
    /// choice without a guide distribution, and exact): the report says so.
    /// </summary>
    public static SiteEstimator Enumerated(Site site, int supportSize) => new(site.Name, EstimatorKind.Enumerate, "none",
        $"{site.Distribution!.GetType().Name} has a finite support ({supportSize} values) and the guide does not sample it: summed out exactly");

    /// <summary>
    /// The most values a site enumerated in the guide may have: the guide and the model run once per value and every
    /// run stays on the tape until the one backward pass, so the step costs K passes and K times one particle's tape.
    /// </summary>
    public const int GuideEnumerationMaxValues = 64;

    /// <summary>
    /// A finite discrete site that the guide samples, enumerated there (<c>Enumeration/GuideEnumeration</c>): its
    /// expectation is summed exactly over its values, weighted by the guide's probabilities. Throws a located
    /// <see cref="EstimatorException"/> when the site holds more than one value per plate element (a vector of B bits
    /// has 2^B joint values) or more than <see cref="GuideEnumerationMaxValues"/> values.
    /// </summary>
    public static SiteEstimator EnumeratedInGuide(Site site, string why)
    {
        var d = site.Distribution!;
        var family = d.GetType().Name;
        if (d.EventShape.Length != 0 || d.BatchShape.Length != site.Plates.Count || Elbo.LogDensityTerm.Aligned(site.Plates, d.BatchShape) != site.Plates.Count)
            throw new EstimatorException($"{site.Location}: site '{site.Name}' cannot be enumerated in the guide: its value has shape {Runtime.Tensors.Shapes.Format(d.Shape)} beyond its plates, whose joint values are not enumerable one by one; put the axis in a plate or use the score-function estimator for it");
        int k = d.EnumerateSupport().Shape[0];
        if (k > GuideEnumerationMaxValues)
            throw new EstimatorException($"{site.Location}: site '{site.Name}' cannot be enumerated in the guide: {family} has {k} values, over the budget of {GuideEnumerationMaxValues} (one guide and model pass per value, all kept for the backward pass); use the score-function estimator for it");
        return new SiteEstimator(site.Name, EstimatorKind.Enumerate, "none",
            $"enumerated in the guide, {why}: {family} has a finite support ({k} values), so every term that depends on it is summed over its values weighted by the guide's probabilities (exact expectation, zero gradient variance; {k} guide and model passes per particle)");
    }

    /// <summary>
    /// Why a sampled Bernoulli site gets DisARM by default (the report's words): at the same two model runs it measured
    /// 1.6× lower gradient variance than leave-one-out (<c>ppl bench score-variance-disarm-vs-leave-one-out</c>, see
    /// BenchGradientVariance), so it is the default; the particles are rounded up to an even count (at least 2).
    /// </summary>
    public const string DisArmByDefault = "Bernoulli guide site: DisARM antithetic pairs (measured lower gradient variance than leave-one-out at the same model runs, ppl bench score-variance-disarm-vs-leave-one-out); particles rounded up to an even count, at least 2";

    /// <summary>
    /// The report of a default DisARM site whose antithetic pair did not share its probabilities (they depend on
    /// other random draws of the guide): it falls back to the score function for good.
    /// </summary>
    public static SiteEstimator DisArmFallback(Site site, ElboOptions options) => new(site.Name, EstimatorKind.ScoreFunction,
        Describe(options.Baseline ?? DefaultBaseline(options.Particles)),
        "Bernoulli is discrete; not DisARM: its probabilities depend on other random draws of the guide, so an antithetic pair does not share them");

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
            case EstimatorKind.DisArm when d is Runtime.Distributions.Bernoulli:
                return new SiteEstimator(site.Name, EstimatorKind.DisArm, "antithetic pair", "forced (--estimator disarm)");
            case EstimatorKind.DisArm when d.IsDiscrete:
                throw new EstimatorException($"{site.Location}: site '{site.Name}': DisARM needs a Bernoulli, and {family} is not one; use the score-function estimator for it");
            case EstimatorKind.Enumerate when d.IsDiscrete && !d.HasEnumerateSupport:
                throw new EstimatorException($"{site.Location}: site '{site.Name}': enumeration needs a finite support, and {family} has an infinite one; use the score-function estimator for it");
            case EstimatorKind.Enumerate when d.IsDiscrete:
                return EnumeratedInGuide(site, "forced (--estimator enum)");
        }
        if (d.HasRSample)
            return new SiteEstimator(site.Name, EstimatorKind.Pathwise, "none", $"{family} has a reparameterized sampler");
        if (d is Runtime.Distributions.Bernoulli && options.Baseline is null)
            return new SiteEstimator(site.Name, EstimatorKind.DisArm, "antithetic pair", DisArmByDefault);
        if (!d.IsDiscrete)
            warning = $"{site.Location}: site '{site.Name}' is continuous but its guide distribution {family} has no reparameterized sampler: its gradient uses the score function (higher variance)";
        return new SiteEstimator(site.Name, EstimatorKind.ScoreFunction, baseline,
            d.IsDiscrete ? $"{family} is discrete" : $"{family} has no reparameterized sampler");
    }
}
