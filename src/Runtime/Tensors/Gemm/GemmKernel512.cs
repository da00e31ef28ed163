using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Ppl.Runtime.Tensors;

/// <summary>
/// AVX-512 micro-kernel with a 12×32 register tile: 24 zmm accumulators, two B vectors per k step and one
/// broadcast of A per row, leaving 5 of the 32 zmm registers free. Per k step it issues 24 FMAs against
/// 2 vector loads and 12 broadcasts, so the two FMA ports, not the load ports, bound it (the shape
/// BLIS uses on Skylake-X, transposed for row-major C). Edge tiles run 8- or 4-row and 16-column
/// instantiations of the same code.
/// </summary>
[SkipLocalsInit]
internal readonly unsafe struct GemmKernel512 : IGemmKernel
{
    public static int MR => 12;
    public static int NR => 32;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Run(int kc, float* a, float* b, float* c, int ldc, float beta, int rows, int cols)
    {
        // Edge tiles take the smallest instantiation that covers them; the packed slivers keep their
        // full MR/NR strides, so only the arithmetic shrinks.
        if (cols > 16)
        {
            if (rows > 8) Tile<Rows12, TwoVectors>(kc, a, b, c, ldc, beta, rows, cols);
            else if (rows > 4) Tile<Rows8, TwoVectors>(kc, a, b, c, ldc, beta, rows, cols);
            else Tile<Rows4, TwoVectors>(kc, a, b, c, ldc, beta, rows, cols);
        }
        else if (rows > 8) Tile<Rows12, OneVector>(kc, a, b, c, ldc, beta, rows, cols);
        else if (rows > 4) Tile<Rows8, OneVector>(kc, a, b, c, ldc, beta, rows, cols);
        else Tile<Rows4, OneVector>(kc, a, b, c, ldc, beta, rows, cols);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void Tile<TRows, TWidth>(int kc, float* a, float* b, float* c, int ldc, float beta, int rows, int cols)
        where TRows : struct, IGemmTileRows where TWidth : struct, IGemmTileWidth
    {
        Vector512<float> c00a = default, c00b = default;
        Vector512<float> c01a = default, c01b = default;
        Vector512<float> c02a = default, c02b = default;
        Vector512<float> c03a = default, c03b = default;
        Vector512<float> c04a = default, c04b = default;
        Vector512<float> c05a = default, c05b = default;
        Vector512<float> c06a = default, c06b = default;
        Vector512<float> c07a = default, c07b = default;
        Vector512<float> c08a = default, c08b = default;
        Vector512<float> c09a = default, c09b = default;
        Vector512<float> c10a = default, c10b = default;
        Vector512<float> c11a = default, c11b = default;

        for (int p = 0; p < kc; p++)
        {
            Vector512<float> b0 = Vector512.Load(b), b1 = TWidth.Vectors > 1 ? Vector512.Load(b + 16) : default, ai;
            ai = Vector512.Create(a[0]); c00a = Avx512F.FusedMultiplyAdd(ai, b0, c00a); if (TWidth.Vectors > 1) c00b = Avx512F.FusedMultiplyAdd(ai, b1, c00b);
            ai = Vector512.Create(a[1]); c01a = Avx512F.FusedMultiplyAdd(ai, b0, c01a); if (TWidth.Vectors > 1) c01b = Avx512F.FusedMultiplyAdd(ai, b1, c01b);
            ai = Vector512.Create(a[2]); c02a = Avx512F.FusedMultiplyAdd(ai, b0, c02a); if (TWidth.Vectors > 1) c02b = Avx512F.FusedMultiplyAdd(ai, b1, c02b);
            ai = Vector512.Create(a[3]); c03a = Avx512F.FusedMultiplyAdd(ai, b0, c03a); if (TWidth.Vectors > 1) c03b = Avx512F.FusedMultiplyAdd(ai, b1, c03b);
            if (TRows.Count > 4) { ai = Vector512.Create(a[4]); c04a = Avx512F.FusedMultiplyAdd(ai, b0, c04a); if (TWidth.Vectors > 1) c04b = Avx512F.FusedMultiplyAdd(ai, b1, c04b); }
            if (TRows.Count > 5) { ai = Vector512.Create(a[5]); c05a = Avx512F.FusedMultiplyAdd(ai, b0, c05a); if (TWidth.Vectors > 1) c05b = Avx512F.FusedMultiplyAdd(ai, b1, c05b); }
            if (TRows.Count > 6) { ai = Vector512.Create(a[6]); c06a = Avx512F.FusedMultiplyAdd(ai, b0, c06a); if (TWidth.Vectors > 1) c06b = Avx512F.FusedMultiplyAdd(ai, b1, c06b); }
            if (TRows.Count > 7) { ai = Vector512.Create(a[7]); c07a = Avx512F.FusedMultiplyAdd(ai, b0, c07a); if (TWidth.Vectors > 1) c07b = Avx512F.FusedMultiplyAdd(ai, b1, c07b); }
            if (TRows.Count > 8) { ai = Vector512.Create(a[8]); c08a = Avx512F.FusedMultiplyAdd(ai, b0, c08a); if (TWidth.Vectors > 1) c08b = Avx512F.FusedMultiplyAdd(ai, b1, c08b); }
            if (TRows.Count > 9) { ai = Vector512.Create(a[9]); c09a = Avx512F.FusedMultiplyAdd(ai, b0, c09a); if (TWidth.Vectors > 1) c09b = Avx512F.FusedMultiplyAdd(ai, b1, c09b); }
            if (TRows.Count > 10) { ai = Vector512.Create(a[10]); c10a = Avx512F.FusedMultiplyAdd(ai, b0, c10a); if (TWidth.Vectors > 1) c10b = Avx512F.FusedMultiplyAdd(ai, b1, c10b); }
            if (TRows.Count > 11) { ai = Vector512.Create(a[11]); c11a = Avx512F.FusedMultiplyAdd(ai, b0, c11a); if (TWidth.Vectors > 1) c11b = Avx512F.FusedMultiplyAdd(ai, b1, c11b); }
            a += 12;
            b += 32;
        }

        // Tiles overhanging C go through a stack tile so the vector stores never touch memory outside C.
        float* t = stackalloc float[12 * 32];
        bool full = rows == TRows.Count && cols == TWidth.Vectors * 16;
        float* d = full ? c : t;
        int ldd = full ? ldc : 32;
        float bd = full ? beta : 0f;
        var vbeta = Vector512.Create(bd);
        Store<TWidth>(d, c00a, c00b, vbeta, bd);
        Store<TWidth>(d + 1 * ldd, c01a, c01b, vbeta, bd);
        Store<TWidth>(d + 2 * ldd, c02a, c02b, vbeta, bd);
        Store<TWidth>(d + 3 * ldd, c03a, c03b, vbeta, bd);
        if (TRows.Count > 4) Store<TWidth>(d + 4 * ldd, c04a, c04b, vbeta, bd);
        if (TRows.Count > 5) Store<TWidth>(d + 5 * ldd, c05a, c05b, vbeta, bd);
        if (TRows.Count > 6) Store<TWidth>(d + 6 * ldd, c06a, c06b, vbeta, bd);
        if (TRows.Count > 7) Store<TWidth>(d + 7 * ldd, c07a, c07b, vbeta, bd);
        if (TRows.Count > 8) Store<TWidth>(d + 8 * ldd, c08a, c08b, vbeta, bd);
        if (TRows.Count > 9) Store<TWidth>(d + 9 * ldd, c09a, c09b, vbeta, bd);
        if (TRows.Count > 10) Store<TWidth>(d + 10 * ldd, c10a, c10b, vbeta, bd);
        if (TRows.Count > 11) Store<TWidth>(d + 11 * ldd, c11a, c11b, vbeta, bd);
        if (!full) GemmTile.StorePartial(t, 32, rows, cols, c, ldc, beta);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void Store<TWidth>(float* c, Vector512<float> x0, Vector512<float> x1, Vector512<float> vbeta, float beta)
        where TWidth : struct, IGemmTileWidth
    {
        if (beta != 0f)
        {
            x0 = Avx512F.FusedMultiplyAdd(vbeta, Vector512.Load(c), x0);
            if (TWidth.Vectors > 1) x1 = Avx512F.FusedMultiplyAdd(vbeta, Vector512.Load(c + 16), x1);
        }
        x0.Store(c);
        if (TWidth.Vectors > 1) x1.Store(c + 16);
    }
}
