using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Distributions.Constraints;

namespace Ppl.Runtime.Transforms;

/// <summary>
/// A bijection y = f(x) with its inverse and log |det ∂y/∂x|, differentiable in x (and in the transform's own
/// parameters, for flows). Used to move constrained latents and parameters to the real line and to build
/// transformed distributions: log p_Y(y) = log p_X(f⁻¹(y)) − log |det J_f(f⁻¹(y))|.
/// </summary>
/// <remarks>
/// For a map between spaces of different dimension counts (stick-breaking ℝ^{K−1} → Δ^K, the correlation-Cholesky
/// map ℝ^{K(K−1)/2} → K×K matrices) the Jacobian is that of the map from the free coordinates x to the free
/// coordinates of y (the first K−1 simplex entries, the strictly lower triangle): the density of y is with respect
/// to the Lebesgue measure on those coordinates, as in Stan and Pyro.
/// </remarks>
public abstract class Transform
{
    /// <summary>The set x lives in.</summary>
    public abstract Constraint Domain { get; }

    /// <summary>The set y lives in.</summary>
    public abstract Constraint Codomain { get; }

    /// <summary>Rightmost dimensions of x that form one event (0: elementwise; 1: acts on vectors).</summary>
    public virtual int EventDim => 0;

    /// <summary>Rightmost dimensions of y that form one event (2 for the correlation-Cholesky map's matrices).</summary>
    public virtual int CodomainEventDim => EventDim;

    /// <summary>y = f(x).</summary>
    public abstract Var Forward(Var x);

    /// <summary>x = f⁻¹(y).</summary>
    public abstract Var Inverse(Var y);

    /// <summary>log |det ∂y/∂x| at (x, y = f(x)): elementwise for <see cref="EventDim"/> 0, one value per event otherwise.</summary>
    public abstract Var LogAbsDetJacobian(Var x, Var y);

    /// <summary>
    /// y = f(x) and log |det ∂y/∂x| together. Transforms whose log-determinant reuses forward intermediates (flows)
    /// override this so a reparameterized sample and its density cost one pass.
    /// </summary>
    public virtual (Var Y, Var LogDet) ForwardWithLogDet(Var x)
    {
        var y = Forward(x);
        return (y, LogAbsDetJacobian(x, y));
    }

    /// <summary>Shape of y for an x of the given shape (differs for stick-breaking: K−1 → K).</summary>
    public virtual int[] ForwardShape(int[] xShape) => xShape;

    /// <summary>Shape of x for a y of the given shape.</summary>
    public virtual int[] InverseShape(int[] yShape) => yShape;
}
