namespace Ppl.Runtime.Sites;

/// <summary>Hides the sites a predicate selects from every handler outside this one.</summary>
public sealed class BlockHandler(Func<Site, bool> hide) : Handler
{
    /// <inheritdoc/>
    public override bool Hides(Site site) => hide(site);
}
