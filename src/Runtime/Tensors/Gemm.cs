namespace Ppl.Runtime.Tensors;

/// <summary>
/// Single-precision general matrix multiply, row-major: C = op(A) · op(B) + beta · C,
/// where op(X) is X or Xᵀ. A is M×K after op, B is K×N after op, C is M×N.
/// </summary>
public static class Gemm
{
    /// <summary>
    /// C[M×N] = op(A)[M×K] · op(B)[K×N] + beta·C. Leading dimensions are the row strides of the
    /// stored (un-transposed) matrices.
    /// </summary>
    public static void Multiply(bool transA, bool transB, int m, int n, int k,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb,
        Span<float> c, int ldc, float beta = 0f)
    {
        // Reference implementation; replaced by the blocked kernel.
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                float s = 0;
                for (int p = 0; p < k; p++)
                    s += (transA ? a[p * lda + i] : a[i * lda + p]) * (transB ? b[j * ldb + p] : b[p * ldb + j]);
                c[i * ldc + j] = s + (beta == 0 ? 0 : beta * c[i * ldc + j]);
            }
    }
}
