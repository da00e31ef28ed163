using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Ppl.Runtime.Tensors;

/// <summary>
/// AVX2/FMA micro-kernel with a 6×16 register tile: 12 ymm accumulators, two B vectors and one broadcast,
/// 15 of the 16 ymm registers an AVX2-only machine has (the classic Haswell tile). Per k step: 12 FMAs
/// against 2 loads and 6 broadcasts. Edge tiles run 4- or 2-row and 8-column instantiations.
/// </summary>
[SkipLocalsInit]
internal readonly unsafe struct GemmKernel256 : IGemmKernel
{
    public static int MR => 6;
    public static int NR => 16;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Run(int kc, float* a, float* b, float* c, int ldc, float beta, int rows, int cols)
    {
        // Edge tiles take the smallest instantiation that covers them; the packed slivers keep their
        // full MR/NR strides, so only the arithmetic shrinks.
        if (cols > 8)
        {
            if (rows > 4) Tile<Rows6, TwoVectors>(kc, a, b, c, ldc, beta, rows, cols);
            else if (rows > 2) Tile<Rows4, TwoVectors>(kc, a, b, c, ldc, beta, rows, cols);
            else Tile<Rows2, TwoVectors>(kc, a, b, c, ldc, beta, rows, cols);
        }
        else if (rows > 4) Tile<Rows6, OneVector>(kc, a, b, c, ldc, beta, rows, cols);
        else if (rows > 2) Tile<Rows4, OneVector>(kc, a, b, c, ldc, beta, rows, cols);
        else Tile<Rows2, OneVector>(kc, a, b, c, ldc, beta, rows, cols);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void Tile<TRows, TWidth>(int kc, float* a, float* b, float* c, int ldc, float beta, int rows, int cols)
        where TRows : struct, IGemmTileRows where TWidth : struct, IGemmTileWidth
    {
        Vector256<float> c0a = default, c0b = default;
        Vector256<float> c1a = default, c1b = default;
        Vector256<float> c2a = default, c2b = default;
        Vector256<float> c3a = default, c3b = default;
        Vector256<float> c4a = default, c4b = default;
        Vector256<float> c5a = default, c5b = default;

        for (int p = 0; p < kc; p++)
        {
            Vector256<float> b0 = Vector256.Load(b), b1 = TWidth.Vectors > 1 ? Vector256.Load(b + 8) : default, ai;
            ai = Vector256.Create(a[0]); c0a = Fma.MultiplyAdd(ai, b0, c0a); if (TWidth.Vectors > 1) c0b = Fma.MultiplyAdd(ai, b1, c0b);
            ai = Vector256.Create(a[1]); c1a = Fma.MultiplyAdd(ai, b0, c1a); if (TWidth.Vectors > 1) c1b = Fma.MultiplyAdd(ai, b1, c1b);
            if (TRows.Count > 2) { ai = Vector256.Create(a[2]); c2a = Fma.MultiplyAdd(ai, b0, c2a); if (TWidth.Vectors > 1) c2b = Fma.MultiplyAdd(ai, b1, c2b); }
            if (TRows.Count > 3) { ai = Vector256.Create(a[3]); c3a = Fma.MultiplyAdd(ai, b0, c3a); if (TWidth.Vectors > 1) c3b = Fma.MultiplyAdd(ai, b1, c3b); }
            if (TRows.Count > 4) { ai = Vector256.Create(a[4]); c4a = Fma.MultiplyAdd(ai, b0, c4a); if (TWidth.Vectors > 1) c4b = Fma.MultiplyAdd(ai, b1, c4b); }
            if (TRows.Count > 5) { ai = Vector256.Create(a[5]); c5a = Fma.MultiplyAdd(ai, b0, c5a); if (TWidth.Vectors > 1) c5b = Fma.MultiplyAdd(ai, b1, c5b); }
            a += 6;
            b += 16;
        }

        // Tiles overhanging C go through a stack tile so the vector stores never touch memory outside C.
        float* t = stackalloc float[6 * 16];
        bool full = rows == TRows.Count && cols == TWidth.Vectors * 8;
        float* d = full ? c : t;
        int ldd = full ? ldc : 16;
        float bd = full ? beta : 0f;
        var vbeta = Vector256.Create(bd);
        Store<TWidth>(d, c0a, c0b, vbeta, bd);
        Store<TWidth>(d + 1 * ldd, c1a, c1b, vbeta, bd);
        if (TRows.Count > 2) Store<TWidth>(d + 2 * ldd, c2a, c2b, vbeta, bd);
        if (TRows.Count > 3) Store<TWidth>(d + 3 * ldd, c3a, c3b, vbeta, bd);
        if (TRows.Count > 4) Store<TWidth>(d + 4 * ldd, c4a, c4b, vbeta, bd);
        if (TRows.Count > 5) Store<TWidth>(d + 5 * ldd, c5a, c5b, vbeta, bd);
        if (!full) GemmTile.StorePartial(t, 16, rows, cols, c, ldc, beta);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void Store<TWidth>(float* c, Vector256<float> x0, Vector256<float> x1, Vector256<float> vbeta, float beta)
        where TWidth : struct, IGemmTileWidth
    {
        if (beta != 0f)
        {
            x0 = Fma.MultiplyAdd(vbeta, Vector256.Load(c), x0);
            if (TWidth.Vectors > 1) x1 = Fma.MultiplyAdd(vbeta, Vector256.Load(c + 8), x1);
        }
        x0.Store(c);
        if (TWidth.Vectors > 1) x1.Store(c + 8);
    }
}
