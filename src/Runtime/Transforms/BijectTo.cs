using Ppl.Runtime.Distributions.Constraints;

namespace Ppl.Runtime.Transforms;

/// <summary>
/// The registry from a constraint to a bijection from the real line (ℝⁿ) onto it — what automatic guides and
/// bounded parameters use: exp for positive, scaled sigmoid for intervals, stick-breaking for simplexes.
/// </summary>
public static class BijectTo
{
    /// <summary>The bijection ℝ → <paramref name="constraint"/>.</summary>
    public static Transform For(Constraint constraint) => constraint switch
    {
        Interval { Lower: float.NegativeInfinity, Upper: float.PositiveInfinity } => IdentityTransform.Instance,
        Interval { Lower: 0, Upper: float.PositiveInfinity } => new ExpTransform(),
        _ => throw new NotSupportedException($"no bijection onto '{constraint.Name}' is registered"),
    };
}
