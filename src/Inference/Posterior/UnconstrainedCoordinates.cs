using Ppl.Inference.Guides;
using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Distributions;
using Ppl.Runtime.Sites;
using Ppl.Runtime.Tensors;
using Ppl.Runtime.Transforms;

namespace Ppl.Inference.Posterior;

/// <summary>
/// A guide's draw as one vector u of unconstrained coordinates, and back: every latent site of a built-in Gaussian
/// guide (normal, mvn, lowrank) is a distribution on ℝⁿ pushed through a chain of bijections (the site's support
/// transform, or the partial centring of a site written non-centred), so u stacks, in site order, each site's value
/// taken back through its chain, and <see cref="Setter"/> runs the guide with its sites set from a given u instead of
/// drawn. Together they let an importance proposal live on u (<see cref="StudentTProposal"/>) while the guide maps
/// it to the values the model sees, centring included.
/// </summary>
public static class UnconstrainedCoordinates
{
    /// <summary>u of the draw <paramref name="guide"/> (a guide's trace); null when some latent site is not a bijection of one on ℝⁿ (a discrete site, a flow's point mass).</summary>
    public static double[]? Of(Trace guide) => Of(guide, out _);

    /// <summary>
    /// u of the draw <paramref name="guide"/>, as <see cref="Of(Trace)"/>, and Σ log |det J| of the sites' chains at it:
    /// what <see cref="Setter"/> would add up setting the guide's sites from u (with the parameters of the guide that
    /// made the trace, which may be any fit's guide replayed at another's draw).
    /// </summary>
    public static double[]? Of(Trace guide, out double logDet)
    {
        var u = new List<double>();
        logDet = 0;
        foreach (var site in guide.Sites)
        {
            if (site is not { Kind: SiteKind.Sample, IsObserved: false }) continue;
            if (Chain(site.Distribution!) is not { } chain) return null;
            var v = site.Value!;
            for (int j = chain.Transforms.Count - 1; j >= 0; j--) v = chain.Transforms[j].Inverse(v);
            Push(chain.Transforms, v, ref logDet);   // for the log-det only: the value is the site's
            foreach (float e in v.Value.Span) u.Add(e);
        }
        return [.. u];
    }

    /// <summary><paramref name="x"/> through <paramref name="transforms"/> in order, adding each one's log |det J| to <paramref name="logDet"/>.</summary>
    static Var Push(IReadOnlyList<Transform> transforms, Var x, ref double logDet)
    {
        foreach (var t in transforms)
        {
            var y = t.Forward(x);
            foreach (float d in t.LogAbsDetJacobian(x, y).Value.Span) logDet += d;
            x = y;
        }
        return x;
    }

    /// <summary>
    /// A handler for a run of the guide that sets each latent site to its chain's image of the next block of u
    /// (rather than drawing it) and adds up log |det J| of the chains at u, so the draw's density on the sites' space
    /// is the density of u minus <see cref="LogDet"/>.
    /// </summary>
    public sealed class Setter(double[] u) : Handler
    {
        int offset;

        /// <summary>Σ log |det J| of the chains at the blocks of u used so far.</summary>
        public double LogDet => logDet;

        double logDet;

        /// <summary>Whether the run used every coordinate of u (a different number means a different guide).</summary>
        public bool UsedAll => offset == u.Length;

        /// <inheritdoc/>
        public override void Process(Site site)
        {
            if (site.Kind != SiteKind.Sample || site.IsObserved || site.Value is not null) return;
            var chain = Chain(site.Distribution!) ?? throw new InvalidOperationException($"site '{site.Name}' is not a bijection of a distribution on ℝⁿ");
            int n = Shapes.Size(chain.BaseShape);
            if (offset + n > u.Length) throw new InvalidOperationException($"site '{site.Name}' needs coordinates beyond the {u.Length} given");
            var x = Tensor.Zeros(chain.BaseShape);
            for (int j = 0; j < n; j++) x.Span[j] = (float)u[offset + j];
            offset += n;
            site.Value = Push(chain.Transforms, Var.Const(x), ref logDet);
        }
    }

    /// <summary>A site distribution's bijections and the shape of the ℝⁿ distribution they start from (null: not such a distribution).</summary>
    static (IReadOnlyList<Transform> Transforms, int[] BaseShape)? Chain(Distribution d)
    {
        while (d is Independent i) d = i.Base;
        if (d.IsDiscrete) return null;
        if (d is TransformedDistribution t)
            return t.Base.IsDiscrete || t.Base is Independent or TransformedDistribution ? null : (t.Transforms, t.Base.Shape);
        return d.Support == Runtime.Distributions.Constraints.Constraint.Real ? ([], d.Shape) : null;
    }
}
