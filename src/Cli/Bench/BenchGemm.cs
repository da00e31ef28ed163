using Ppl.Runtime.Tensors;

namespace Ppl.Cli.Bench;

/// <summary>
/// Single-precision C = A·B (row-major, no transposes, beta = 0) on uniform [0, 1) inputs, in GFLOP/s
/// counting 2·M·N·K flops: the same measurement as numpy's <c>a @ b</c> in shared/bench/numpy_gemm.py.
/// </summary>
public static class BenchGemm
{
    /// <summary>GFLOP/s of an M×K by K×N product on at most <paramref name="threads"/> threads.</summary>
    public static double GflopsPerSecond(int m, int k, int n, int threads, bool transA = false, bool transB = false)
    {
        var random = new Random(1);
        var a = new float[m * k];
        var b = new float[k * n];
        var c = new float[m * n];
        for (int i = 0; i < a.Length; i++) a[i] = random.NextSingle();
        for (int i = 0; i < b.Length; i++) b[i] = random.NextSingle();
        int saved = Gemm.MaxThreads;
        Gemm.MaxThreads = threads;
        try
        {
            double seconds = BenchTimer.BestSecondsPerCall(() =>
                Gemm.Multiply(transA, transB, m, n, k, a, transA ? m : k, b, transB ? k : n, c, n));
            return 2.0 * m * n * k / seconds / 1e9;
        }
        finally
        {
            Gemm.MaxThreads = saved;
        }
    }
}
