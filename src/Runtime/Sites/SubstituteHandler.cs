using Ppl.Runtime.Tensors;

namespace Ppl.Runtime.Sites;

/// <summary>
/// Fixes latent sample sites to given values while keeping them latent (the "do" of a fixed-point evaluation):
/// the log joint at those values is what tests compare with a hand computation.
/// </summary>
public sealed class SubstituteHandler(IReadOnlyDictionary<string, Tensor> values) : Handler
{
    /// <inheritdoc/>
    public override void Process(Site site)
    {
        if (site.Kind != SiteKind.Sample || site.Value is not null || site.IsObserved) return;
        if (values.TryGetValue(site.Name, out var v)) site.Value = Autodiff.Var.Const(v);
    }
}
