using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Models;
using Ppl.Runtime.Sites;
using Ppl.Runtime.Tensors;

namespace Ppl.Inference.Elbo;

/// <summary>
/// The downstream cost of a score-function site, per element of its plates (Schulman, Heess, Weber and Abbeel 2015,
/// "Gradient estimation using stochastic computation graphs"; Pyro's TraceGraph_ELBO): the sum of exactly the ELBO
/// terms whose provenance contains the site. A term inside the same plate keeps that plate's axis (element i's draw
/// is charged only element i's terms); every other axis is summed out, and a term outside the site's plate is charged
/// to every element. A site whose value left the tape as a plain number (see <see cref="Tape.TakeEscaped"/>) cannot be
/// followed: it is charged every term that can come after it in program order — the guide's terms from its own
/// position on, the model's from the first latent it visits that the guide drew at or after the site — summed over
/// all elements. That may add independent terms (more variance) but never drops a dependent one (no bias).
/// </summary>
static class DownstreamCost
{
    /// <summary>The site's log q summed to its plate axes, and its cost in the same shape (a plain tensor).</summary>
    /// <param name="site">the score-function guide site</param>
    /// <param name="particle">its particle</param>
    /// <param name="raoBlackwellize">false: charge the whole ELBO instead (plain REINFORCE, for comparisons)</param>
    public static (Var LogQ, Tensor Cost) Of(Site site, Particle particle, bool raoBlackwellize)
    {
        var lp = site.LogProb;
        int aligned = LogDensityTerm.Aligned(site.Plates, lp.Shape);
        var logQ = ModelSupport.SumLast(lp, lp.Rank - aligned);
        var plates = site.Plates.Take(aligned).ToArray();
        var shape = logQ.Shape;
        var cost = Tensor.Zeros(shape);
        if (!raoBlackwellize || particle.Escaped?.Contains(site.Name) == true)
        {
            float total = 0f;
            foreach (var t in raoBlackwellize ? AfterInProgramOrder(site, particle) : particle.Terms) total += Sum(t.Elementwise.Value);
            cost.Span.Fill(total);
        }
        else
            foreach (var t in particle.Terms)
                if (t.Provenance?.Contains(site.Name) == true) Accumulate(t, plates, shape, cost.Span);
        return (logQ, cost);
    }

    static IEnumerable<LogDensityTerm> AfterInProgramOrder(Site site, Particle particle)
    {
        var g = particle.Guide.Sites;
        int gi = 0;
        while (!ReferenceEquals(g[gi], site)) gi++;
        int firstModel = int.MaxValue;
        var m = particle.Model.Sites;
        for (int i = 0; i < m.Count; i++)
        {
            if (m[i] is not { Kind: SiteKind.Sample, IsObserved: false }) continue;
            int pos = IndexOf(g, m[i].Name);
            if (pos >= gi) { firstModel = i; break; }
        }
        return particle.Terms.Where(t => t.InGuide ? t.Order >= gi : t.Order >= firstModel);
    }

    static int IndexOf(IReadOnlyList<Site> sites, string name)
    {
        for (int i = 0; i < sites.Count; i++) if (sites[i].Name == name) return i;
        return -1;
    }

    static float Sum(Tensor t)
    {
        float s = 0f;
        foreach (var v in t.Span) s += v;
        return s;
    }

    /// <summary>cost += the term, its axes of the site's plates kept (broadcast where the term lacks them), the rest summed.</summary>
    static void Accumulate(LogDensityTerm term, PlateFrame[] plates, int[] costShape, Span<float> cost)
    {
        var v = term.Elementwise.Value;
        var tShape = v.Shape;
        // For each cost axis, the term axis that holds the same plate (−1: the term is constant along it).
        var from = new int[costShape.Length];
        for (int p = 0; p < plates.Length; p++)
        {
            from[p] = -1;
            for (int j = 0; j < term.AlignedPlates; j++)
                if (term.Site.Plates[j].Name == plates[p].Name && tShape[j] == costShape[p]) from[p] = j;
        }
        // Reduce the term to those axes: partial[k] indexed by the cost axes it has.
        var tStrides = Strides(tShape);
        var partialShape = new int[costShape.Length];
        for (int p = 0; p < costShape.Length; p++) partialShape[p] = from[p] >= 0 ? costShape[p] : 1;
        var pStrides = Strides(partialShape);
        var partial = new float[Math.Max(1, Shapes.Size(partialShape))];
        var vs = v.Span;
        for (int e = 0; e < vs.Length; e++)
        {
            int target = 0;
            for (int p = 0; p < costShape.Length; p++)
                if (from[p] >= 0) target += e / tStrides[from[p]] % tShape[from[p]] * pStrides[p];
            partial[target] += vs[e];
        }
        var cStrides = Strides(costShape);
        for (int c = 0; c < cost.Length; c++)
        {
            int source = 0;
            for (int p = 0; p < costShape.Length; p++)
                if (from[p] >= 0) source += c / cStrides[p] % costShape[p] * pStrides[p];
            cost[c] += partial[source];
        }
    }

    static int[] Strides(int[] shape)
    {
        var s = new int[shape.Length];
        int acc = 1;
        for (int i = shape.Length - 1; i >= 0; i--) { s[i] = acc; acc *= shape[i]; }
        return s;
    }
}
