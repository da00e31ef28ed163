using Ppl.Runtime.Tensors;

namespace Ppl.Runtime.Sites;

/// <summary>Fixes sample sites to given values and treats them as observed (Pyro's <c>condition</c>).</summary>
public sealed class ConditionHandler(IReadOnlyDictionary<string, Tensor> values) : Handler
{
    /// <inheritdoc/>
    public override void Process(Site site)
    {
        if (site.Kind != SiteKind.Sample || site.Value is not null) return;
        if (values.TryGetValue(site.Name, out var v))
        {
            site.Value = Autodiff.Var.Const(v);
            site.IsObserved = true;
        }
    }
}
