using System.Diagnostics;

namespace Ppl.Cli.Bench;

/// <summary>
/// Times a benchmark body: a warm-up (tiered JIT, caches, worker threads), then the best of several
/// timed repetitions, each long enough to drown the timer's resolution. Best-of rather than mean because
/// on a shared machine noise only ever adds time, and many short repetitions rather than a few long ones
/// because a short window is likelier to fall between other processes' bursts.
/// </summary>
public static class BenchTimer
{
    /// <summary>
    /// Seconds of warm-up before timing (<c>ppl bench --warmup</c>); longer lets the tiered JIT finish
    /// recompiling hot code, and gives a profiler a steady stretch to sample.
    /// </summary>
    public static double WarmupSeconds { get; set; } = 1.0;

    /// <summary>The fastest observed wall time of one call to <paramref name="body"/>, in seconds.</summary>
    public static double BestSecondsPerCall(Action body, int repetitions = 40, double repetitionSeconds = 0.02)
    {
        double warmupSeconds = WarmupSeconds;
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
