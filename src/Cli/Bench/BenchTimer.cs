using System.Diagnostics;

namespace Ppl.Cli.Bench;

/// <summary>
/// Times a benchmark body: a warm-up (tiered JIT, caches, worker threads), then the best of several
/// timed repetitions, each long enough to drown the timer's resolution. Best-of rather than mean because
/// on a shared machine noise only ever adds time.
/// </summary>
public static class BenchTimer
{
    /// <summary>The fastest observed wall time of one call to <paramref name="body"/>, in seconds.</summary>
    public static double BestSecondsPerCall(Action body, double warmupSeconds = 0.5, int repetitions = 7, double repetitionSeconds = 0.15)
    {
        int calls = 1;
        var clock = Stopwatch.StartNew();
        // Warm up, and learn how many calls fill one repetition.
        while (clock.Elapsed.TotalSeconds < warmupSeconds)
        {
            long start = Stopwatch.GetTimestamp();
            for (int i = 0; i < calls; i++) body();
            double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
            if (seconds < repetitionSeconds) calls = (int)Math.Min(1 << 24, calls * 2L);
        }
        double best = double.MaxValue;
        for (int r = 0; r < repetitions; r++)
        {
            long start = Stopwatch.GetTimestamp();
            for (int i = 0; i < calls; i++) body();
            best = Math.Min(best, Stopwatch.GetElapsedTime(start).TotalSeconds / calls);
        }
        return best;
    }
}
