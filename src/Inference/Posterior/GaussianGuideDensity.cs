using Ppl.Inference.Guides;
using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Models;
using Ppl.Runtime.Params;
using Ppl.Runtime.Random;
using Ppl.Runtime.Sites;
using Ppl.Runtime.Tensors;

namespace Ppl.Inference.Posterior;

/// <summary>
/// A fitted built-in Gaussian guide's density at any point of its latent sites — the mean-field
/// <see cref="AutoNormal"/>, or a <see cref="JointNormalGuide"/> (full or low rank) — computed from a snapshot of its
/// parameters instead of by running the guide at the point:
/// <code>log q(w) = log N(u; loc, Σ) − Σ log |det J|,</code>
/// where u stacks the point's values taken back through each site's bijection (its support's, or its recentring at the
/// point's own values of the globals it reads) and J is that bijection's Jacobian: the sum the guide's run adds up site
/// by site. Weighing a multi-path fit's draws asks every path's guide for its density at every draw, and with a
/// <see cref="LabelSymmetry"/> at every relabelling of it (gmm with 8 paths: 384,000 densities per stage of the
/// resampling); a replay of the guide costs about sixty tensor ops and a trace, this a few bijections and a triangular
/// solve in doubles.
/// </summary>
public sealed class GaussianGuideDensity
{
    readonly AutoGuide guide;
    readonly ParamStore store;
    readonly double[] loc;
    readonly double[]? scale;   // mean-field: one scale per coordinate
    readonly double[]? tril;    // joint: L, row-major D×D
    readonly double logNormaliser;   // −Σ log scale (or Σ log L_ii) − (D/2)·log 2π
    readonly Rng unused = new(0);   // recentring reads λ in a run that draws nothing

    GaussianGuideDensity(AutoGuide guide, ParamStore store, double[] loc, double[]? scale, double[]? tril)
    {
        this.guide = guide;
        this.store = store;
        this.loc = loc;
        this.scale = scale;
        this.tril = tril;
        int d = loc.Length;
        double logDiag = 0;
        for (int i = 0; i < d; i++) logDiag += Math.Log(scale is null ? tril![i * d + i] : scale[i]);
        logNormaliser = -logDiag - 0.5 * d * Math.Log(2 * Math.PI);
    }

    /// <summary>D, the number of coordinates.</summary>
    public int Dim => loc.Length;

    /// <summary>Whether a point's coordinates depend on this guide's parameters (its recentred sites' λ), not only on the model's sites.</summary>
    public bool IsRecentred => guide.IsRecentred;

    /// <summary>
    /// The density of <paramref name="guide"/> with <paramref name="store"/>'s parameters; null when it is not a
    /// built-in Gaussian guide, or has a discrete or subsampled latent (whose density needs a run of the guide).
    /// </summary>
    public static GaussianGuideDensity? For(IModel guide, ParamStore store)
    {
        if (guide is not AutoGuide auto || auto.Latents.Any(s => s.IsDiscrete || s.IsSubsampled)) return null;
        if (auto.Gaussian(new ModelContext(new Rng(0), null, store)) is not var (loc, scale, tril)) return null;
        return new GaussianGuideDensity(auto, store, ToDoubles(loc), scale is null ? null : ToDoubles(scale), tril is null ? null : ToDoubles(tril));
    }

    static double[] ToDoubles(Tensor t)
    {
        var result = new double[t.Size];
        var span = t.Span;
        for (int i = 0; i < result.Length; i++) result[i] = span[i];
        return result;
    }

    /// <summary>
    /// u, the coordinates of the point whose site values <paramref name="value"/> gives by name, and Σ log |det J| of
    /// the sites' bijections at it; false when a site has no value or the values do not fill <see cref="Dim"/> coordinates.
    /// </summary>
    public bool Coordinates(Func<string, Tensor?> value, Span<double> u, out double logDet)
    {
        logDet = 0;
        var latents = guide.Latents;
        var context = guide.IsRecentred ? new ModelContext(unused, null, store) : null;
        var values = new Var?[latents.Count];
        int offset = 0;
        for (int i = 0; i < latents.Count; i++)
        {
            if (value(latents[i].Name) is not { } v) return false;
            var z = values[i] = Var.Const(v);
            var t = guide.SiteTransform(context, i, values);
            var x = t.Inverse(z);
            foreach (float d in t.LogAbsDetJacobian(x, z).Value.Span) logDet += d;
            var span = x.Value.Span;
            if (offset + span.Length > u.Length) return false;
            for (int k = 0; k < span.Length; k++) u[offset + k] = span[k];
            offset += span.Length;
        }
        return offset == u.Length;
    }

    /// <summary>log N(u; loc, Σ) on the coordinates (add −Σ log |det J| for the density of the point).</summary>
    public double LogDensity(ReadOnlySpan<double> u)
    {
        int d = loc.Length;
        double sum = 0;
        if (scale is not null)
        {
            for (int i = 0; i < d; i++)
            {
                double y = (u[i] - loc[i]) / scale[i];
                sum += y * y;
            }
            return logNormaliser - 0.5 * sum;
        }
        // y = L⁻¹(u − loc) by forward substitution; y is kept in a stack buffer for the small D of these models.
        Span<double> y2 = d <= 256 ? stackalloc double[d] : new double[d];
        for (int i = 0; i < d; i++)
        {
            double r = u[i] - loc[i];
            int row = i * d;
            for (int k = 0; k < i; k++) r -= tril![row + k] * y2[k];
            y2[i] = r / tril![row + i];
            sum += y2[i] * y2[i];
        }
        return logNormaliser - 0.5 * sum;
    }

    /// <summary>log q at the point whose site values <paramref name="value"/> gives, using <paramref name="u"/> (<see cref="Dim"/> long) as scratch.</summary>
    public double LogDensity(Func<string, Tensor?> value, Span<double> u) =>
        Coordinates(value, u, out double logDet) ? LogDensity(u) - logDet : double.NegativeInfinity;
}
