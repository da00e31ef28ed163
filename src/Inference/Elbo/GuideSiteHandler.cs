using Ppl.Inference.Enumeration;
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
/// A site enumerated in the guide takes value r of its support instead of a draw in pass r (<see cref="GuideEnumeration"/>);
/// in a later pass (<paramref name="pass"/> given) plates and the sites that pass replays keep the first pass's values, so
/// only what depends on the enumerated values changes.
/// </summary>
sealed class GuideSiteHandler(Func<Site, EstimatorKind> decide, Rng rng, Tape? tape, Estimators.DisArm? disArm = null, GuideEnumeration.Pass? pass = null) : Handler
{
    /// <summary>The sites enumerated in the guide in this pass, in program order.</summary>
    public IReadOnlyList<string> Enumerated => pass?.Enumerated ?? (IReadOnlyList<string>)[];

    /// <inheritdoc/>
    public override void Process(Site site)
    {
        if (site.Kind == SiteKind.Plate)
        {
            if (pass?.First?.Find(site.Name) is { Kind: SiteKind.Plate } p) site.Value = p.Value;
            else disArm?.Plate(site);
            return;
        }
        if (site.Kind != SiteKind.Sample || site.IsObserved || site.Value is not null) return;
        if (pass?.Replayed?.Contains(site.Name) == true && pass.First!.Find(site.Name) is { } first)
        {
            site.Value = first.Value;
            site.IsReparameterized = first.IsReparameterized;
            return;
        }
        var d = site.Distribution!;
        var kind = decide(site);
        if (kind == EstimatorKind.Enumerate)
        {
            pass ??= new GuideEnumeration.Pass(0, null, null);   // made on the first enumerated site: no cost without one
            site.Value = EnumerationHandler.ValueAt(d, pass.Index, tape);
            pass.Enumerated.Add(site.Name);
        }
        else if (kind == EstimatorKind.DisArm && d is Runtime.Distributions.Bernoulli bernoulli && disArm is not null)
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
