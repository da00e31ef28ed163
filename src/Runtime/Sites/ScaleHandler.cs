namespace Ppl.Runtime.Sites;

/// <summary>Multiplies every sample and factor site's log density by a constant (e.g. KL annealing).</summary>
public sealed class ScaleHandler(float scale) : Handler
{
    /// <inheritdoc/>
    public override void Process(Site site)
    {
        if (site.Kind is SiteKind.Sample or SiteKind.Factor) site.Scale *= scale;
    }
}
