using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Ppl.Runtime.Tensors;

/// <summary>
/// Products with one output row whose B rows are contiguous (x·B, a vector through a layer) or one output
/// column whose Aᵀ rows are contiguous (Aᵀ·x, a layer's gradient for one example): sweeps of the matrix
/// with the outputs held in registers, skipping the packing that would cost as much as the product.
/// </summary>
/// <remarks>
/// Each output is the same chain the micro-kernels compute — per reduction slice, acc = fma(x[p], M[p, j], acc)
/// from zero in order of p, then C = acc, fma(beta, C, acc) or C + acc — so these shapes give bit-identical
/// results whichever path runs them.
/// </remarks>
internal static unsafe class GemmThin
{
    /// <summary>
    /// y[j·ys] = Σ_p x[p·xs] · m[p·ldm + j] (+ beta·y) for j &lt; n, over p &lt; k in the driver's slices.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(int n, int k, float* x, long xs, float* m, long ldm, float* y, long ys, float beta)
    {
        int slices = GemmDriver.KSliceCount(k);
        float* acc = stackalloc float[64];
        for (int j0 = 0; j0 < n; j0 += 64)
        {
            int width = Math.Min(64, n - j0);
            for (int s = 0; s < slices; s++)
            {
                var (p0, kc) = GemmDriver.KSlice(k, s, slices);
                float b = s == 0 ? beta : 1f;
                Sweep(width, kc, x + p0 * xs, xs, m + p0 * ldm + j0, ldm, acc);
                for (int j = 0; j < width; j++)
                {
                    float* yj = y + (j0 + j) * ys;
                    *yj = b == 0f ? acc[j] : MathF.FusedMultiplyAdd(b, *yj, acc[j]);
                }
            }
        }
    }

    /// <summary>acc[j] = the fma chain of x[p]·m[p, j] over p &lt; kc, for j &lt; width ≤ 64.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void Sweep(int width, int kc, float* x, long xs, float* m, long ldm, float* acc)
    {
        if (width == 64 && Avx512F.IsSupported)
        {
            Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default;
            for (int p = 0; p < kc; p++, x += xs, m += ldm)
            {
                var xp = Vector512.Create(*x);
                a0 = Avx512F.FusedMultiplyAdd(xp, Vector512.Load(m), a0);
                a1 = Avx512F.FusedMultiplyAdd(xp, Vector512.Load(m + 16), a1);
                a2 = Avx512F.FusedMultiplyAdd(xp, Vector512.Load(m + 32), a2);
                a3 = Avx512F.FusedMultiplyAdd(xp, Vector512.Load(m + 48), a3);
            }
            a0.Store(acc); a1.Store(acc + 16); a2.Store(acc + 32); a3.Store(acc + 48);
            return;
        }
        int j = 0;
        if (Fma.IsSupported && Avx.IsSupported)
        {
            for (; j + 32 <= width; j += 32)
            {
                Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default;
                float* xp = x, mp = m + j;
                for (int p = 0; p < kc; p++, xp += xs, mp += ldm)
                {
                    var xv = Vector256.Create(*xp);
                    a0 = Fma.MultiplyAdd(xv, Vector256.Load(mp), a0);
                    a1 = Fma.MultiplyAdd(xv, Vector256.Load(mp + 8), a1);
                    a2 = Fma.MultiplyAdd(xv, Vector256.Load(mp + 16), a2);
                    a3 = Fma.MultiplyAdd(xv, Vector256.Load(mp + 24), a3);
                }
                a0.Store(acc + j); a1.Store(acc + j + 8); a2.Store(acc + j + 16); a3.Store(acc + j + 24);
            }
            for (; j + 8 <= width; j += 8)
            {
                Vector256<float> a = default;
                float* xp = x, mp = m + j;
                for (int p = 0; p < kc; p++, xp += xs, mp += ldm)
                    a = Fma.MultiplyAdd(Vector256.Create(*xp), Vector256.Load(mp), a);
                a.Store(acc + j);
            }
        }
        for (; j < width; j++)
        {
            float a = 0f;
            float* xp = x, mp = m + j;
            for (int p = 0; p < kc; p++, xp += xs, mp += ldm)
                a = MathF.FusedMultiplyAdd(*xp, *mp, a);
            acc[j] = a;
        }
    }
}
