namespace Ppl.Runtime.Tensors;

/// <summary>
/// One product C = op(A)·op(B) + beta·C as raw pointers to element (0, 0) of the stored, row-major
/// matrices. Only valid while the caller keeps the spans pinned.
/// </summary>
internal readonly unsafe struct GemmOperands(bool transA, bool transB, int m, int n, int k,
    float* a, int lda, float* b, int ldb, float* c, int ldc, float beta)
{
    public readonly bool TransA = transA, TransB = transB;
    public readonly int M = m, N = n, K = k;
    public readonly float* A = a, B = b, C = c;
    public readonly int Lda = lda, Ldb = ldb, Ldc = ldc;
    public readonly float Beta = beta;

    /// <summary>The same product moved to another batch item.</summary>
    public GemmOperands Offset(long da, long db, long dc) =>
        new(TransA, TransB, M, N, K, A + da, Lda, B + db, Ldb, C + dc, Ldc, Beta);
}
