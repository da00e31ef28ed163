using System.Runtime.CompilerServices;

namespace Ppl.Runtime.Tensors;

/// <summary>Folding a finished register tile into C at the matrix edges, where the tile overhangs C.</summary>
internal static unsafe class GemmTile
{
    /// <summary>
    /// C[i, j] = t[i, j] (beta = 0) or fma(beta, C[i, j], t[i, j]) for i &lt; rows, j &lt; cols, where t is a
    /// row-major tile with row stride <paramref name="ldt"/>. Uses the same fused operation as the vector
    /// stores so edge elements round exactly like interior ones.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void StorePartial(float* t, int ldt, int rows, int cols, float* c, int ldc, float beta)
    {
        for (int i = 0; i < rows; i++)
        {
            float* ti = t + i * ldt, ci = c + i * ldc;
            if (beta == 0f)
                for (int j = 0; j < cols; j++) ci[j] = ti[j];
            else
                for (int j = 0; j < cols; j++) ci[j] = MathF.FusedMultiplyAdd(beta, ci[j], ti[j]);
        }
    }
}
