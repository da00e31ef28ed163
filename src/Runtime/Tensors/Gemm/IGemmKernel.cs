namespace Ppl.Runtime.Tensors;

/// <summary>
/// A register-tiled micro-kernel: multiplies one packed MR×kc sliver of A by one packed kc×NR sliver of B
/// and folds the MR×NR result into C. Implemented by structs so the blocked driver is specialised (and the
/// kernel inlined) per instruction set by the JIT, with no virtual call per tile.
/// </summary>
/// <remarks>
/// Every kernel computes each element of a tile as the same sequence of fused multiply-adds,
/// acc = fma(a[p], b[p], acc) for p = 0..kc-1 starting from zero, then C = acc when beta = 0 and
/// C = fma(beta, C, acc) otherwise. Because of that, all kernels (and any thread partitioning) give
/// bit-identical results for a given shape.
/// </remarks>
internal unsafe interface IGemmKernel
{
    /// <summary>Rows of the register tile (the A sliver is packed MR values per k step).</summary>
    static abstract int MR { get; }

    /// <summary>Columns of the register tile (the B sliver is packed NR values per k step).</summary>
    static abstract int NR { get; }

    /// <summary>
    /// C[0..rows, 0..cols] = A-sliver · B-sliver + beta·C (beta = 0 ignores C, so C may hold garbage or NaN).
    /// <paramref name="a"/> holds kc·MR floats, <paramref name="b"/> kc·NR floats (64-byte aligned);
    /// rows ≤ MR and cols ≤ NR clip the store at the matrix edges.
    /// </summary>
    static abstract void Run(int kc, float* a, float* b, float* c, int ldc, float beta, int rows, int cols);
}
