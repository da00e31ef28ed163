namespace Ppl.Runtime.Tensors;

/// <summary>
/// Single-precision general matrix multiply, row-major: C = op(A) · op(B) + beta · C,
/// where op(X) is X or Xᵀ. A is M×K after op, B is K×N after op, C is M×N.
/// </summary>
/// <remarks>
/// A cache-blocked, register-tiled product over packed panels (<see cref="GemmDriver"/>) with an AVX-512,
/// AVX2/FMA or scalar micro-kernel chosen at run time, split across cores by output tiles once the product
/// is big enough to pay for it; single-row and single-column products skip packing (<see cref="GemmThin"/>).
/// Results are bit-for-bit the same for a given shape whatever the thread count, kernel or path: every
/// element is one fixed chain of fused multiply-adds over the reduction. C must not overlap A or B.
/// </remarks>
public static class Gemm
{
    /// <summary>
    /// Below this many flops per thread a split costs more in hand-off than it saves (a worker's
    /// hand-off is a few microseconds; 2 MFLOP is ~20 µs of one core at 100 GFLOP/s).
    /// </summary>
    const double MinFlopsPerPart = 2e6;

    static int maxThreads = Environment.ProcessorCount;

    /// <summary>
    /// Process-wide cap on the threads one product may use (default: the processor count). Results do not
    /// depend on it; it exists to measure single-thread speed and to leave cores to other work.
    /// </summary>
    public static int MaxThreads
    {
        get => Volatile.Read(ref maxThreads);
        set => Volatile.Write(ref maxThreads, value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "at least one thread"));
    }

    /// <summary>
    /// C[M×N] = op(A)[M×K] · op(B)[K×N] + beta·C. Leading dimensions are the row strides of the
    /// stored (un-transposed) matrices. With beta = 0, C's old contents are ignored (NaN included).
    /// </summary>
    public static void Multiply(bool transA, bool transB, int m, int n, int k,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb,
        Span<float> c, int ldc, float beta = 0f) =>
        Multiply(transA, transB, m, n, k, a, lda, b, ldb, c, ldc, beta, GemmKernelKind.Auto, MaxThreads);

    /// <summary>
    /// For each i &lt; <paramref name="batch"/>: C_i = op(A_i) · op(B_i) + beta·C_i, where X_i starts
    /// <c>i · strideX</c> floats into X's span. A stride of 0 shares one A (or B) across the batch, e.g. a
    /// weight matrix applied to every item; C's items must not overlap.
    /// </summary>
    public static void MultiplyBatched(bool transA, bool transB, int batch, int m, int n, int k,
        ReadOnlySpan<float> a, int lda, int strideA, ReadOnlySpan<float> b, int ldb, int strideB,
        Span<float> c, int ldc, int strideC, float beta = 0f) =>
        MultiplyBatched(transA, transB, batch, m, n, k, a, lda, strideA, b, ldb, strideB, c, ldc, strideC, beta,
            GemmKernelKind.Auto, MaxThreads);

    /// <summary><see cref="Multiply(bool, bool, int, int, int, ReadOnlySpan{float}, int, ReadOnlySpan{float}, int, Span{float}, int, float)"/> with the kernel and thread cap chosen by the caller (tests, benchmarks).</summary>
    internal static void Multiply(bool transA, bool transB, int m, int n, int k,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb,
        Span<float> c, int ldc, float beta, GemmKernelKind kernel, int threads) =>
        MultiplyBatched(transA, transB, 1, m, n, k, a, lda, 0, b, ldb, 0, c, ldc, 0, beta, kernel, threads);

    /// <summary><see cref="MultiplyBatched(bool, bool, int, int, int, int, ReadOnlySpan{float}, int, int, ReadOnlySpan{float}, int, int, Span{float}, int, int, float)"/> with the kernel, thread cap and (for tests) the cut chosen by the caller.</summary>
    internal static unsafe void MultiplyBatched(bool transA, bool transB, int batch, int m, int n, int k,
        ReadOnlySpan<float> a, int lda, int strideA, ReadOnlySpan<float> b, int ldb, int strideB,
        Span<float> c, int ldc, int strideC, float beta, GemmKernelKind kernel, int threads, GemmSplit? split = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(batch);
        ArgumentOutOfRangeException.ThrowIfNegative(m);
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        var resolved = GemmKernels.Resolve(kernel);
        if (batch == 0 || m == 0 || n == 0) return;
        CheckMatrix(nameof(c), c.Length, m, n, ldc, strideC, batch, distinctItems: true);
        if (k > 0)
        {
            CheckMatrix(nameof(a), a.Length, transA ? k : m, transA ? m : k, lda, strideA, batch, distinctItems: false);
            CheckMatrix(nameof(b), b.Length, transB ? n : k, transB ? k : n, ldb, strideB, batch, distinctItems: false);
        }

        fixed (float* pa = a, pb = b, pc = c)
        {
            if (k == 0)
            {
                // An empty reduction: C = beta·C, with beta = 0 overwriting whatever C held.
                for (int item = 0; item < batch; item++)
                    for (int i = 0; i < m; i++)
                    {
                        var row = new Span<float>(pc + (long)item * strideC + (long)i * ldc, n);
                        if (beta == 0f) row.Clear();
                        else for (int j = 0; j < n; j++) row[j] *= beta;
                    }
                return;
            }
            var job = new GemmJob
            {
                Operands = new GemmOperands(transA, transB, m, n, k, pa, lda, pb, ldb, pc, ldc, beta),
                Batch = batch,
                StrideA = strideA,
                StrideB = strideB,
                StrideC = strideC,
                Kernel = resolved,
            };
            (job.Split, job.Parts) = split is { } forced ? (forced, threads) : Plan(resolved, batch, m, n, k, threads);
            WorkerTeam.Run(&job, &GemmJob.RunPartOf, job.Parts, &GemmJob.RunWholeOf);
        }
    }

    /// <summary>
    /// Picks the thread count from the flop count (small products stay on the calling thread), then the
    /// cut with the shortest estimated critical path: whole batch items, bands of row tiles (each part
    /// re-packs all of B) or bands of column tiles (each part re-packs all of A).
    /// </summary>
    static (GemmSplit, int) Plan(GemmKernelKind kernel, int batch, int m, int n, int k, int threads)
    {
        double flops = 2.0 * m * n * k * batch;
        int parts = (int)Math.Min(threads, Math.Max(1.0, flops / MinFlopsPerPart));
        if (parts <= 1) return (GemmSplit.Columns, 1);

        var (mr, nr) = GemmKernels.Tile(kernel);
        long rowTiles = (m + mr - 1) / mr, colTiles = (n + nr - 1) / nr;
        // Costs in micro-kernel k-steps (one MR×NR rank-1 update ≈ 1 unit); packing one float ≈ 1/8 unit,
        // the rough ratio of a packing copy to a tile step at these tile sizes.
        double tile = k, packA = m * (double)k / 8, packB = n * (double)k / 8;
        int pb = (int)Math.Min(parts, batch), pr = (int)Math.Min(parts, rowTiles), pc = (int)Math.Min(parts, colTiles);
        double byBatch = Ceil(batch, pb) * (rowTiles * colTiles * tile + packA + packB);
        double byRows = batch * (Ceil(rowTiles, pr) * colTiles * tile + packA / pr + packB);
        double byColumns = batch * (rowTiles * Ceil(colTiles, pc) * tile + packA + packB / pc);
        if (byBatch <= byRows && byBatch <= byColumns) return (GemmSplit.Batch, pb);
        return byRows < byColumns ? (GemmSplit.Rows, pr) : (GemmSplit.Columns, pc);
    }

    static long Ceil(long x, long d) => (x + d - 1) / d;

    static void CheckMatrix(string name, int length, int rows, int cols, int ld, int stride, int batch, bool distinctItems)
    {
        if (ld < Math.Max(1, cols))
            throw new ArgumentOutOfRangeException("ld" + name, ld, $"the leading dimension of {name} must be at least its stored row length {cols}");
        if (stride < 0)
            throw new ArgumentOutOfRangeException("stride" + name.ToUpperInvariant(), stride, "batch strides cannot be negative");
        long extent = (long)(rows - 1) * ld + cols;
        if (batch > 1 && distinctItems && stride < extent)
            throw new ArgumentException($"the batch items of {name} overlap: stride {stride} < {extent} floats per item", name);
        long needed = (long)(batch - 1) * stride + extent;
        if (length < needed)
            throw new ArgumentException($"{name} holds {length} floats but a {rows}×{cols} matrix with leading dimension {ld}{(batch > 1 ? $" in {batch} items {stride} apart" : "")} needs {needed}", name);
    }
}
