using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Distributions.Constraints;

namespace Ppl.Runtime.Transforms;

/// <summary>
/// y = lo + (hi − lo)·σ(x) onto the interval (lo, hi) — Stan's lower-and-upper-bounded transform; for (0, 1) the
/// logistic sigmoid. x = logit((y − lo)/(hi − lo));
/// log|dy/dx| = log(hi − lo) + log σ(x) + log σ(−x), computed from x so it stays finite where σ(x) rounds to 0 or 1.
/// </summary>
public sealed class IntervalTransform : Transform
{
    readonly float logWidth;

    /// <summary>The map onto (<paramref name="lower"/>, <paramref name="upper"/>), both finite.</summary>
    public IntervalTransform(float lower, float upper)
    {
        if (!(float.IsFinite(lower) && float.IsFinite(upper) && upper > lower))
            throw new ArgumentException($"an interval transform needs finite bounds lower < upper, got ({lower}, {upper})");
        Lower = lower;
        Upper = upper;
        logWidth = (float)Math.Log((double)upper - lower);
        Codomain = lower == 0 && upper == 1 ? Constraint.UnitInterval : Constraint.Between(lower, upper);
    }

    /// <summary>Lower bound.</summary>
    public float Lower { get; }
    /// <summary>Upper bound.</summary>
    public float Upper { get; }

    /// <inheritdoc/>
    public override Constraint Domain => Constraint.Real;
    /// <inheritdoc/>
    public override Constraint Codomain { get; }

    /// <inheritdoc/>
    public override Var Forward(Var x) =>
        Lower == 0 && Upper == 1 ? Ops.Sigmoid(x) : Ops.Sigmoid(x) * (Upper - Lower) + Lower;

    /// <inheritdoc/>
    public override Var Inverse(Var y) =>
        Lower == 0 && Upper == 1 ? Ops.Logit(y) : Ops.Logit((y - Lower) / (Upper - Lower));

    /// <inheritdoc/>
    public override Var LogAbsDetJacobian(Var x, Var y) => Ops.LogSigmoid(x) + Ops.LogSigmoid(-x) + logWidth;
}
