using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Distributions.Constraints;
using Ppl.Runtime.Tensors;

namespace Ppl.Runtime.Transforms;

/// <summary>
/// Stan's map from ℝ^{K(K−1)/2} onto Cholesky factors of K×K correlation matrices (Stan Reference Manual,
/// "Cholesky factors of correlation matrices"; the canonical partial correlations of Lewandowski, Kurowicka and
/// Joe 2009). The free coordinates fill the strictly lower triangle row by row; zᵢⱼ = tanh(xᵢⱼ) ∈ (−1, 1), and
/// Lᵢⱼ = zᵢⱼ·√(1 − Σ_{k&lt;j} Lᵢₖ²) = zᵢⱼ·Π_{k&lt;j} √(1 − zᵢₖ²), Lᵢᵢ = Π_{k&lt;i} √(1 − zᵢₖ²), so every row has unit
/// norm. The map x ↦ (strictly lower entries of L) is triangular, giving
/// log|det J| = Σ_{i&gt;j} [log(1 − zᵢⱼ²) + ½ Σ_{k&lt;j} log(1 − zᵢₖ²)],
/// with log(1 − tanh² x) = 2(log 2 − x − softplus(−2x)) formed from x so it never rounds to log 0.
/// Inverse: zᵢⱼ = Lᵢⱼ / √(1 − Σ_{k&lt;j} Lᵢₖ²), x = atanh z.
/// </summary>
public sealed class CorrCholeskyTransform : Transform
{
    /// <summary>The shared instance.</summary>
    public static readonly CorrCholeskyTransform Instance = new();

    /// <inheritdoc/>
    public override Constraint Domain => Constraint.Real;
    /// <inheritdoc/>
    public override Constraint Codomain => Constraint.CorrCholesky;
    /// <inheritdoc/>
    public override int EventDim => 1;
    /// <inheritdoc/>
    public override int CodomainEventDim => 2;

    /// <inheritdoc/>
    public override int[] ForwardShape(int[] xShape)
    {
        if (xShape.Length == 0) throw new ShapeException("the correlation-Cholesky transform acts on vectors, got a scalar");
        int k = TriangleIndex.Order(xShape[^1], withDiagonal: false);
        return [.. xShape.AsSpan(0, xShape.Length - 1), k, k];
    }

    /// <inheritdoc/>
    public override int[] InverseShape(int[] yShape)
    {
        if (yShape.Length < 2 || yShape[^1] != yShape[^2]) throw new ShapeException($"expected square matrices, got shape {Shapes.Format(yShape)}");
        int k = yShape[^1];
        return [.. yShape.AsSpan(0, yShape.Length - 2), k * (k - 1) / 2];
    }

    /// <inheritdoc/>
    public override Var Forward(Var x) => ForwardWithLogDet(x).Y;

    /// <inheritdoc/>
    public override Var LogAbsDetJacobian(Var x, Var y) => ForwardWithLogDet(x).LogDet;

    /// <inheritdoc/>
    public override (Var Y, Var LogDet) ForwardWithLogDet(Var x)
    {
        var t = TriangleIndex.For(TriangleIndex.Order(x.Shape[^1], withDiagonal: false), withDiagonal: false);
        var mask = Var.Const(t.StrictLowerMask);
        var halfLog1mZ2 = Ops.Sub(Ops.Neg(x), Ops.Softplus(Ops.Mul(x, -2f))) + Ln2; // ½ log(1 − tanh² x)
        var z = Ops.Gather(Ops.Tanh(x), t.VectorToMatrix, -1) * mask;
        var s = Ops.Gather(halfLog1mZ2, t.VectorToMatrix, -1) * mask;
        var logRem = Ops.CumSum(s, -1, exclusive: true); // ½ Σ_{k<j} log(1 − z_ik²)
        var l = (z + Var.Const(t.Identity)) * Ops.Exp(logRem);
        var logDet = Ops.Sum(halfLog1mZ2, -1) * 2f + Ops.Sum(Ops.Sum(logRem * mask, -1), -1);
        return (l, logDet);
    }

    /// <inheritdoc/>
    public override Var Inverse(Var y)
    {
        int k = y.Shape[^1];
        var t = TriangleIndex.For(k, withDiagonal: false);
        var rem = 1f - Ops.CumSum(Ops.Square(y), -1, exclusive: true);
        var zFull = y / Ops.Sqrt(rem);
        var z = Ops.Gather(Ops.Reshape(zFull, [.. y.Shape.AsSpan(0, y.Rank - 2), k * k]), t.MatrixToVector, -1);
        return (Ops.Log1p(z) - Ops.Log1p(-z)) * 0.5f;
    }

    const float Ln2 = 0.693147180559945309f;
}
