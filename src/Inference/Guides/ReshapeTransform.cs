using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Distributions.Constraints;
using Ppl.Runtime.Tensors;
using Ppl.Runtime.Transforms;

namespace Ppl.Inference.Guides;

/// <summary>
/// Reshapes the rightmost event axes (a joint guide's block of its latent vector, shape [n], into the site's
/// unconstrained shape). Volume-preserving: log |det J| = 0 per batch element.
/// </summary>
public sealed class ReshapeTransform(int[] from, int[] to) : Transform
{
    /// <inheritdoc/>
    public override Constraint Domain => Constraint.Real;
    /// <inheritdoc/>
    public override Constraint Codomain => Constraint.Real;
    /// <inheritdoc/>
    public override int EventDim => from.Length;
    /// <inheritdoc/>
    public override int CodomainEventDim => to.Length;
    /// <inheritdoc/>
    public override Var Forward(Var x) => Ops.Reshape(x, ForwardShape(x.Shape));
    /// <inheritdoc/>
    public override Var Inverse(Var y) => Ops.Reshape(y, InverseShape(y.Shape));
    /// <inheritdoc/>
    public override Var LogAbsDetJacobian(Var x, Var y) => Var.Const(Tensor.Zeros(x.Shape[..^from.Length]));
    /// <inheritdoc/>
    public override int[] ForwardShape(int[] xShape) => [.. xShape[..^from.Length], .. to];
    /// <inheritdoc/>
    public override int[] InverseShape(int[] yShape) => [.. yShape[..^to.Length], .. from];
}
