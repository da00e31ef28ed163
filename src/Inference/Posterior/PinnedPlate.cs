using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Models;
using Ppl.Runtime.Sites;
using Ppl.Runtime.Tensors;

namespace Ppl.Inference.Posterior;

/// <summary>
/// A model or guide whose plate <paramref name="plate"/> runs at fixed <paramref name="indices"/> instead of drawing a
/// subsample: how evaluation sweeps a held-out set chunk by chunk, and how pictures pick their images. The plate's scale
/// becomes Size / indices.Size, so a chunk's terms still estimate the whole data set's.
/// </summary>
public sealed class PinnedPlate(IModel inner, string plate, IntTensor indices) : IModel
{
    /// <inheritdoc/>
    public string Name => inner.Name;

    /// <inheritdoc/>
    public void Run(ModelContext context) => inner.Run(context.With(new Pin(plate, indices)));

    sealed class Pin(string plate, IntTensor indices) : Handler
    {
        public override void Process(Site site)
        {
            if (site.Kind == SiteKind.Plate && site.Name == plate) site.Value = Var.Const(indices.ToFloat());
        }
    }
}
