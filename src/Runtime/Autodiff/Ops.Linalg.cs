using Ppl.Runtime.Tensors;

namespace Ppl.Runtime.Autodiff;

public static partial class Ops
{
    /// <summary>
    /// Matrix product with NumPy's matmul rules for the common cases: [M,K]@[K,N] → [M,N]; a vector on either side
    /// ([K]@[K,N] → [N], [M,K]@[K] → [M], [K]@[K] → scalar); leading batch axes on the left with a shared matrix on
    /// the right ([..., M, K]@[K, N], one GEMM over the flattened rows); and equal batch axes on both sides.
    /// Backward: ∂A = G·Bᵀ, ∂B = Aᵀ·G, each one GEMM with the transposed variant, accumulated in place.
    /// </summary>
    public static Var MatMul(Var a, Var b)
    {
        if (a.Rank == 1 && b.Rank == 1) return Dot(a, b);
        if (a.Rank == 1) return Reshape(MatMul(Reshape(a, 1, a.Size), b), b.Shape[^1]);
        if (b.Rank == 1) return Reshape(MatMul(a, Reshape(b, b.Size, 1)), a.Shape[..^1]);
        if (b.Rank == 2) return MatMulShared(a, b);
        return MatMulBatched(a, b);
    }

    /// <summary>[..., M, K] @ [K, N]: the batch rows are contiguous, so this is one [B·M, K]@[K, N] GEMM.</summary>
    static Var MatMulShared(Var a, Var b)
    {
        int k = a.Shape[^1], n = b.Shape[1];
        if (b.Shape[0] != k)
            throw new ShapeException($"matrix product of {Shapes.Format(a.Shape)} and {Shapes.Format(b.Shape)}: inner dimensions {k} and {b.Shape[0]} differ");
        int m = a.Size / Math.Max(k, 1);
        var outShape = (int[])a.Shape.Clone();
        outShape[^1] = n;
        var tape = TapeOf(a, b);
        var v = Alloc(tape, outShape);
        Gemm.Multiply(false, false, m, n, k, a.Value.Span, k, b.Value.Span, n, v.Span, n);
        return Result(tape, v, In(a, b), static y =>
        {
            var (a, b) = (y.In0!, y.In1!);
            int k = a.Shape[^1], n = b.Shape[1], m = a.Size / Math.Max(k, 1);
            if (a.RequiresGrad) AccGemm(y, a, (dst, beta) => Gemm.Multiply(false, true, m, k, n, y.Grad!.Span, n, b.Value.Span, n, dst, k, beta));
            if (b.RequiresGrad) AccGemm(y, b, (dst, beta) => Gemm.Multiply(true, false, k, n, m, a.Value.Span, k, y.Grad!.Span, n, dst, n, beta));
        }, a, b);
    }

    /// <summary>[B, M, K] @ [B, K, N] (equal leading axes): one strided batched GEMM.</summary>
    static Var MatMulBatched(Var a, Var b)
    {
        if (a.Rank != b.Rank || !Shapes.Equal(a.Shape.AsSpan(0, a.Rank - 2), b.Shape.AsSpan(0, b.Rank - 2)) || a.Shape[^1] != b.Shape[^2])
            throw new ShapeException($"matrix product of {Shapes.Format(a.Shape)} and {Shapes.Format(b.Shape)}: shapes do not match");
        int m = a.Shape[^2], k = a.Shape[^1], n = b.Shape[^1];
        int batch = a.Size / Math.Max(m * k, 1);
        var outShape = (int[])a.Shape.Clone();
        outShape[^1] = n;
        var tape = TapeOf(a, b);
        var v = Alloc(tape, outShape);
        Gemm.MultiplyBatched(false, false, batch, m, n, k, a.Value.Span, k, m * k, b.Value.Span, n, k * n, v.Span, n, m * n);
        return Result(tape, v, In(a, b), static y =>
        {
            var (a, b) = (y.In0!, y.In1!);
            int m = a.Shape[^2], k = a.Shape[^1], n = b.Shape[^1], batch = a.Size / Math.Max(m * k, 1);
            if (a.RequiresGrad) AccGemm(y, a, (dst, beta) =>
                Gemm.MultiplyBatched(false, true, batch, m, k, n, y.Grad!.Span, n, m * n, b.Value.Span, n, k * n, dst, k, m * k, beta));
            if (b.RequiresGrad) AccGemm(y, b, (dst, beta) =>
                Gemm.MultiplyBatched(true, false, batch, k, n, m, a.Value.Span, k, m * k, y.Grad!.Span, n, m * n, dst, n, k * n, beta));
        }, a, b);
    }

    delegate void GemmInto(Span<float> dst, float beta);

    /// <summary>Runs a GEMM straight into x's adjoint (beta = 1; beta = 0 over a stale parameter gradient) or into a fresh one (beta = 0).</summary>
    static void AccGemm(Var y, Var x, GemmInto gemm)
    {
        if (x.Grad is null)
        {
            var t = Temp(y, x.Shape);
            gemm(t.Span, 0f);
            Acc(y, x, t, owned: true);
        }
        else
        {
            bool stale = x.GradStale;
            x.GradStale = false;
            gemm(x.Grad.Span, stale ? 0f : 1f);
        }
    }

    /// <summary>Swaps the last two axes (the matrix transpose, batched over leading axes).</summary>
    public static Var Transpose(Var x)
    {
        if (x.Rank < 2) return x;
        int r = x.Shape[^2], c = x.Shape[^1], batch = x.Size / Math.Max(r * c, 1);
        var outShape = (int[])x.Shape.Clone();
        outShape[^2] = c; outShape[^1] = r;
        var tape = TapeOf(x);
        var v = Alloc(tape, outShape);
        TransposeInto(x.Value.Span, v.Span, batch, r, c);
        return Result(tape, v, In(x), static y =>
        {
            var x = y.In0!;
            int r = x.Shape[^2], c = x.Shape[^1], batch = x.Size / Math.Max(r * c, 1);
            var t = Temp(y, x.Shape);
            TransposeInto(y.Grad!.Span, t.Span, batch, c, r);
            Acc(y, x, t, owned: true);
        }, x);
    }

    static void TransposeInto(ReadOnlySpan<float> src, Span<float> dst, int batch, int rows, int cols)
    {
        const int Block = 32; // cache-sized tiles keep both sides' lines resident
        for (int b = 0; b < batch; b++)
        {
            var s = src.Slice(b * rows * cols, rows * cols);
            var d = dst.Slice(b * rows * cols, rows * cols);
            for (int i0 = 0; i0 < rows; i0 += Block)
                for (int j0 = 0; j0 < cols; j0 += Block)
                    for (int i = i0; i < Math.Min(i0 + Block, rows); i++)
                        for (int j = j0; j < Math.Min(j0 + Block, cols); j++)
                            d[j * rows + i] = s[i * cols + j];
        }
    }
}
