using System.Runtime.CompilerServices;

namespace Ppl.Runtime.Tensors;

/// <summary>
/// Portable 4×4 micro-kernel for machines without AVX2/FMA (or AVX-512): sixteen scalar accumulators,
/// each updated with <see cref="MathF.FusedMultiplyAdd"/> so it rounds exactly like the vector kernels.
/// </summary>
[SkipLocalsInit]
internal readonly unsafe struct GemmKernelScalar : IGemmKernel
{
    public static int MR => 4;
    public static int NR => 4;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(int kc, float* a, float* b, float* c, int ldc, float beta, int rows, int cols)
    {
        float c00 = 0, c01 = 0, c02 = 0, c03 = 0;
        float c10 = 0, c11 = 0, c12 = 0, c13 = 0;
        float c20 = 0, c21 = 0, c22 = 0, c23 = 0;
        float c30 = 0, c31 = 0, c32 = 0, c33 = 0;
        for (int p = 0; p < kc; p++)
        {
            float b0 = b[0], b1 = b[1], b2 = b[2], b3 = b[3], ai;
            ai = a[0]; c00 = MathF.FusedMultiplyAdd(ai, b0, c00); c01 = MathF.FusedMultiplyAdd(ai, b1, c01); c02 = MathF.FusedMultiplyAdd(ai, b2, c02); c03 = MathF.FusedMultiplyAdd(ai, b3, c03);
            ai = a[1]; c10 = MathF.FusedMultiplyAdd(ai, b0, c10); c11 = MathF.FusedMultiplyAdd(ai, b1, c11); c12 = MathF.FusedMultiplyAdd(ai, b2, c12); c13 = MathF.FusedMultiplyAdd(ai, b3, c13);
            ai = a[2]; c20 = MathF.FusedMultiplyAdd(ai, b0, c20); c21 = MathF.FusedMultiplyAdd(ai, b1, c21); c22 = MathF.FusedMultiplyAdd(ai, b2, c22); c23 = MathF.FusedMultiplyAdd(ai, b3, c23);
            ai = a[3]; c30 = MathF.FusedMultiplyAdd(ai, b0, c30); c31 = MathF.FusedMultiplyAdd(ai, b1, c31); c32 = MathF.FusedMultiplyAdd(ai, b2, c32); c33 = MathF.FusedMultiplyAdd(ai, b3, c33);
            a += 4;
            b += 4;
        }

        float* t = stackalloc float[16];
        t[0] = c00; t[1] = c01; t[2] = c02; t[3] = c03;
        t[4] = c10; t[5] = c11; t[6] = c12; t[7] = c13;
        t[8] = c20; t[9] = c21; t[10] = c22; t[11] = c23;
        t[12] = c30; t[13] = c31; t[14] = c32; t[15] = c33;
        GemmTile.StorePartial(t, 4, rows, cols, c, ldc, beta);
    }
}
