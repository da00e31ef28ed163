using Ppl.Runtime.Tensors;

namespace Ppl.Inference.Guides;

/// <summary>
/// All continuous latents' unconstrained coordinates stacked into one vector ℝᴰ, in declaration order — the space of
/// the joint guides (full-rank, low-rank, flows). A latent in a subsampled plate is refused: its block would change
/// every step.
/// </summary>
public sealed class LatentVector
{
    /// <summary>Stacks the continuous sites of <paramref name="latents"/> for the guide <paramref name="guide"/> (named in errors).</summary>
    public LatentVector(IReadOnlyList<LatentSite> latents, string guide)
    {
        Offsets = new int[latents.Count];
        var init = new List<float>();
        for (int i = 0; i < latents.Count; i++)
        {
            var s = latents[i];
            if (s.IsDiscrete) continue;
            if (s.IsSubsampled)
                throw new NotSupportedException($"{s.Location}: site '{s.Name}' is inside a subsampled plate: a joint guide ({guide}) needs every latent at full size; use the 'normal' guide");
            Offsets[i] = init.Count;
            init.AddRange(s.Init.ToArray());
        }
        Init = new Tensor(init.ToArray(), init.Count);
    }

    /// <summary>Where latent i's block starts (0 for discrete sites, which have none).</summary>
    public int[] Offsets { get; }

    /// <summary>The stacked initial values (prior medians on the real line), [D].</summary>
    public Tensor Init { get; }

    /// <summary>D.</summary>
    public int Dim => Init.Size;
}
