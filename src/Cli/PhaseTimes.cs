using System.Diagnostics;

namespace Ppl.Cli;

/// <summary>
/// Where a fresh <c>ppl</c> process spends its time, printed to stderr at exit when <c>PPL_TRACE_TIMES=1</c>: the time
/// from the process's start to <c>Main</c> (runtime start, host resolution), then each phase marked by
/// <see cref="Mark"/> as milliseconds of wall time and of this process's CPU time. Off, a mark is one flag test.
/// </summary>
public static class PhaseTimes
{
    /// <summary>True when <c>PPL_TRACE_TIMES=1</c>.</summary>
    public static bool Enabled { get; } = Environment.GetEnvironmentVariable("PPL_TRACE_TIMES") == "1";

    static readonly List<(string Phase, double WallMs, double CpuMs)> Phases = [];
    static long lastTicks;
    static TimeSpan lastCpu;

    /// <summary>Starts the clock at <c>Main</c>; records the time since the process started as <c>runtime start</c>.</summary>
    public static void Start()
    {
        if (!Enabled) return;
        using var self = Process.GetCurrentProcess();
        lastTicks = Stopwatch.GetTimestamp();
        lastCpu = self.TotalProcessorTime;
        Phases.Add(("runtime start → Main", (DateTime.Now - self.StartTime).TotalMilliseconds, lastCpu.TotalMilliseconds));
    }

    /// <summary>Ends the current phase, naming it.</summary>
    public static void Mark(string phase)
    {
        if (!Enabled) return;
        long now = Stopwatch.GetTimestamp();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        Phases.Add((phase, Stopwatch.GetElapsedTime(lastTicks, now).TotalMilliseconds, (cpu - lastCpu).TotalMilliseconds));
        lastTicks = Stopwatch.GetTimestamp();
        lastCpu = cpu;
    }

    /// <summary>Prints the phases to <paramref name="stderr"/>.</summary>
    public static void Report(TextWriter stderr)
    {
        if (!Enabled) return;
        stderr.WriteLine("phase                              wall ms    cpu ms");
        foreach (var (phase, wall, cpu) in Phases) stderr.WriteLine($"{phase,-32} {wall,9:0.0} {cpu,9:0.0}");
        stderr.WriteLine($"{"total",-32} {Phases.Sum(p => p.WallMs),9:0.0} {Phases.Sum(p => p.CpuMs),9:0.0}");
    }
}
