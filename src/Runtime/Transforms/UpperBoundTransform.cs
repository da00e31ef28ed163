using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Distributions.Constraints;

namespace Ppl.Runtime.Transforms;

/// <summary>y = hi − eˣ onto (−∞, hi) — Stan's upper-bounded transform. x = log(hi − y); log|dy/dx| = x.</summary>
public sealed class UpperBoundTransform : Transform
{
    /// <summary>The map onto (−∞, <paramref name="upper"/>).</summary>
    public UpperBoundTransform(float upper)
    {
        if (!float.IsFinite(upper)) throw new ArgumentException($"an upper bound must be finite, got {upper}");
        Upper = upper;
        Codomain = Constraint.Between(float.NegativeInfinity, upper);
    }

    /// <summary>The bound.</summary>
    public float Upper { get; }
    /// <inheritdoc/>
    public override Constraint Domain => Constraint.Real;
    /// <inheritdoc/>
    public override Constraint Codomain { get; }
    /// <inheritdoc/>
    public override Var Forward(Var x) => Upper - Ops.Exp(x);
    /// <inheritdoc/>
    public override Var Inverse(Var y) => Ops.Log(Upper - y);
    /// <inheritdoc/>
    public override Var LogAbsDetJacobian(Var x, Var y) => x;
}
