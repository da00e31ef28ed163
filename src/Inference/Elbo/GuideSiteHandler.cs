using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Random;
using Ppl.Runtime.Sites;

namespace Ppl.Inference.Elbo;

/// <summary>
/// Stacked on the guide's context: asks the estimator policy about each latent site before it is drawn (a site forced
/// to the score function is drawn without RSample, a DisARM site from its pair's shared uniform, in the pair's shared minibatch), and marks every non-reparameterized draw with its provenance — its
/// own site plus the sites its distribution's parameters came from (read off its log density, which is computed from
/// the parameters alone since the draw itself is a constant). Every value computed from the draw, in the guide or in
/// the model that replays it, then carries the site in its provenance (Pyro's <c>TrackNonReparam</c>).
/// </summary>
sealed class GuideSiteHandler(Func<Site, EstimatorKind> decide, Rng rng, Tape? tape, Estimators.DisArm? disArm = null) : Handler
{
    /// <inheritdoc/>
    public override void Process(Site site)
    {
        if (site.Kind == SiteKind.Plate) { disArm?.Plate(site); return; }
        if (site.Kind != SiteKind.Sample || site.IsObserved || site.Value is not null) return;
        var d = site.Distribution!;
        var kind = decide(site);
        if (kind == EstimatorKind.DisArm && d is Runtime.Distributions.Bernoulli bernoulli && disArm is not null)
        {
            var b = disArm.Draw(site.Name, bernoulli, rng, tape);
            site.Value = tape is null ? Var.Const(b) : tape.Const(b);
        }
        else if (kind == EstimatorKind.ScoreFunction && d.HasRSample)
            site.Value = tape is null ? Var.Const(d.Sample(rng)) : tape.Const(d.Sample(rng));
    }

    /// <inheritdoc/>
    public override void PostProcess(Site site)
    {
        if (site.Kind == SiteKind.Plate) { disArm?.Opened(site); return; }
        if (site.Kind != SiteKind.Sample || site.IsObserved || site.IsReparameterized) return;
        var parents = site.LogProb.Provenance;
        site.Value = Ops.Tag(site.Value!, SiteSet.Union(parents, SiteSet.Of(site.Name))!);
    }
}
