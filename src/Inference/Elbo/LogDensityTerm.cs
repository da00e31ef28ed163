using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Sites;

namespace Ppl.Inference.Elbo;

/// <summary>
/// One term of a particle's ELBO: a site's signed, plate-scaled log density per element (+scale·log p for the model,
/// −scale·log q for the guide, −scale·KL(q ‖ p) for a site whose pair has a closed form), with the provenance that
/// says which score-function sites it is downstream of.
/// </summary>
/// <param name="Site">the site (the model's, for a KL term)</param>
/// <param name="Elementwise">the term per element; its sum is the contribution to the ELBO</param>
/// <param name="Provenance">the non-reparameterized sites it was computed from</param>
/// <param name="InGuide">whether it is a guide term</param>
/// <param name="Order">the site's position in its trace (program order)</param>
/// <param name="AlignedPlates">how many leading axes of <paramref name="Elementwise"/> are the site's plates (0 when its shape does not show them)</param>
sealed record LogDensityTerm(Site Site, Var Elementwise, SiteSet? Provenance, bool InGuide, int Order, int AlignedPlates)
{
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
