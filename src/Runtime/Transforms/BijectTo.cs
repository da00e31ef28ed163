using Ppl.Runtime.Distributions.Constraints;

namespace Ppl.Runtime.Transforms;

/// <summary>
/// The registry from a constraint to a bijection from the real line (ℝⁿ) onto it — what automatic guides and
/// bounded parameters use. The choices are Stan's: exp for positive, lo + eˣ / hi − eˣ for one bound, a scaled
/// sigmoid for two, stick-breaking for simplexes, running sums of exponentials for ordered vectors, tanh-based partial correlations for correlation Cholesky factors,
/// exp on the diagonal for Cholesky factors, and L·Lᵀ of such a factor for covariance matrices.
/// Discrete constraints have no bijection onto the reals: their latents get a discrete guide instead.
/// </summary>
public static class BijectTo
{
    /// <summary>The bijection ℝⁿ → <paramref name="constraint"/>.</summary>
    /// <exception cref="NotSupportedException">The constraint is discrete or unknown.</exception>
    public static Transform For(Constraint constraint) => constraint switch
    {
        Interval { Lower: float.NegativeInfinity, Upper: float.PositiveInfinity } => IdentityTransform.Instance,
        Interval { Lower: 0, Upper: float.PositiveInfinity } => new ExpTransform(),
        Interval { Upper: float.PositiveInfinity } i => new LowerBoundTransform(i.Lower),
        Interval { Lower: float.NegativeInfinity } i => new UpperBoundTransform(i.Upper),
        Interval i => new IntervalTransform(i.Lower, i.Upper),
        SimplexConstraint => StickBreakingTransform.Instance,
        OrderedConstraint => OrderedTransform.Instance,
        CorrCholeskyConstraint => CorrCholeskyTransform.Instance,
        LowerCholeskyConstraint => LowerCholeskyTransform.Instance,
        PositiveDefiniteConstraint => PositiveDefiniteTransform.Instance,
        IntegerInterval => throw new NotSupportedException(
            $"'{constraint.Name}' is discrete: there is no bijection from the real line onto it"),
        _ => throw new NotSupportedException($"no bijection onto '{constraint.Name}' is registered"),
    };
}
