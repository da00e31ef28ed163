using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Sites;

namespace Ppl.Inference.Elbo;

/// <summary>
/// One term of a particle's ELBO: a site's signed, plate-scaled log density per element (+scale·log p for the model,
/// −scale·log q for the guide, −scale·KL(q ‖ p) for a site whose pair has a closed form), with the provenance that
/// says which score-function sites it is downstream of.
/// </summary>
/// <param name="site">the site (the model's, for a KL term)</param>
/// <param name="raw">the unsigned, unscaled log density (or KL) per element</param>
/// <param name="weight">the sign and plate scale the term enters the ELBO with</param>
/// <param name="provenance">the non-reparameterized sites it was computed from</param>
/// <param name="inGuide">whether it is a guide term</param>
/// <param name="order">the site's position in its trace (program order)</param>
/// <param name="alignedPlates">how many leading axes of the term are the site's plates (0 when its shape does not show them)</param>
sealed class LogDensityTerm(Site site, Var raw, float weight, SiteSet? provenance, bool inGuide, int order, int alignedPlates)
{
    Var? elementwise;

    /// <summary>The site (the model's, for a KL term).</summary>
    public Site Site => site;
    /// <summary>The log density (or KL) per element before <see cref="Weight"/>.</summary>
    public Var Raw => raw;
    /// <summary>The sign and plate scale: the ELBO adds Weight · Σ Raw (<see cref="Ops.AddWeightedSum"/>, one node).</summary>
    public float Weight => weight;
    /// <summary>The non-reparameterized sites it was computed from.</summary>
    public SiteSet? Provenance => provenance;
    /// <summary>Whether it is a guide term.</summary>
    public bool InGuide => inGuide;
    /// <summary>The site's position in its trace (program order).</summary>
    public int Order => order;
    /// <summary>How many leading axes of the term are the site's plates.</summary>
    public int AlignedPlates => alignedPlates;

    /// <summary>Weight · Raw per element, whose sum is the contribution to the ELBO; made only when a score-function
    /// cost or a per-element bound reads it, so a pathwise step records no product per term.</summary>
    public Var Elementwise => elementwise ??= weight == 1f ? raw : Ops.Mul(raw, weight);

    /// <summary>How many leading axes of a value of <paramref name="shape"/> are the plates' axes: all of them when the
    /// shape starts with the plates' (sub)sample sizes (the generated code's layout), otherwise none.</summary>
    public static int Aligned(IReadOnlyList<PlateFrame> plates, int[] shape)
    {
        if (shape.Length < plates.Count) return 0;
        for (int i = 0; i < plates.Count; i++)
            if (shape[i] != plates[i].SubsampleSize && shape[i] != 1) return 0;
        return plates.Count;
    }
}
