using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Distributions.Constraints;

namespace Ppl.Runtime.Transforms;

/// <summary>y = eˣ onto the positive reals; log|dy/dx| = x.</summary>
public sealed class ExpTransform : Transform
{
    /// <inheritdoc/>
    public override Constraint Domain => Constraint.Real;
    /// <inheritdoc/>
    public override Constraint Codomain => Constraint.Positive;
    /// <inheritdoc/>
    public override Var Forward(Var x) => Ops.Exp(x);
    /// <inheritdoc/>
    public override Var Inverse(Var y) => Ops.Log(y);
    /// <inheritdoc/>
    public override Var LogAbsDetJacobian(Var x, Var y) => x;
}
