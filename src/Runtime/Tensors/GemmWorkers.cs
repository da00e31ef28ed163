using System.Diagnostics;

namespace Ppl.Runtime.Tensors;

/// <summary>
/// A small set of dedicated threads for splitting one product across cores. The caller runs part 0 and
/// waits for the rest, so nothing is allocated per product (unlike <c>Parallel.For</c>'s closures and
/// state), and an idle worker spins briefly before it sleeps: a training step issues its products
/// back to back, and waking a sleeping thread costs tens of microseconds on a virtual machine — as much as
/// a small product itself.
/// </summary>
/// <remarks>
/// One product is in flight at a time. A caller that finds the workers busy (another thread is mid-product)
/// runs all its parts itself, which gives the same result because parts own disjoint tiles of C.
/// </remarks>
internal static class GemmWorkers
{
    /// <summary>How long an idle worker polls for the next product before blocking.</summary>
    static readonly long SpinTicks = Stopwatch.Frequency / 5000; // 200 µs

    static readonly object Gate = new();
    static Worker[] workers = [];
    static GemmJob job;
    static int remaining;
    static Exception? failure;

    /// <summary>Runs every part of <paramref name="work"/> (in parallel when the workers are free); returns when all are done.</summary>
    public static void Run(in GemmJob work)
    {
        if (work.Parts <= 1 || !Monitor.TryEnter(Gate))
        {
            for (int p = 0; p < work.Parts; p++) work.RunPart(p);
            return;
        }
        try
        {
            EnsureWorkers(work.Parts - 1);
            job = work;
            failure = null;
            Volatile.Write(ref remaining, work.Parts - 1);
            for (int w = 0; w < work.Parts - 1; w++) workers[w].Post();
            job.RunPart(0);
            var spin = new SpinWait();
            while (Volatile.Read(ref remaining) != 0) spin.SpinOnce(sleep1Threshold: -1);
            if (failure is { } e) throw new AggregateException("a GEMM worker failed", e);
        }
        finally
        {
            Monitor.Exit(Gate);
        }
    }

    static void EnsureWorkers(int count)
    {
        if (workers.Length >= count) return;
        var grown = new Worker[count];
        Array.Copy(workers, grown, workers.Length);
        for (int i = workers.Length; i < count; i++) grown[i] = new Worker(i + 1);
        workers = grown;
    }

    sealed class Worker
    {
        readonly int part;
        readonly ManualResetEventSlim wake = new(false, spinCount: 1);
        int posted, seen;

        public Worker(int part)
        {
            this.part = part;
            new Thread(Loop) { IsBackground = true, Name = $"ppl-gemm-{part}" }.Start();
        }

        public void Post()
        {
            Interlocked.Increment(ref posted);
            wake.Set();
        }

        void Loop()
        {
            while (true)
            {
                long deadline = Stopwatch.GetTimestamp() + SpinTicks;
                while (Volatile.Read(ref posted) == seen)
                {
                    if (Stopwatch.GetTimestamp() < deadline) { Thread.SpinWait(30); continue; }
                    // Reset before the re-check: a Post after the re-check sets the event again.
                    wake.Reset();
                    if (Volatile.Read(ref posted) == seen) wake.Wait();
                    deadline = Stopwatch.GetTimestamp() + SpinTicks;
                }
                seen++;
                try
                {
                    job.RunPart(part);
                }
                catch (Exception e)
                {
                    failure = e;
                }
                Interlocked.Decrement(ref remaining);
            }
        }
    }
}
