using System.Buffers;
using Ppl.Runtime.Tensors;

namespace Ppl.Runtime.Autodiff;

public static partial class Ops
{
    /// <summary>
    /// The lower Cholesky factor L of a symmetric positive-definite matrix, batched over leading axes:
    /// a [..., K, K] → L [..., K, K] with L·Lᵀ = S, where S = ½(A + Aᵀ) — the input is symmetrised first, so the
    /// function (and its gradient) is defined for every perturbation, not only symmetric ones. A batch entry that
    /// is not positive definite gives NaN in its factor rather than throwing, so the model's NaN check can name the
    /// site it came from. Cholesky–Banachiewicz in double.
    /// Backward (Murray 2016, "Differentiation of the Cholesky decomposition", arXiv:1602.07527, eq. 10):
    /// with P = Φ(Lᵀ L̄) (lower triangle, diagonal halved), Ā = sym(L⁻ᵀ P L⁻¹) = ½(L⁻ᵀ(P + Pᵀ)L⁻¹).
    /// </summary>
    public static Var Cholesky(Var a)
    {
        if (a.Rank < 2 || a.Shape[^1] != a.Shape[^2])
            throw new ShapeException($"Cholesky needs square matrices, got shape {Shapes.Format(a.Shape)}");
        int k = a.Shape[^1], batch = a.Size / Math.Max(k * k, 1);
        var tape = TapeOf(a);
        var y = Alloc(tape, a.Shape, clear: true);
        var work = ArrayPool<double>.Shared.Rent(k * k);
        try
        {
            var A = a.Value.Span; var Y = y.Span;
            for (int i = 0; i < batch; i++)
                CholeskyBlock(A.Slice(i * k * k, k * k), Y.Slice(i * k * k, k * k), work.AsSpan(0, k * k), k);
        }
        finally { ArrayPool<double>.Shared.Return(work); }
        return Result(tape, y, In(a), node =>
        {
            var t = Temp(node, a.Shape);
            var buf = ArrayPool<double>.Shared.Rent(3 * k * k);
            try
            {
                var L = node.Value.Span; var G = node.Grad!.Span; var T = t.Span;
                for (int i = 0; i < batch; i++)
                    CholeskyBackwardBlock(L.Slice(i * k * k, k * k), G.Slice(i * k * k, k * k), T.Slice(i * k * k, k * k), buf.AsSpan(0, 3 * k * k), k);
            }
            finally { ArrayPool<double>.Shared.Return(buf); }
            Acc(node, a, t, owned: true);
        });
    }

    /// <summary>One K×K factor: l = chol(½(a + aᵀ)), upper triangle left zero; NaN throughout if not positive definite.</summary>
    static void CholeskyBlock(ReadOnlySpan<float> a, Span<float> l, Span<double> w, int k)
    {
        for (int r = 0; r < k; r++)
            for (int c = 0; c <= r; c++)
            {
                double s = 0.5 * ((double)a[r * k + c] + a[c * k + r]);
                for (int p = 0; p < c; p++) s -= w[r * k + p] * w[c * k + p];
                if (r == c)
                {
                    if (!(s > 0)) { l.Fill(float.NaN); return; }
                    w[r * k + r] = Math.Sqrt(s);
                }
                else w[r * k + c] = s / w[c * k + c];
            }
        for (int r = 0; r < k; r++)
            for (int c = 0; c <= r; c++) l[r * k + c] = (float)w[r * k + c];
    }

    /// <summary>
    /// Ā = ½(L⁻ᵀ(P + Pᵀ)L⁻¹) with P = Φ(Lᵀ L̄) for one block; <paramref name="buf"/> holds three K×K doubles.
    /// Only the lower triangle of L̄ matters (the upper triangle of L is identically zero).
    /// </summary>
    static void CholeskyBackwardBlock(ReadOnlySpan<float> l, ReadOnlySpan<float> g, Span<float> dst, Span<double> buf, int k)
    {
        var p = buf[..(k * k)];
        var z = buf.Slice(k * k, k * k);
        var ld = buf.Slice(2 * k * k, k * k);
        for (int i = 0; i < k * k; i++) ld[i] = l[i];
        // P = Φ(Lᵀ L̄): P_rc = Σ_{m ≥ max(r,c)} L_mr L̄_mc for c ≤ r, halved on the diagonal, zero above.
        for (int r = 0; r < k; r++)
            for (int c = 0; c < k; c++)
            {
                if (c > r) { p[r * k + c] = 0; continue; }
                double s = 0;
                for (int m = r; m < k; m++) s += ld[m * k + r] * g[m * k + c];
                p[r * k + c] = r == c ? 0.5 * s : s;
            }
        // Symmetrise: S = P + Pᵀ, then Z = L⁻ᵀ S (solve Lᵀ Z = S column by column, back substitution).
        for (int r = 0; r < k; r++)
            for (int c = 0; c < r; c++) { double v = p[r * k + c]; p[c * k + r] = v; }
        for (int r = 0; r < k; r++) p[r * k + r] *= 2;
        for (int col = 0; col < k; col++)
            for (int r = k - 1; r >= 0; r--)
            {
                double s = p[r * k + col];
                for (int m = r + 1; m < k; m++) s -= ld[m * k + r] * z[m * k + col];
                z[r * k + col] = s / ld[r * k + r];
            }
        // Ā = ½ Z L⁻¹: row j of Ā solves Lᵀ xᵀ = (row j of Z)ᵀ, i.e. Ā_j· = L⁻ᵀ Z_j·.
        for (int row = 0; row < k; row++)
            for (int r = k - 1; r >= 0; r--)
            {
                double s = z[row * k + r];
                for (int m = r + 1; m < k; m++) s -= ld[m * k + r] * p[row * k + m];
                p[row * k + r] = s / ld[r * k + r];
            }
        for (int i = 0; i < k * k; i++) dst[i] = (float)(0.5 * p[i]);
    }
}
