using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Ppl.Runtime.Tensors;

/// <summary>
/// Products with a single output row or column, where packing would cost as much as the product itself:
/// <see cref="Run"/> sweeps a matrix whose rows run along the outputs (x·B, a vector through a layer;
/// Aᵀ·x, a layer's gradient for one example) with the outputs held in registers, and <see cref="RunDots"/>
/// takes dot products with a matrix whose rows run along the reduction (A·x, a design matrix times
/// coefficients), four rows at a time through 4×4 register transposes.
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

    /// <summary>
    /// y[i·ys] = Σ_p m[i·ldm + p] · x[p·xs] (+ beta·y) for i &lt; n, over p &lt; k in the driver's slices.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void RunDots(int n, int k, float* m, long ldm, float* x, long xs, float* y, long ys, float beta)
    {
        int slices = GemmDriver.KSliceCount(k);
        int i = 0;
        if (Sse.IsSupported && Fma.IsSupported)
        {
            // Sixteen rows at a time: four independent accumulators keep the FMA pipes busy, since each
            // lane's chain over p is strictly sequential.
            for (; i + 16 <= n; i += 16)
                for (int s = 0; s < slices; s++)
                {
                    var (p0, kc) = GemmDriver.KSlice(k, s, slices);
                    float* r = m + i * ldm;
                    Vector128<float> a0 = default, a1 = default, a2 = default, a3 = default;
                    int p = p0, end = p0 + kc;
                    for (; p + 4 <= end; p += 4)
                    {
                        float* xp = x + p * xs;
                        var x0 = Vector128.Create(xp[0]); var x1 = Vector128.Create(xp[xs]);
                        var x2 = Vector128.Create(xp[2 * xs]); var x3 = Vector128.Create(xp[3 * xs]);
                        a0 = Step4(r + p, ldm, x0, x1, x2, x3, a0);
                        a1 = Step4(r + 4 * ldm + p, ldm, x0, x1, x2, x3, a1);
                        a2 = Step4(r + 8 * ldm + p, ldm, x0, x1, x2, x3, a2);
                        a3 = Step4(r + 12 * ldm + p, ldm, x0, x1, x2, x3, a3);
                    }
                    for (; p < end; p++)
                    {
                        var xv = Vector128.Create(x[p * xs]);
                        a0 = Fma.MultiplyAdd(Column(r + p, ldm), xv, a0);
                        a1 = Fma.MultiplyAdd(Column(r + 4 * ldm + p, ldm), xv, a1);
                        a2 = Fma.MultiplyAdd(Column(r + 8 * ldm + p, ldm), xv, a2);
                        a3 = Fma.MultiplyAdd(Column(r + 12 * ldm + p, ldm), xv, a3);
                    }
                    float b = s == 0 ? beta : 1f;
                    Store4(a0, y + i * ys, ys, b);
                    Store4(a1, y + (i + 4) * ys, ys, b);
                    Store4(a2, y + (i + 8) * ys, ys, b);
                    Store4(a3, y + (i + 12) * ys, ys, b);
                }
            for (; i + 4 <= n; i += 4)
                for (int s = 0; s < slices; s++)
                {
                    var (p0, kc) = GemmDriver.KSlice(k, s, slices);
                    float* r = m + i * ldm;
                    Vector128<float> acc = default;
                    int p = p0, end = p0 + kc;
                    for (; p + 4 <= end; p += 4)
                    {
                        float* xp = x + p * xs;
                        acc = Step4(r + p, ldm, Vector128.Create(xp[0]), Vector128.Create(xp[xs]),
                            Vector128.Create(xp[2 * xs]), Vector128.Create(xp[3 * xs]), acc);
                    }
                    for (; p < end; p++)
                        acc = Fma.MultiplyAdd(Column(r + p, ldm), Vector128.Create(x[p * xs]), acc);
                    Store4(acc, y + i * ys, ys, s == 0 ? beta : 1f);
                }
        }
        for (; i < n; i++)
        {
            float* r = m + i * ldm, yi = y + i * ys;
            for (int s = 0; s < slices; s++)
            {
                var (p0, kc) = GemmDriver.KSlice(k, s, slices);
                float acc = 0f;
                for (int p = p0; p < p0 + kc; p++) acc = MathF.FusedMultiplyAdd(r[p], x[p * xs], acc);
                float b = s == 0 ? beta : 1f;
                *yi = b == 0f ? acc : MathF.FusedMultiplyAdd(b, *yi, acc);
            }
        }
    }

    /// <summary>
    /// Four k steps for four rows: a 4×4 block (rows r, r + ld, r + 2ld, r + 3ld; columns 0..3) transposed
    /// in registers so lane q accumulates row q's products in order of p.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector128<float> Step4(float* r, long ld, Vector128<float> x0, Vector128<float> x1, Vector128<float> x2, Vector128<float> x3, Vector128<float> acc)
    {
        Vector128<float> r0 = Sse.LoadVector128(r), r1 = Sse.LoadVector128(r + ld);
        Vector128<float> r2 = Sse.LoadVector128(r + 2 * ld), r3 = Sse.LoadVector128(r + 3 * ld);
        Vector128<float> t0 = Sse.UnpackLow(r0, r1), t1 = Sse.UnpackLow(r2, r3);
        Vector128<float> t2 = Sse.UnpackHigh(r0, r1), t3 = Sse.UnpackHigh(r2, r3);
        acc = Fma.MultiplyAdd(Sse.MoveLowToHigh(t0, t1), x0, acc);
        acc = Fma.MultiplyAdd(Sse.MoveHighToLow(t1, t0), x1, acc);
        acc = Fma.MultiplyAdd(Sse.MoveLowToHigh(t2, t3), x2, acc);
        return Fma.MultiplyAdd(Sse.MoveHighToLow(t3, t2), x3, acc);
    }

    /// <summary>The four floats r[0], r[ld], r[2ld], r[3ld].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector128<float> Column(float* r, long ld) => Vector128.Create(r[0], r[ld], r[2 * ld], r[3 * ld]);

    /// <summary>y[q·ys] = acc[q] (beta = 0) or fma(beta, y[q·ys], acc[q]) for the four lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void Store4(Vector128<float> acc, float* y, long ys, float beta)
    {
        for (int q = 0; q < 4; q++)
        {
            float* yq = y + q * ys;
            *yq = beta == 0f ? acc.GetElement(q) : MathF.FusedMultiplyAdd(beta, *yq, acc.GetElement(q));
        }
    }
}
