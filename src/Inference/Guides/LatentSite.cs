using Ppl.Runtime.Distributions;
using Ppl.Runtime.Sites;
using Ppl.Runtime.Tensors;
using Ppl.Runtime.Transforms;

namespace Ppl.Inference.Guides;

/// <summary>
/// What an automatic guide knows of one latent site of the model, from one traced run with every plate at full size.
/// </summary>
/// <param name="Name">the site's name</param>
/// <param name="Prior">the site's distribution in the traced run (full plate sizes)</param>
/// <param name="ToSupport">the bijection ℝⁿ → support; null for a discrete site</param>
/// <param name="Init">the initial unconstrained value (the prior median mapped to the real line), full size; for a
/// discrete site, the guide's initial logits (one per element, and per category for a Categorical)</param>
/// <param name="Plates">the enclosing plates, outermost first (plate i is axis i of the value)</param>
/// <param name="Location">where the site is written</param>
public sealed record LatentSite(string Name, Distribution Prior, Transform? ToSupport, Tensor Init, IReadOnlyList<PlateInfo> Plates, SiteLocation Location)
{
    /// <summary>The constrained value's shape at full plate sizes.</summary>
    public int[] Shape => Prior.Shape;

    /// <summary>The unconstrained value's shape at full plate sizes.</summary>
    public int[] UnconstrainedShape => Init.Shape;

    /// <summary>Number of unconstrained coordinates.</summary>
    public int Dim => Init.Size;

    /// <summary>Whether the site is discrete (its guide is a learnable Bernoulli or Categorical).</summary>
    public bool IsDiscrete => ToSupport is null;

    /// <summary>Whether some enclosing plate draws a subsample (local parameters are then gathered per run).</summary>
    public bool IsSubsampled => Plates.Any(p => p.Subsample is not null);

    /// <summary>The compiler's hint that the model uses this site only as L + S·value (null: none).</summary>
    public LocScaleUse? LocScale { get; init; }

    /// <summary>
    /// Set when the guide draws this site through a learnable partial centring (<see cref="Recentring"/>); its
    /// <see cref="Init"/> is then the centred coordinate's start.
    /// </summary>
    public RecentredSite? Recentred { get; init; }
}

/// <summary>A latent the guide draws partially centred: the model's hint and where its inputs are among the guide's latents.</summary>
/// <param name="Use">the model's L + S·r</param>
/// <param name="Inputs">the index in the guide's latents of each of <see cref="LocScaleUse.Inputs"/></param>
public sealed record RecentredSite(LocScaleUse Use, int[] Inputs);

/// <summary>A plate of the model as an automatic guide re-declares it.</summary>
/// <param name="Name">plate name</param>
/// <param name="Size">full size</param>
/// <param name="Subsample">minibatch size, or null when the plate runs in full</param>
/// <param name="Location">where the plate is written</param>
public sealed record PlateInfo(string Name, int Size, int? Subsample, SiteLocation Location);
