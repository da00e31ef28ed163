using Ppl.Runtime.Tensors;

namespace Ppl.Runtime.Autodiff;

public static partial class Ops
{
    /// <summary>
    /// The lower Cholesky factor L of a symmetric positive-definite A = L·Lᵀ, batched over leading axes
    /// ([..., K, K]); only A's lower triangle is read. Computed in double.
    /// Backward (Murray 2016, "Differentiation of the Cholesky decomposition", eq. 10): from dA = dL·Lᵀ + L·dLᵀ,
    /// L⁻¹dL = Φ(L⁻¹·dA·L⁻ᵀ) with Φ taking the lower triangle and halving the diagonal, so
    /// Ā = L⁻ᵀ·Φ(Lᵀ·L̄)·L⁻¹. A is symmetric, so the adjoint returned is the symmetric part ½(Ā + Āᵀ): the
    /// gradient for any symmetric perturbation of A (as in PyTorch).
    /// </summary>
    /// <exception cref="ArgumentException">A matrix is not (numerically) positive definite.</exception>
    public static Var Cholesky(Var a)
    {
        if (a.Rank < 2 || a.Shape[^1] != a.Shape[^2])
            throw new ShapeException($"Cholesky needs square matrices, got shape {Shapes.Format(a.Shape)}");
        int k = a.Shape[^1], kk = k * k, batch = a.Size / Math.Max(kk, 1);
        var tape = TapeOf(a);
        var v = Alloc(tape, a.Shape, clear: true);
        var work = new double[kk];
        var src = a.Value.Span; var dst = v.Span;
        for (int b = 0; b < batch; b++)
        {
            CholeskyInto(src.Slice(b * kk, kk), work, k);
            var d = dst.Slice(b * kk, kk);
            for (int i = 0; i < kk; i++) d[i] = (float)work[i];
        }
        return Result(tape, v, a.RequiresGrad, y =>
        {
            var t = Temp(y, a.Shape);
            var l = new double[kk]; var linv = new double[kk]; var p = new double[kk]; var s = new double[kk];
            var g = y.Grad!.Span; var ls = y.Value.Span; var ts = t.Span;
            for (int b = 0; b < batch; b++)
            {
                var lb = ls.Slice(b * kk, kk); var gb = g.Slice(b * kk, kk);
                for (int i = 0; i < kk; i++) l[i] = lb[i];
                InvertLower(l, linv, k);
                // P = Φ(Lᵀ·L̄): only the lower triangle of L̄ matters (L is lower, so the upper part of L̄ is unused).
                for (int i = 0; i < k; i++)
                    for (int j = 0; j <= i; j++)
                    {
                        double acc = 0;
                        for (int m = i; m < k; m++) acc += l[m * k + i] * (m >= j ? gb[m * k + j] : 0);
                        p[i * k + j] = i == j ? 0.5 * acc : acc;
                    }
                for (int i = 0; i < k; i++) for (int j = i + 1; j < k; j++) p[i * k + j] = 0;
                // S = L⁻ᵀ·P·L⁻¹, then the symmetric part.
                for (int i = 0; i < k; i++)
                    for (int j = 0; j < k; j++)
                    {
                        double acc = 0; // (P·L⁻¹)_ij = Σ_m P_im · Linv_mj, P lower (m ≤ i), Linv lower (m ≥ j)
                        for (int m = j; m <= i; m++) acc += p[i * k + m] * linv[m * k + j];
                        s[i * k + j] = acc;
                    }
                var tb = ts.Slice(b * kk, kk);
                for (int i = 0; i < k; i++)
                    for (int j = 0; j < k; j++)
                    {
                        double acc = 0; // (L⁻ᵀ·S)_ij = Σ_m Linv_mi · S_mj, Linv lower (m ≥ i)
                        for (int m = i; m < k; m++) acc += linv[m * k + i] * s[m * k + j];
                        tb[i * k + j] = (float)acc;
                    }
                for (int i = 0; i < k; i++)
                    for (int j = 0; j < i; j++)
                    {
                        float sym = 0.5f * (tb[i * k + j] + tb[j * k + i]);
                        tb[i * k + j] = sym; tb[j * k + i] = sym;
                    }
            }
            Acc(y, a, t, owned: true);
        });
    }

    /// <summary>Cholesky–Banachiewicz on one K×K matrix (row-major), lower triangle of the source only.</summary>
    static void CholeskyInto(ReadOnlySpan<float> a, double[] l, int k)
    {
        Array.Clear(l);
        for (int i = 0; i < k; i++)
            for (int j = 0; j <= i; j++)
            {
                double s = a[i * k + j];
                for (int m = 0; m < j; m++) s -= l[i * k + m] * l[j * k + m];
                if (i == j)
                {
                    if (!(s > 0)) throw new ArgumentException($"Cholesky: the matrix is not positive definite (pivot {i} is {s:G6})");
                    l[i * k + i] = Math.Sqrt(s);
                }
                else l[i * k + j] = s / l[j * k + j];
            }
    }

    /// <summary>The inverse of a lower-triangular matrix by forward substitution, column by column.</summary>
    static void InvertLower(double[] l, double[] inv, int k)
    {
        Array.Clear(inv);
        for (int c = 0; c < k; c++)
        {
            inv[c * k + c] = 1 / l[c * k + c];
            for (int i = c + 1; i < k; i++)
            {
                double s = 0;
                for (int m = c; m < i; m++) s += l[i * k + m] * inv[m * k + c];
                inv[i * k + c] = -s / l[i * k + i];
            }
        }
    }
}
