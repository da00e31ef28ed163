using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Distributions;
using Ppl.Runtime.Random;
using Ppl.Runtime.Tensors;
using Ppl.Runtime.Transforms;

namespace Ppl.Inference.Guides;

/// <summary>
/// Initial locations of automatic guides: the prior median mapped to the real line (Pyro's <c>init_to_median</c>).
/// A median starts a fit inside the bulk of the prior even for heavy-tailed priors whose mean is undefined
/// (Cauchy) or far from most of the mass. Closed forms where the family has one; otherwise the elementwise median
/// of <see cref="Draws"/> draws taken on the unconstrained space (for an elementwise monotone bijection that is the
/// bijection of the median; for vector supports such as the simplex it is the coordinatewise median there).
/// </summary>
public static class PriorMedian
{
    /// <summary>Draws used for a sample median (its sd is about 1.25 σ/√Draws for a normal-like prior).</summary>
    public const int Draws = 201;

    /// <summary>The median in the constrained space where the family has a closed form, else null.</summary>
    public static Tensor? ClosedForm(Distribution d)
    {
        Var? m = d switch
        {
            Normal or Cauchy or Laplace or Logistic => ((LocationScaleDistribution)d).Loc,
            StudentT t => t.Loc,
            HalfNormal h => h.Scale * 0.6744897501960817f,   // Φ⁻¹(3/4)
            HalfCauchy h => h.Scale,                          // tan(π/4)
            Exponential e => Ops.Div(Var.Const(MathF.Log(2f)), e.Rate),
            LogNormal l => Ops.Exp(l.Loc),
            Uniform u => (u.Low + u.High) * 0.5f,
            _ => null,
        };
        return m is null ? null : Ops.BroadcastTo(m, d.Shape).Value.Clone();
    }

    /// <summary>The median mapped to the real line by <paramref name="toSupport"/>: shape <c>toSupport.InverseShape(d.Shape)</c>.</summary>
    public static Tensor Unconstrained(Distribution d, Transform toSupport, Rng rng)
    {
        if (ClosedForm(d) is { } median) return toSupport.Inverse(Var.Const(median)).Value.Clone();
        return SampleQuantiles(d, toSupport, rng, (_, _) => 0.5);
    }

    /// <summary>
    /// Whether a vector site's prior gives every element the same median (<c>mu: real[K] ~ Normal(0, 10)</c>): started
    /// all at that median, exchangeable mixture components get identical gradients and never separate. An ordered
    /// vector of such draws (<c>mu: ordered[K] ~ Normal(0, 10)</c>) counts too: its components are no longer
    /// exchangeable, but where they start decides the clustering just the same, so it gets the same scored starts.
    /// </summary>
    public static bool IsTied(Distribution d)
    {
        if (d is OrderStatistics o) return IsTied(o.Base);
        if (d.EventShape.Length != 0 || d.Shape.Length != 1 || d.Shape[0] < 2 || ClosedForm(d) is not { } m) return false;
        var v = m.Span;
        for (int i = 1; i < v.Length; i++) if (v[i] != v[0]) return false;
        return true;
    }

    /// <summary>
    /// Element i of a tied vector site starts at its prior's (i + ½)/n quantile on the real line (sample quantiles of
    /// <see cref="Draws"/> draws): a deterministic spread that breaks the symmetry of exchangeable components, where
    /// Pyro's mixture examples start from random data points or prior samples by hand.
    /// </summary>
    public static Tensor SpreadQuantiles(Distribution d, Transform toSupport, Rng rng) => d is OrderStatistics o
        // The base's quantiles increase with i, so they are an ordered vector already: the same start as unordered.
        ? toSupport.Inverse(Var.Const(SampleQuantiles(o.Base, IdentityTransform.Instance, rng, (i, n) => (i + 0.5) / n))).Value.Clone()
        : SampleQuantiles(d, toSupport, rng, (i, n) => (i + 0.5) / n);

    /// <summary>
    /// Per element i of n, the <paramref name="level"/>(i, n) sample quantile of <see cref="Draws"/> draws on the real
    /// line (the order statistic at ⌊level·Draws⌋, so level ½ is the sample median).
    /// </summary>
    static Tensor SampleQuantiles(Distribution d, Transform toSupport, Rng rng, Func<int, int, double> level)
    {
        var draws = toSupport.Inverse(Var.Const(d.Sample(rng, [Draws]))).Value;
        int n = draws.Size / Draws;
        var result = new float[n];
        var column = new float[Draws];
        var all = draws.Span;
        for (int i = 0; i < n; i++)
        {
            for (int k = 0; k < Draws; k++) column[k] = all[k * n + i];
            Array.Sort(column);
            result[i] = column[(int)(level(i, n) * Draws)];
        }
        return new Tensor(result, draws.Shape[1..]);
    }
}
