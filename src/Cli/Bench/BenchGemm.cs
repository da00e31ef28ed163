using System.Globalization;
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

    /// <summary>
    /// Each product of one VAE step (784-400-(20+20), 20-400-784 at batch 128; forward Y = X·W, backward dW = Xᵀ·dY and
    /// dX = dY·Wᵀ) timed alone at one and at <paramref name="threads"/> threads, printed on standard error; returns the
    /// one-thread time of them all over the many-thread time.
    /// </summary>
    public static double VaeShapesSpeedup(int threads)
    {
        const int b = 128;
        (int In, int Out)[] layers = [(784, 400), (400, 40), (20, 400), (400, 784)];
        var random = new Random(1);
        float[] Fill(int n) { var x = new float[n]; for (int i = 0; i < n; i++) x[i] = random.NextSingle(); return x; }
        double total1 = 0, totalN = 0;
        foreach (var (k, m) in layers)
        {
            float[] x = Fill(b * k), w = Fill(k * m), y = Fill(b * m);
            (string Name, Action<int> Run)[] products =
            [
                ($"Y = X·W     {b}x{k}·{k}x{m}", t => OnThreads(t, () => Gemm.Multiply(false, false, b, m, k, x, k, w, m, y, m))),
                ($"dW = Xᵀ·dY  {k}x{b}·{b}x{m}", t => OnThreads(t, () => Gemm.Multiply(true, false, k, m, b, x, k, y, m, w, m))),
                ($"dX = dY·Wᵀ  {b}x{m}·{m}x{k}", t => OnThreads(t, () => Gemm.Multiply(false, true, b, k, m, y, m, w, m, x, k))),
            ];
            foreach (var (name, run) in products)
            {
                double one = BenchTimer.BestSecondsPerCall(() => run(1), 20, 0.01);
                double many = BenchTimer.BestSecondsPerCall(() => run(threads), 20, 0.01);
                total1 += one;
                totalN += many;
                Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {name,-28} 1 thread {one * 1e6,8:0.0} µs   {threads} threads {many * 1e6,8:0.0} µs   x{one / many:0.00}"));
            }
        }
        return total1 / totalN;
    }

    static void OnThreads(int threads, Action body)
    {
        int saved = Gemm.MaxThreads;
        Gemm.MaxThreads = threads;
        try { body(); }
        finally { Gemm.MaxThreads = saved; }
    }
}
