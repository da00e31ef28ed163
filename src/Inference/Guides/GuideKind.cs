namespace Ppl.Inference.Guides;

/// <summary>The automatic guide families (<c>ppl fit --guide KIND</c>).</summary>
public enum GuideKind
{
    /// <summary>Mean-field normal on the unconstrained space (the default): one location and scale per coordinate.</summary>
    Normal,
    /// <summary>Full-rank multivariate normal with a learned Cholesky factor over all continuous latents.</summary>
    Mvn,
    /// <summary>Multivariate normal with covariance W·Wᵀ + diag(d²), W of rank ≈ √D.</summary>
    LowRank,
    /// <summary>A point mass per latent: maximum a posteriori.</summary>
    Delta,
    /// <summary>Inverse autoregressive flows on top of a diagonal normal.</summary>
    Iaf,
    /// <summary>Planar flows on top of a diagonal normal.</summary>
    Planar,
}

/// <summary>Parsing of guide kinds as users write them.</summary>
public static class GuideKinds
{
    /// <summary>The kind named <paramref name="name"/> (<c>normal</c>, <c>mvn</c>, <c>lowrank</c>, <c>delta</c>, <c>iaf</c>, <c>planar</c>).</summary>
    /// <exception cref="ArgumentException">An unknown name; the message lists the known ones.</exception>
    public static GuideKind Parse(string name) => name.ToLowerInvariant() switch
    {
        "normal" or "meanfield" or "mean-field" => GuideKind.Normal,
        "mvn" or "fullrank" or "full-rank" => GuideKind.Mvn,
        "lowrank" or "low-rank" => GuideKind.LowRank,
        "delta" or "map" => GuideKind.Delta,
        "iaf" => GuideKind.Iaf,
        "planar" => GuideKind.Planar,
        _ => throw new ArgumentException($"unknown guide '{name}': expected one of normal, mvn, lowrank, delta, iaf, planar"),
    };
}
