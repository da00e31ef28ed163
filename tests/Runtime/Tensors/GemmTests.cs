using Ppl.Runtime.Tensors;
using Xunit.Abstractions;

namespace Ppl.Runtime.Tests.Tensors;

// Inside the namespace so it wins over the sibling namespace Ppl.Runtime.Random (and Ppl.Runtime.Tests.Random).
using Random = System.Random;

/// <remarks>
/// Every kernel is a case; one this CPU cannot run passes after saying so in the test output (xUnit 2 has no
/// runtime skip), so a run on narrow hardware shows which kernels it tested and which it did not, and why.
/// </remarks>
public class GemmTests(ITestOutputHelper output)
{
    static readonly GemmKernelKind[] AllKernels = [GemmKernelKind.Vector512, GemmKernelKind.Vector256, GemmKernelKind.Scalar];

    /// <summary>Every kernel; forcing the narrower ones covers their paths on wide hardware.</summary>
    public static TheoryData<string> Kernels()
    {
        var data = new TheoryData<string>();
        foreach (var kind in AllKernels) data.Add(kind.ToString());
        return data;
    }

    /// <summary>Whether <paramref name="kernel"/> runs here; writes "tested" or "skipped" and the reason to the test output.</summary>
    bool Runs(GemmKernelKind kernel)
    {
        bool runs = GemmKernels.IsSupported(kernel);
        output.WriteLine(runs ? $"tested: {kernel} kernel" : $"skipped: {kernel} kernel (needs {GemmKernels.Requires(kernel)}, which this CPU lacks)");
        return runs;
    }

    GemmKernelKind[] SupportedKernels() => AllKernels.Where(Runs).ToArray();

    // Odd shapes (every edge-tile case), reductions deeper than one KC slice (300, 513), more columns than
    // one NC block (1030), more rows than one MC block (400), and the VAE's layer shape.
    static readonly (int M, int N, int K)[] Shapes =
    [
        (1, 1, 1), (7, 13, 5), (33, 65, 17), (1, 40, 7), (40, 1, 9), (13, 3, 300), (25, 37, 513),
        (200, 1030, 20), (400, 30, 10), (128, 400, 784), (1, 200, 600), (150, 1, 300), (1, 1000, 5),
    ];

    [Theory]
    [MemberData(nameof(Kernels))]
    public void Multiply_AllShapesAndTransposes_MatchesFloat64Reference(string kernelName)
    {
        var kernel = Enum.Parse<GemmKernelKind>(kernelName);
        if (!Runs(kernel)) return;
        var random = new System.Random(12);
        foreach (var (m, n, k) in Shapes)
            foreach (bool transA in new[] { false, true })
                foreach (bool transB in new[] { false, true })
                    foreach (float beta in new[] { 0f, 0.5f })
                    {
                        // The scalar kernel is slow; the big shape is covered by the vector kernels.
                        if (kernel == GemmKernelKind.Scalar && (long)m * n * k > 5_000_000 && (transA || transB)) continue;
                        var p = Problem.Random(random, m, n, k, transA, transB, beta, padding: 3);
                        p.Run(kernel, threads: 2);
                        p.AssertMatchesReference();
                    }
    }

    [Fact]
    public void Multiply_TightLeadingDimensions_MatchesFloat64Reference()
    {
        var random = new System.Random(3);
        foreach (var (m, n, k) in Shapes)
        {
            var p = Problem.Random(random, m, n, k, transA: false, transB: false, beta: 1f, padding: 0);
            p.C = (float[])p.C0.Clone();
            Gemm.Multiply(false, false, m, n, k, p.A, p.Lda, p.B, p.Ldb, p.C, p.Ldc, 1f);
            p.AssertMatchesReference();
        }
    }

    [Fact]
    public void Multiply_EveryKernel_GivesBitIdenticalResults()
    {
        // Each element is the same chain of FMAs in every kernel, so they agree exactly, not just closely.
        var random = new System.Random(5);
        var kernels = SupportedKernels();
        foreach (var (m, n, k) in new[] { (33, 65, 17), (50, 70, 600) })
            foreach (bool transA in new[] { false, true })
            {
                var p = Problem.Random(random, m, n, k, transA, !transA, beta: 0.25f, padding: 1);
                float[]? first = null;
                foreach (var kernel in kernels)
                {
                    var c = p.Run(kernel, threads: 1);
                    if (first is null) first = c;
                    else Assert.Equal(first, c);
                }
            }
    }

    [Fact]
    public void Multiply_SingleRowOrColumn_BitIdenticalToTheSameRowOrColumnOfABiggerProduct()
    {
        // One-row and one-column products skip packing (sweeps or dot products, by layout); each element
        // must still be the same chain of FMAs, so it equals the element the blocked path computes
        // inside a bigger product, for every transpose combination.
        var random = new System.Random(13);
        const int m = 21, n = 203, k = 700; // k spans three reduction slices; 21 = 16 + 4 + 1 rows
        // The thin paths pick their instructions from the CPU; they cannot be forced like the kernels.
        output.WriteLine($"thin paths: {(System.Runtime.Intrinsics.X86.Avx512F.IsSupported ? "AVX-512F sweep tested" : "AVX-512F sweep skipped (CPU lacks AVX-512F)")}, "
            + $"{(System.Runtime.Intrinsics.X86.Fma.IsSupported ? "FMA sweep and dots tested" : "FMA sweep and dots skipped (CPU lacks FMA)")}");
        foreach (bool transA in new[] { false, true })
            foreach (bool transB in new[] { false, true })
            {
                var p = Problem.Random(random, m, n, k, transA, transB, beta: 0.5f, padding: 1);
                var full = p.Run(GemmKernelKind.Auto, threads: 1);

                // Row 2 alone: op(A)'s row 2 starts 2 rows (or, transposed, 2 columns) into A.
                var row = p.C0.AsSpan(2 * p.Ldc, n).ToArray();
                Gemm.Multiply(transA, transB, 1, n, k, p.A.AsSpan(transA ? 2 : 2 * p.Lda), p.Lda, p.B, p.Ldb, row, n, 0.5f);
                Assert.Equal(full.AsSpan(2 * p.Ldc, n).ToArray(), row);

                // Column 7 alone, written with C's own leading dimension.
                var col = (float[])p.C0.Clone();
                Gemm.Multiply(transA, transB, m, 1, k, p.A, p.Lda, p.B.AsSpan(transB ? 7 * p.Ldb : 7), p.Ldb, col.AsSpan(7), p.Ldc, 0.5f);
                for (int i = 0; i < m; i++) Assert.Equal(full[i * p.Ldc + 7], col[i * p.Ldc + 7]);
            }
    }

    [Theory]
    [MemberData(nameof(Kernels))]
    public void Multiply_AnyThreadCountOrSplit_BitIdenticalToOneThread(string kernelName)
    {
        var kernel = Enum.Parse<GemmKernelKind>(kernelName);
        if (!Runs(kernel)) return;
        var random = new System.Random(7);
        foreach (var (m, n, k) in new[] { (128, 400, 784), (61, 97, 300) })
        {
            var p = Problem.Random(random, m, n, k, transA: true, transB: false, beta: 0.5f, padding: 2);
            var one = p.Run(kernel, threads: 1);
            foreach (var split in new[] { GemmSplit.Rows, GemmSplit.Columns, GemmSplit.Batch })
                foreach (int threads in new[] { 2, 3, 5 })
                    Assert.Equal(one, p.Run(kernel, threads, split));
            Assert.Equal(one, p.Run(kernel, threads: 2));
        }
    }

    [Fact]
    public void Multiply_ConcurrentCallers_EachGetsItsOwnBitIdenticalResult()
    {
        // Products from several threads at once contend for the one set of workers (the losers run alone)
        // and follow each other through it in quick succession, which exercises the claim protocol.
        var random = new System.Random(8);
        var problems = Enumerable.Range(0, 6)
            .Select(i => Problem.Random(random, 40 + 13 * i, 300 - 17 * i, 200 + i, transA: i % 2 == 0, transB: i % 3 == 0, beta: 0f, padding: 1))
            .ToArray();
        var expected = problems.Select(p => p.Run(GemmKernelKind.Auto, threads: 1)).ToArray();
        var results = new float[problems.Length][][];
        Parallel.For(0, problems.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
        {
            var p = problems[i];
            results[i] = new float[25][];
            for (int r = 0; r < results[i].Length; r++)
            {
                var c = (float[])p.C0.Clone();
                Gemm.MultiplyBatched(p.TransA, p.TransB, 1, p.M, p.N, p.K, p.A, p.Lda, 0, p.B, p.Ldb, 0, c, p.Ldc, 0, p.Beta,
                    GemmKernelKind.Auto, threads: 2 + r % 3);
                results[i][r] = c;
            }
        });
        for (int i = 0; i < problems.Length; i++)
            foreach (var c in results[i]) Assert.Equal(expected[i], c);
    }

    [Fact]
    public void MultiplyBatched_StridedAndSharedOperands_MatchesItemByItemProducts()
    {
        var random = new System.Random(9);
        const int batch = 5, m = 17, n = 45, k = 33;
        foreach (bool shareA in new[] { false, true })
            foreach (int threads in new[] { 1, 2 })
            {
                // Each item sits 7 floats past the end of the previous one; A is shared when its stride is 0.
                int lda = k + 1, ldb = n, ldc = n + 2;
                int strideA = shareA ? 0 : m * lda + 7, strideB = k * ldb + 7, strideC = m * ldc + 7;
                var a = RandomArray(random, (shareA ? 1 : batch) * (m * lda + 7));
                var b = RandomArray(random, batch * strideB);
                var c = RandomArray(random, batch * strideC);
                var expected = (float[])c.Clone();
                for (int i = 0; i < batch; i++)
                    Gemm.Multiply(false, false, m, n, k, a.AsSpan(i * strideA), lda, b.AsSpan(i * strideB), ldb,
                        expected.AsSpan(i * strideC), ldc, 0.75f, GemmKernelKind.Auto, threads: 1);
                Gemm.MultiplyBatched(false, false, batch, m, n, k, a, lda, strideA, b, ldb, strideB, c, ldc, strideC, 0.75f,
                    GemmKernelKind.Auto, threads);
                Assert.Equal(expected, c);
            }
    }

    [Fact]
    public void MultiplyBatched_ManySmallItems_SplitsByItemWithSameResult()
    {
        var random = new System.Random(10);
        const int batch = 64, m = 20, n = 24, k = 400; // each item too small to split, the batch is not
        var a = RandomArray(random, batch * m * k);
        var b = RandomArray(random, k * n);
        var one = new float[batch * m * n];
        var many = new float[batch * m * n];
        Gemm.MultiplyBatched(false, false, batch, m, n, k, a, k, m * k, b, n, 0, one, n, m * n, 0f, GemmKernelKind.Auto, 1);
        Gemm.MultiplyBatched(false, false, batch, m, n, k, a, k, m * k, b, n, 0, many, n, m * n, 0f, GemmKernelKind.Auto, 4);
        Assert.Equal(one, many);
        var item = new float[m * n];
        Gemm.Multiply(false, false, m, n, k, a.AsSpan(63 * m * k), k, b, n, item, n);
        Assert.Equal(item, many.AsSpan(63 * m * n).ToArray());
    }

    [Fact]
    public void Multiply_SteadyState_AllocatesNothingOnTheCallingThread()
    {
        var random = new System.Random(11);
        var p = Problem.Random(random, 100, 300, 280, transA: false, transB: true, beta: 0f, padding: 0);
        p.C = (float[])p.C0.Clone();
        foreach (int threads in new[] { 1, 2 })
        {
            void Call() => Gemm.Multiply(false, true, p.M, p.N, p.K, p.A, p.Lda, p.B, p.Ldb, p.C, p.Ldc, 0f, GemmKernelKind.Auto, threads);
            Call(); // first use sizes this thread's packing buffers and starts the workers
            long before = GC.GetAllocatedBytesForCurrentThread();
            Call();
            Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        }
    }

    [Fact]
    public void Multiply_EmptyReduction_ScalesC()
    {
        var c = new[] { 1f, 2f, 3f, 4f, 5f, 6f };
        Gemm.Multiply(false, false, 2, 2, 0, ReadOnlySpan<float>.Empty, 1, ReadOnlySpan<float>.Empty, 2, c, 3, 0.5f);
        Assert.Equal(new[] { 0.5f, 1f, 3f, 2f, 2.5f, 6f }, c);
        Gemm.Multiply(false, false, 2, 2, 0, ReadOnlySpan<float>.Empty, 1, ReadOnlySpan<float>.Empty, 2, c, 3);
        Assert.Equal(new[] { 0f, 0f, 3f, 0f, 0f, 6f }, c);
    }

    [Fact]
    public void Multiply_EmptyOutput_TouchesNothing()
    {
        var c = new[] { 1f };
        Gemm.Multiply(false, false, 0, 5, 3, ReadOnlySpan<float>.Empty, 3, new float[15], 5, Span<float>.Empty, 5);
        Gemm.Multiply(false, false, 1, 0, 3, new float[3], 3, ReadOnlySpan<float>.Empty, 1, c, 1);
        Assert.Equal(1f, c[0]);
    }

    [Fact]
    public void Multiply_SpanTooShortOrLeadingDimensionTooSmall_Throws()
    {
        var a = new float[6]; var b = new float[6]; var c = new float[4];
        Assert.Throws<ArgumentException>(() => Gemm.Multiply(false, false, 2, 2, 3, a.AsSpan(1), 3, b, 2, c, 2));
        Assert.Throws<ArgumentException>(() => Gemm.Multiply(false, false, 2, 2, 3, a, 3, b, 2, c.AsSpan(1), 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => Gemm.Multiply(false, false, 2, 2, 3, a, 2, b, 2, c, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => Gemm.Multiply(true, false, 2, 2, 3, a, 1, b, 2, c, 2));
        Assert.Throws<ArgumentException>(() => Gemm.MultiplyBatched(false, false, 2, 2, 2, 3, a, 3, 0, b, 2, 0, new float[8], 2, 3));
    }

    static float[] RandomArray(System.Random random, int length)
    {
        var x = new float[length];
        for (int i = 0; i < length; i++) x[i] = random.NextSingle() * 2f - 1f;
        return x;
    }

    /// <summary>
    /// One product with its inputs embedded in larger buffers: the padding of A and B holds NaN (a read
    /// outside the matrix poisons the result), C's padding a sentinel (a write outside it is caught), and
    /// with beta = 0 C itself starts as NaN (it must be ignored, not multiplied by zero).
    /// </summary>
    sealed class Problem
    {
        const float Sentinel = 12345f;
        public required int M, N, K, Lda, Ldb, Ldc;
        public required bool TransA, TransB;
        public required float Beta;
        public required float[] A, B, C0;
        public float[] C = [];

        public static Problem Random(System.Random random, int m, int n, int k, bool transA, bool transB, float beta, int padding)
        {
            int aRows = transA ? k : m, aCols = transA ? m : k, bRows = transB ? n : k, bCols = transB ? k : n;
            int lda = aCols + padding, ldb = bCols + padding, ldc = n + padding;
            var p = new Problem
            {
                M = m, N = n, K = k, Lda = lda, Ldb = ldb, Ldc = ldc, TransA = transA, TransB = transB, Beta = beta,
                A = Fill(random, aRows, aCols, lda, float.NaN),
                B = Fill(random, bRows, bCols, ldb, float.NaN),
                C0 = Fill(random, m, n, ldc, Sentinel),
            };
            if (beta == 0f)
                for (int i = 0; i < m; i++) p.C0.AsSpan(i * ldc, n).Fill(float.NaN);
            return p;
        }

        static float[] Fill(System.Random random, int rows, int cols, int ld, float pad)
        {
            var x = new float[(rows - 1) * ld + cols + 5];
            Array.Fill(x, pad);
            for (int i = 0; i < rows; i++)
                for (int j = 0; j < cols; j++) x[i * ld + j] = random.NextSingle() * 2f - 1f;
            return x;
        }

        public float[] Run(GemmKernelKind kernel, int threads, GemmSplit? split = null)
        {
            C = (float[])C0.Clone();
            Gemm.MultiplyBatched(TransA, TransB, 1, M, N, K, A, Lda, 0, B, Ldb, 0, C, Ldc, 0, Beta, kernel, threads, split);
            return C;
        }

        double OpA(int i, int p) => TransA ? A[p * Lda + i] : A[i * Lda + p];
        double OpB(int p, int j) => TransB ? B[j * Ldb + p] : B[p * Ldb + j];

        /// <summary>
        /// Each element against a float64 sum, within the rigorous bound for a float32 dot product of length
        /// k: |ĉ − c| ≤ γ_{k+2}·(Σ_p |a_ip·b_pj| + |beta·c_ij|), γ_n = n·u/(1 − n·u), u = 2⁻²⁴ (Higham,
        /// "Accuracy and Stability of Numerical Algorithms", 2nd ed., §3.1; the +2 covers the per-slice
        /// additions and the beta term). Dropping or repeating one product overshoots it by ~1/k² of the sum.
        /// </summary>
        public void AssertMatchesReference()
        {
            const double u = 1.0 / (1 << 24);
            double gamma = (K + 2) * u / (1 - (K + 2) * u);
            // Big products check every row of the first tile band, every 5th row after it, and the last
            // row (all columns of each): enough to see every kernel instantiation, at a fraction of the cost.
            int rowStep = (long)M * N * K > 4_000_000 ? 5 : 1;
            for (int i = 0; i < C.Length; i++)
            {
                int row = i / Ldc, col = i % Ldc;
                if (row >= M || col >= N)
                {
                    Assert.True(C[i] == C0[i], $"C[{i}] outside the {M}×{N} product was overwritten");
                    continue;
                }
                if (row >= 12 && row % rowStep != 0 && row != M - 1) continue;
                double exact = 0, magnitude = 0;
                for (int p = 0; p < K; p++)
                {
                    double t = OpA(row, p) * OpB(p, col);
                    exact += t;
                    magnitude += Math.Abs(t);
                }
                if (Beta != 0f)
                {
                    exact += Beta * (double)C0[i];
                    magnitude += Math.Abs(Beta * (double)C0[i]);
                }
                double error = Math.Abs(C[i] - exact);
                Assert.True(error <= gamma * magnitude + 1e-30,
                    $"{M}×{N}×{K} transA={TransA} transB={TransB} beta={Beta}: C[{row},{col}] = {C[i]}, expected {exact} (error {error:g3} > bound {gamma * magnitude:g3})");
            }
        }
    }
}
