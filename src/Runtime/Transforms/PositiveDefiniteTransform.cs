using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Distributions.Constraints;

namespace Ppl.Runtime.Transforms;

/// <summary>
/// Stan's map from ℝ^{K(K+1)/2} onto symmetric positive-definite K×K matrices (Stan Reference Manual, "Covariance
/// matrices"): L from <see cref="LowerCholeskyTransform"/> (exp on the diagonal), then Σ = L·Lᵀ.
/// The Jacobian is taken from the free coordinates to the lower triangle of Σ (its free entries): the map
/// L ↦ tril(L·Lᵀ) is triangular with diagonal ∂Σᵢᵢ/∂Lᵢᵢ = 2Lᵢᵢ and ∂Σᵢⱼ/∂Lᵢⱼ = Lⱼⱼ (i &gt; j), so with the exp,
/// log|det J| = K·log 2 + Σₖ (K − k + 1)·log Lₖₖ (k = 0..K−1).
/// Inverse: the Cholesky factor (differentiable, <see cref="Ops.Cholesky"/>), then the lower-Cholesky inverse.
/// </summary>
public sealed class PositiveDefiniteTransform : Transform
{
    /// <summary>The shared instance.</summary>
    public static readonly PositiveDefiniteTransform Instance = new();

    /// <inheritdoc/>
    public override Constraint Domain => Constraint.Real;
    /// <inheritdoc/>
    public override Constraint Codomain => Constraint.PositiveDefinite;
    /// <inheritdoc/>
    public override int EventDim => 1;
    /// <inheritdoc/>
    public override int CodomainEventDim => 2;

    /// <inheritdoc/>
    public override int[] ForwardShape(int[] xShape) => LowerCholeskyTransform.MatrixShape(xShape);
    /// <inheritdoc/>
    public override int[] InverseShape(int[] yShape) => LowerCholeskyTransform.VectorShape(yShape);

    /// <inheritdoc/>
    public override Var Forward(Var x)
    {
        var l = LowerCholeskyTransform.Instance.Forward(x);
        return Ops.MatMul(l, Ops.Transpose(l));
    }

    /// <inheritdoc/>
    public override Var Inverse(Var y) => LowerCholeskyTransform.Instance.Inverse(Ops.Cholesky(y));

    /// <inheritdoc/>
    public override Var LogAbsDetJacobian(Var x, Var y)
    {
        var t = LowerCholeskyTransform.Tables(x);
        int k = t.K;
        var powers = Tensors.Tensor.Zeros(k);
        for (int i = 0; i < k; i++) powers.Span[i] = k - i + 1;
        return Ops.Sum(Ops.Gather(x, t.DiagonalPositions, -1) * Var.Const(powers), -1) + (float)(k * Math.Log(2));
    }
}
