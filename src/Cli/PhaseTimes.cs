using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Ppl.Cli;

/// <summary>
/// Where a fresh <c>ppl</c> process spends its time, printed to stderr at exit when <c>PPL_TRACE_TIMES=1</c>: the time
/// from the process's start to <c>Main</c> (runtime start, host resolution), then each phase marked by
/// <see cref="Mark"/>, as milliseconds of wall time, of the main thread's CPU time (Linux; elsewhere shown as 0) and of
/// the whole process's CPU time (which includes the plot warm-up and the runtime's own threads: JIT, GC), and the
/// methods the JIT compiled in the phase with its time (what ReadyToRun did not precompile, plus tier-1 rejits), the
/// megabytes allocated and the gen-0 collections.
/// Off, a mark is one flag test.
/// </summary>
public static partial class PhaseTimes
{
    /// <summary>True when <c>PPL_TRACE_TIMES=1</c>.</summary>
    public static bool Enabled { get; } = Environment.GetEnvironmentVariable("PPL_TRACE_TIMES") == "1";

    static readonly List<(string Phase, double WallMs, double ThreadMs, double CpuMs, long Jitted, double JitMs, double AllocMb, int Gen0)> Phases = [];
    static long lastTicks;
    static double lastThread;
    static TimeSpan lastCpu;
    static long lastJitted;
    static TimeSpan lastJit;
    static long lastAllocated;
    static int lastGen0;

    /// <summary>Starts the clock at <c>Main</c>; records the time since the process started as <c>runtime start</c>.</summary>
    public static void Start()
    {
        if (!Enabled) return;
        using var self = Process.GetCurrentProcess();
        lastTicks = Stopwatch.GetTimestamp();
        lastCpu = self.TotalProcessorTime;
        lastThread = ThreadCpuMs();
        lastJitted = System.Runtime.JitInfo.GetCompiledMethodCount();
        lastJit = System.Runtime.JitInfo.GetCompilationTime();
        lastAllocated = GC.GetTotalAllocatedBytes();
        lastGen0 = GC.CollectionCount(0);
        Phases.Add(("runtime start → Main", (DateTime.Now - self.StartTime).TotalMilliseconds, lastThread, lastCpu.TotalMilliseconds, lastJitted, lastJit.TotalMilliseconds,
            lastAllocated / 1e6, lastGen0));
    }

    /// <summary>Ends the current phase, naming it.</summary>
    public static void Mark(string phase)
    {
        if (!Enabled) return;
        long now = Stopwatch.GetTimestamp();
        using var self = Process.GetCurrentProcess();
        var cpu = self.TotalProcessorTime;
        double thread = ThreadCpuMs();
        long jitted = System.Runtime.JitInfo.GetCompiledMethodCount();
        var jit = System.Runtime.JitInfo.GetCompilationTime();
        long allocated = GC.GetTotalAllocatedBytes();
        int gen0 = GC.CollectionCount(0);
        Phases.Add((phase, Stopwatch.GetElapsedTime(lastTicks, now).TotalMilliseconds, thread - lastThread, (cpu - lastCpu).TotalMilliseconds,
            jitted - lastJitted, (jit - lastJit).TotalMilliseconds, (allocated - lastAllocated) / 1e6, gen0 - lastGen0));
        lastAllocated = allocated;
        lastGen0 = gen0;
        lastTicks = Stopwatch.GetTimestamp();
        lastCpu = cpu;
        lastThread = thread;
        lastJitted = jitted;
        lastJit = jit;
    }

    /// <summary>Prints the phases to <paramref name="stderr"/>.</summary>
    public static void Report(TextWriter stderr)
    {
        if (!Enabled) return;
        stderr.WriteLine("phase                              wall ms  main cpu  proc cpu   jitted    jit ms  alloc MB  gen0 GCs");
        foreach (var (phase, wall, thread, cpu, jitted, jit, alloc, gen0) in Phases)
            stderr.WriteLine($"{phase,-32} {wall,9:0.0} {thread,9:0.0} {cpu,9:0.0} {jitted,8} {jit,9:0.0} {alloc,9:0.0} {gen0,9}");
        stderr.WriteLine($"{"total",-32} {Phases.Sum(p => p.WallMs),9:0.0} {Phases.Sum(p => p.ThreadMs),9:0.0} {Phases.Sum(p => p.CpuMs),9:0.0} {Phases.Sum(p => p.Jitted),8} {Phases.Sum(p => p.JitMs),9:0.0} {Phases.Sum(p => p.AllocMb),9:0.0} {Phases.Sum(p => p.Gen0),9}");
    }

    [StructLayout(LayoutKind.Sequential)]
    struct TimeSpec
    {
        public long Seconds, Nanoseconds;
    }

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int ClockGetTime(int clock, out TimeSpec time);

    /// <summary>This thread's CPU time (CLOCK_THREAD_CPUTIME_ID), in ms; 0 where there is no such clock.</summary>
    static double ThreadCpuMs()
    {
        if (!OperatingSystem.IsLinux()) return 0;
        try { return ClockGetTime(3, out var t) == 0 ? t.Seconds * 1e3 + t.Nanoseconds / 1e6 : 0; }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException) { return 0; }
    }
}
