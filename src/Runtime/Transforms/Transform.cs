using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Distributions.Constraints;

namespace Ppl.Runtime.Transforms;

/// <summary>
/// A bijection y = f(x) with its inverse and log |det ∂y/∂x|, differentiable in x (and in the transform's own
/// parameters, for flows). Used to move constrained latents and parameters to the real line and to build
/// transformed distributions: log p_Y(y) = log p_X(f⁻¹(y)) − log |det J_f(f⁻¹(y))|.
/// </summary>
public abstract class Transform
{
    /// <summary>The set x lives in.</summary>
    public abstract Constraint Domain { get; }

    /// <summary>The set y lives in.</summary>
    public abstract Constraint Codomain { get; }

    /// <summary>Rightmost dimensions that form one event (0: elementwise; 1: acts on vectors).</summary>
    public virtual int EventDim => 0;

    /// <summary>y = f(x).</summary>
    public abstract Var Forward(Var x);

    /// <summary>x = f⁻¹(y).</summary>
    public abstract Var Inverse(Var y);

    /// <summary>log |det ∂y/∂x| at (x, y = f(x)): elementwise for <see cref="EventDim"/> 0, one value per event otherwise.</summary>
    public abstract Var LogAbsDetJacobian(Var x, Var y);

    /// <summary>Shape of y for an x of the given shape (differs for stick-breaking: K−1 → K).</summary>
    public virtual int[] ForwardShape(int[] xShape) => xShape;

    /// <summary>Shape of x for a y of the given shape.</summary>
    public virtual int[] InverseShape(int[] yShape) => yShape;
}
