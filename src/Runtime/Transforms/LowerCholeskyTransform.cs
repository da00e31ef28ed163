using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Distributions.Constraints;
using Ppl.Runtime.Tensors;

namespace Ppl.Runtime.Transforms;

/// <summary>
/// Stan's map from ℝ^{K(K+1)/2} onto lower-triangular K×K matrices with a positive diagonal (Stan Reference
/// Manual, "Cholesky factors of covariance matrices"): the free coordinates fill the lower triangle row by row,
/// the diagonal through exp. log|det J| = Σᵢ x_(i,i), the free coordinates of the diagonal.
/// Inverse: the lower triangle, with log on the diagonal.
/// </summary>
public sealed class LowerCholeskyTransform : Transform
{
    /// <summary>The shared instance.</summary>
    public static readonly LowerCholeskyTransform Instance = new();

    /// <inheritdoc/>
    public override Constraint Domain => Constraint.Real;
    /// <inheritdoc/>
    public override Constraint Codomain => Constraint.LowerCholesky;
    /// <inheritdoc/>
    public override int EventDim => 1;
    /// <inheritdoc/>
    public override int CodomainEventDim => 2;

    /// <inheritdoc/>
    public override int[] ForwardShape(int[] xShape) => MatrixShape(xShape);
    /// <inheritdoc/>
    public override int[] InverseShape(int[] yShape) => VectorShape(yShape);

    /// <inheritdoc/>
    public override Var Forward(Var x)
    {
        var t = Tables(x);
        var logDiag = Ops.Gather(x, t.DiagonalPositions, -1);
        var offDiag = Ops.Gather(x, t.VectorToMatrix, -1) * Var.Const(t.StrictLowerMask);
        var diag = Ops.Gather(Ops.Exp(logDiag), t.RowIndex, -1) * Var.Const(t.Identity);
        return offDiag + diag;
    }

    /// <inheritdoc/>
    public override Var Inverse(Var y)
    {
        int k = y.Shape[^1];
        var t = TriangleIndex.For(k, withDiagonal: true);
        var flat = Ops.Reshape(y, [.. y.Shape.AsSpan(0, y.Rank - 2), k * k]);
        var offDiag = Ops.Gather(flat, t.MatrixToVector, -1) * Var.Const(OffDiagonalMask(t));
        var logDiag = Ops.Log(Ops.Gather(flat, t.DiagonalFlat, -1));
        return offDiag + Ops.Gather(logDiag, t.RowOfEntry, -1) * Var.Const(t.DiagonalMask);
    }

    /// <inheritdoc/>
    public override Var LogAbsDetJacobian(Var x, Var y) => Ops.Sum(Ops.Gather(x, Tables(x).DiagonalPositions, -1), -1);

    internal static TriangleIndex Tables(Var x)
    {
        if (x.Rank == 0) throw new ShapeException("the lower-Cholesky transform acts on vectors, got a scalar");
        return TriangleIndex.For(TriangleIndex.Order(x.Shape[^1], withDiagonal: true), withDiagonal: true);
    }

    internal static int[] MatrixShape(int[] xShape)
    {
        if (xShape.Length == 0) throw new ShapeException("expected vectors of lower-triangle entries, got a scalar");
        int k = TriangleIndex.Order(xShape[^1], withDiagonal: true);
        return [.. xShape.AsSpan(0, xShape.Length - 1), k, k];
    }

    internal static int[] VectorShape(int[] yShape)
    {
        if (yShape.Length < 2 || yShape[^1] != yShape[^2]) throw new ShapeException($"expected square matrices, got shape {Shapes.Format(yShape)}");
        int k = yShape[^1];
        return [.. yShape.AsSpan(0, yShape.Length - 2), k * (k + 1) / 2];
    }

    static Tensor OffDiagonalMask(TriangleIndex t)
    {
        var m = t.DiagonalMask.Clone();
        Tensors.Kernels.Affine(m.Span, -1f, 1f, m.Span);
        return m;
    }
}
