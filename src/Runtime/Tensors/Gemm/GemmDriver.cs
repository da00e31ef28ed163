using System.Runtime.CompilerServices;

namespace Ppl.Runtime.Tensors;

/// <summary>
/// The blocked loop nest around a micro-kernel (Goto's algorithm, as structured in BLIS): for each
/// NC-wide column block of C and each KC-deep slice of the reduction, pack that kc×nc block of op(B)
/// (it stays in L2); for each MC-tall row block, pack the mc×kc block of op(A); then sweep MR×NR register
/// tiles, each A sliver (kc·MR floats) staying in L1 while the B slivers stream past it.
/// </summary>
/// <remarks>
/// Goto &amp; van de Geijn, "Anatomy of high-performance matrix multiplication", ACM TOMS 34(3), 2008;
/// Van Zee &amp; van de Geijn, "BLIS: a framework for rapidly instantiating BLAS functionality", ACM TOMS 41(3), 2015.
/// The reduction is cut into KC slices by <see cref="KSlice"/>, a function of k alone, so how C's
/// elements round never depends on which thread computes them or how C is partitioned.
/// </remarks>
internal static unsafe class GemmDriver
{
    /// <summary>Deepest reduction slice: a 12×256 A sliver is 12 KiB, comfortably inside a 48 KiB L1.</summary>
    public const int KcMax = 256;

    /// <summary>Tallest packed A block (a multiple of every kernel's MR): 192×256 floats = 192 KiB of L2.</summary>
    public const int McMax = 192;

    /// <summary>Widest packed B block (a multiple of every kernel's NR): 256×1024 floats = 1 MiB of L2.</summary>
    public const int NcMax = 1024;

    /// <summary>
    /// The start and depth of reduction slice <paramref name="slice"/> of <paramref name="count"/>: k split
    /// into equal slices of at most <see cref="KcMax"/> (784 → 4 × 196 rather than 3 × 256 + 16).
    /// </summary>
    public static (int Start, int Depth) KSlice(int k, int slice, int count)
    {
        int start = (int)((long)k * slice / count);
        return (start, (int)((long)k * (slice + 1) / count) - start);
    }

    /// <summary>The number of reduction slices for depth k.</summary>
    public static int KSliceCount(int k) => (k + KcMax - 1) / KcMax;

    /// <summary>
    /// C[i0..i1, j0..j1] = op(A)[i0..i1, :] · op(B)[:, j0..j1] + beta·C on the calling thread; pointers are
    /// to element (0, 0) of the stored matrices, k ≥ 1.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run<TKernel>(in GemmOperands g, int i0, int i1, int j0, int j1) where TKernel : struct, IGemmKernel
    {
        if (i1 - i0 == 1 && !g.TransB)
        {
            // One row of C: x = row i0 of op(A) against the contiguous rows of B.
            float* x = g.TransA ? g.A + i0 : g.A + (long)i0 * g.Lda;
            GemmThin.Run(j1 - j0, g.K, x, g.TransA ? g.Lda : 1, g.B + j0, g.Ldb, g.C + (long)i0 * g.Ldc + j0, 1, g.Beta);
            return;
        }
        if (j1 - j0 == 1 && g.TransA)
        {
            // One column of C: x = column j0 of op(B) against the contiguous rows of the stored A (= Aᵀ's columns).
            float* x = g.TransB ? g.B + (long)j0 * g.Ldb : g.B + j0;
            GemmThin.Run(i1 - i0, g.K, x, g.TransB ? 1 : g.Ldb, g.A + i0, g.Lda, g.C + (long)i0 * g.Ldc + j0, g.Ldc, g.Beta);
            return;
        }

        if (j1 - j0 == 1)
        {
            // One column of C, op(A) stored by rows: dot products of A's rows with column j0 of op(B).
            float* x = g.TransB ? g.B + (long)j0 * g.Ldb : g.B + j0;
            GemmThin.RunDots(i1 - i0, g.K, g.A + (long)i0 * g.Lda, g.Lda, x, g.TransB ? 1 : g.Ldb, g.C + (long)i0 * g.Ldc + j0, g.Ldc, g.Beta);
            return;
        }
        if (i1 - i0 == 1)
        {
            // One row of C, op(B) = Bᵀ stored by rows: dot products of B's rows with row i0 of op(A).
            float* x = g.TransA ? g.A + i0 : g.A + (long)i0 * g.Lda;
            GemmThin.RunDots(j1 - j0, g.K, g.B + (long)j0 * g.Ldb, g.Ldb, x, g.TransA ? g.Lda : 1, g.C + (long)i0 * g.Ldc + j0, 1, g.Beta);
            return;
        }

        int mr = TKernel.MR, nr = TKernel.NR;
        int slices = KSliceCount(g.K);
        int kcMax = (g.K + slices - 1) / slices;
        int mcMax = Math.Min(McMax, RoundUp(i1 - i0, mr)), ncMax = Math.Min(NcMax, RoundUp(j1 - j0, nr));
        var ws = GemmWorkspace.Current;
        float* ap = ws.PackedA(mcMax * kcMax), bp = ws.PackedB(ncMax * kcMax);

        for (int jc = j0; jc < j1; jc += NcMax)
        {
            int nc = Math.Min(NcMax, j1 - jc);
            for (int s = 0; s < slices; s++)
            {
                var (p0, kc) = KSlice(g.K, s, slices);
                // Later slices add to what the earlier ones stored: C = fma(1, C, acc) = C + acc.
                float beta = s == 0 ? g.Beta : 1f;
                float* bBlock = g.TransB ? g.B + (long)jc * g.Ldb + p0 : g.B + (long)p0 * g.Ldb + jc;
                GemmPacking.PackB(g.TransB, bBlock, g.Ldb, kc, nc, nr, bp);
                for (int ic = i0; ic < i1; ic += McMax)
                {
                    int mc = Math.Min(McMax, i1 - ic);
                    float* aBlock = g.TransA ? g.A + (long)p0 * g.Lda + ic : g.A + (long)ic * g.Lda + p0;
                    GemmPacking.PackA(g.TransA, aBlock, g.Lda, mc, kc, mr, ap);
                    for (int ir = 0; ir < mc; ir += mr)
                    {
                        float* aSliver = ap + ir * kc;
                        float* cRow = g.C + (long)(ic + ir) * g.Ldc + jc;
                        int rows = Math.Min(mr, mc - ir);
                        for (int jr = 0; jr < nc; jr += nr)
                            TKernel.Run(kc, aSliver, bp + jr * kc, cRow + jr, g.Ldc, beta, rows, Math.Min(nr, nc - jr));
                    }
                }
            }
        }
    }

    static int RoundUp(int x, int multiple) => (x + multiple - 1) / multiple * multiple;
}
