using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Distributions.Constraints;
using Ppl.Runtime.Tensors;

namespace Ppl.Runtime.Transforms;

/// <summary>y = x; log|det J| = 0.</summary>
public sealed class IdentityTransform : Transform
{
    /// <summary>The shared instance.</summary>
    public static readonly IdentityTransform Instance = new();
    /// <inheritdoc/>
    public override Constraint Domain => Constraint.Real;
    /// <inheritdoc/>
    public override Constraint Codomain => Constraint.Real;
    /// <inheritdoc/>
    public override Var Forward(Var x) => x;
    /// <inheritdoc/>
    public override Var Inverse(Var y) => y;
    /// <inheritdoc/>
    public override Var LogAbsDetJacobian(Var x, Var y) =>
        x.Tape is { } tape ? tape.Const(tape.Alloc(x.Shape, clear: true)) : Var.Const(Tensor.Zeros(x.Shape)); // not 0·x: ∞·0 is NaN
}
