using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Distributions.Constraints;

namespace Ppl.Runtime.Transforms;

/// <summary>
/// y = softplus(x) = log(1 + eˣ) onto the positive reals: near-linear for large x, so gradients stay O(1) where
/// exp would make them explode (the usual choice for scales produced by a network).
/// x = log(eʸ − 1) = y + log(−expm1(−y)); log|dy/dx| = log σ(x).
/// </summary>
public sealed class SoftplusTransform : Transform
{
    /// <inheritdoc/>
    public override Constraint Domain => Constraint.Real;
    /// <inheritdoc/>
    public override Constraint Codomain => Constraint.Positive;
    /// <inheritdoc/>
    public override Var Forward(Var x) => Ops.Softplus(x);
    /// <inheritdoc/>
    public override Var Inverse(Var y) => y + Ops.Log(-Ops.Expm1(-y));
    /// <inheritdoc/>
    public override Var LogAbsDetJacobian(Var x, Var y) => Ops.LogSigmoid(x);
}
