namespace Ppl.Runtime.Sites;

/// <summary>
/// Takes latent values (and plate subsamples) from another run's trace — the model replayed at the guide's draws,
/// which is how the ELBO pairs log p(x, z) with log q(z).
/// </summary>
public sealed class ReplayHandler(Trace source) : Handler
{
    /// <inheritdoc/>
    public override void Process(Site site)
    {
        if (site.Value is not null || site.IsObserved) return;
        if (site.Kind is not (SiteKind.Sample or SiteKind.Plate)) return;
        if (source.Find(site.Name) is { } s && (s.Kind == site.Kind))
        {
            site.Value = s.Value;
            site.IsReparameterized = s.IsReparameterized;
        }
    }
}
