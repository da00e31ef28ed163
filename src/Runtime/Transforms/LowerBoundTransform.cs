using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Distributions.Constraints;

namespace Ppl.Runtime.Transforms;

/// <summary>y = lo + eˣ onto (lo, ∞) — Stan's lower-bounded transform. x = log(y − lo); log|dy/dx| = x.</summary>
public sealed class LowerBoundTransform : Transform
{
    /// <summary>The map onto (<paramref name="lower"/>, ∞).</summary>
    public LowerBoundTransform(float lower)
    {
        if (!float.IsFinite(lower)) throw new ArgumentException($"a lower bound must be finite, got {lower}");
        Lower = lower;
        Codomain = Constraint.Between(lower, float.PositiveInfinity);
    }

    /// <summary>The bound.</summary>
    public float Lower { get; }
    /// <inheritdoc/>
    public override Constraint Domain => Constraint.Real;
    /// <inheritdoc/>
    public override Constraint Codomain { get; }
    /// <inheritdoc/>
    public override Var Forward(Var x) => Ops.Exp(x) + Lower;
    /// <inheritdoc/>
    public override Var Inverse(Var y) => Ops.Log(y - Lower);
    /// <inheritdoc/>
    public override Var LogAbsDetJacobian(Var x, Var y) => x;
}
