using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Ppl.Runtime.Tensors;

/// <summary>
/// Copies blocks of A and B into the layout the micro-kernels stream through: slivers of w rows of op(A)
/// (w = MR) or w columns of op(B) (w = NR), stored k step by k step, w consecutive floats per step, zero
/// padded past the matrix edge. Packing turns every transpose combination into the same kernel input and
/// makes the kernel's loads sequential and aligned.
/// </summary>
internal static unsafe class GemmPacking
{
    /// <summary>
    /// Packs the mc×kc block of op(A) whose top-left element is at <paramref name="a"/> (already offset to
    /// the block) into slivers of <paramref name="mr"/> rows.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackA(bool transA, float* a, int lda, int mc, int kc, int mr, float* dst)
    {
        for (int ir = 0; ir < mc; ir += mr, dst += mr * kc)
        {
            int rows = Math.Min(mr, mc - ir);
            // op(A)[i, p] is a[i·lda + p] untransposed (rows of A are strided) and a[p·lda + i] transposed.
            if (transA) PackContiguous(a + ir, lda, rows, mr, kc, dst);
            else PackStrided(a + (long)ir * lda, lda, rows, mr, kc, dst);
        }
    }

    /// <summary>
    /// Packs the kc×nc block of op(B) whose top-left element is at <paramref name="b"/> (already offset to
    /// the block) into slivers of <paramref name="nr"/> columns.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackB(bool transB, float* b, int ldb, int kc, int nc, int nr, float* dst)
    {
        if (!transB)
        {
            // op(B)[p, j] = b[p·ldb + j]: walk B row by row so the source streams sequentially and each
            // row is scattered to the slivers' p-th slots.
            PackRows(b, ldb, nc, nr, kc, dst);
            return;
        }
        for (int jr = 0; jr < nc; jr += nr, dst += nr * kc)
        {
            int cols = Math.Min(nr, nc - jr);
            // op(B)[p, j] = b[j·ldb + p]: the sliver is a transpose of cols rows of B.
            PackStrided(b + (long)jr * ldb, ldb, cols, nr, kc, dst);
        }
    }

    /// <summary>
    /// The slivers of w columns of a kc×n row-major block: dst[s·w·kc + p·w + r] = src[p·ld + s·w + r],
    /// zero past column n.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void PackRows(float* src, int ld, int n, int w, int kc, float* dst)
    {
        int full = n / w, rest = n - full * w;
        long sliver = (long)w * kc;
        for (int p = 0; p < kc; p++, src += ld)
        {
            float* d = dst + p * w;
            float* s = src;
            for (int q = 0; q < full; q++, s += w, d += sliver)
                CopyRow(s, d, w, w);
            if (rest > 0) CopyRow(s, d, rest, w);
        }
    }

    /// <summary>dst[0..valid] = src[0..valid], dst[valid..w] = 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void CopyRow(float* src, float* dst, int valid, int w)
    {
        int r = 0;
        if (Vector512.IsHardwareAccelerated)
            for (; r + 16 <= valid; r += 16) Vector512.Load(src + r).Store(dst + r);
        if (Vector256.IsHardwareAccelerated)
            for (; r + 8 <= valid; r += 8) Vector256.Load(src + r).Store(dst + r);
        for (; r + 4 <= valid; r += 4) Vector128.Load(src + r).Store(dst + r);
        for (; r < valid; r++) dst[r] = src[r];
        for (; r < w; r++) dst[r] = 0f;
    }

    /// <summary>dst[p·w + r] = src[p·ld + r] for r &lt; valid, 0 for valid ≤ r &lt; w.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void PackContiguous(float* src, int ld, int valid, int w, int kc, float* dst)
    {
        for (int p = 0; p < kc; p++, src += ld, dst += w) CopyRow(src, dst, valid, w);
    }

    /// <summary>
    /// dst[p·w + r] = src[r·ld + p] for r &lt; valid, 0 for valid ≤ r &lt; w: a transpose, done in 4×4
    /// register blocks so each source row is read 16 bytes at a time.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void PackStrided(float* src, int ld, int valid, int w, int kc, float* dst)
    {
        int r = 0;
        if (Sse.IsSupported)
        {
            int kc4 = kc & ~3;
            for (; r + 4 <= valid; r += 4)
            {
                float* s0 = src + (long)r * ld, s1 = s0 + ld, s2 = s1 + ld, s3 = s2 + ld;
                float* d = dst + r;
                for (int p = 0; p < kc4; p += 4, d += 4 * w)
                {
                    Vector128<float> x0 = Sse.LoadVector128(s0 + p), x1 = Sse.LoadVector128(s1 + p);
                    Vector128<float> x2 = Sse.LoadVector128(s2 + p), x3 = Sse.LoadVector128(s3 + p);
                    Vector128<float> t0 = Sse.UnpackLow(x0, x1), t1 = Sse.UnpackLow(x2, x3);
                    Vector128<float> t2 = Sse.UnpackHigh(x0, x1), t3 = Sse.UnpackHigh(x2, x3);
                    Sse.Store(d, Sse.MoveLowToHigh(t0, t1));
                    Sse.Store(d + w, Sse.MoveHighToLow(t1, t0));
                    Sse.Store(d + 2 * w, Sse.MoveLowToHigh(t2, t3));
                    Sse.Store(d + 3 * w, Sse.MoveHighToLow(t3, t2));
                }
                for (int p = kc4; p < kc; p++)
                {
                    float* dp = dst + p * w + r;
                    dp[0] = s0[p]; dp[1] = s1[p]; dp[2] = s2[p]; dp[3] = s3[p];
                }
            }
        }
        for (; r < valid; r++)
        {
            float* s = src + (long)r * ld;
            for (int p = 0; p < kc; p++) dst[p * w + r] = s[p];
        }
        if (valid < w)
            for (int p = 0; p < kc; p++)
                new Span<float>(dst + p * w + valid, w - valid).Clear();
    }
}
