using System.Diagnostics;
using Ppl.Inference.Fitting;
using Ppl.Inference.Guides;
using Ppl.Language;
using Ppl.Language.Build;
using Ppl.Language.Diagnostics;
using Ppl.Language.Text;
using Ppl.Runtime.Data;

namespace Ppl.Cli.Bench;

/// <summary>
/// SVI steps per second of the mean-field guide on eight schools (examples/eight_schools, compiled here by the
/// language's <see cref="Compiler"/>), one particle: each step runs the guide and the replayed model on the tape,
/// backpropagates −ELBO and takes an Adam step — <see cref="Svi.Fit(int?)"/>'s loop, timed 100 steps at a time
/// with convergence off.
/// </summary>
public static class BenchSviEightSchools
{
    const int StepsPerCall = 100;

    /// <summary>Steps per second of wall time, best of the timer's repetitions.</summary>
    public static double StepsPerSecond() => WithFit(svi => StepsPerCall / BenchTimer.BestSecondsPerCall(() => svi.Fit(stopAt: svi.Step + StepsPerCall), repetitions: 10));

    /// <summary>
    /// Steps per second of this process's CPU time (<see cref="Process.TotalProcessorTime"/>) over a fixed run after
    /// the warm-up: on a machine shared with other jobs, wall time measures the neighbours, CPU time the step.
    /// </summary>
    public static double StepsPerCpuSecond() => WithFit(svi =>
    {
        Warm(svi);
        const int steps = 20_000;
        var process = Process.GetCurrentProcess();
        process.Refresh();
        var before = process.TotalProcessorTime;
        svi.Fit(stopAt: svi.Step + steps);
        process.Refresh();
        return steps / (process.TotalProcessorTime - before).TotalSeconds;
    });

    /// <summary>Managed bytes a steady step allocates on the fitting thread.</summary>
    public static double BytesPerStep() => WithFit(svi =>
    {
        Warm(svi);
        const int steps = 2_000;
        long before = GC.GetAllocatedBytesForCurrentThread();
        svi.Fit(stopAt: svi.Step + steps);
        return (GC.GetAllocatedBytesForCurrentThread() - before) / (double)steps;
    });

    static void Warm(Svi svi)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed.TotalSeconds < BenchTimer.WarmupSeconds) svi.Fit(stopAt: svi.Step + StepsPerCall);
    }

    /// <summary><paramref name="measure"/> applied to a fresh fit of eight schools with convergence off.</summary>
    static double WithFit(Func<Svi, double> measure)
    {
        var source = Find(Path.Combine("examples", "eight_schools", "eight_schools.ppl"));
        var dir = Directory.CreateTempSubdirectory("ppl-bench-svi").FullName;
        try
        {
            var file = SourceFile.Load(source);
            var compiled = Compiler.Compile(file, new CompileOptions(Path.Combine(dir, "eight_schools.g.cs"), Path.Combine(dir, "cache")));
            if (!compiled.Succeeded) throw new InvalidOperationException(DiagnosticRenderer.RenderAll(file, compiled.Diagnostics));
            using var models = compiled.Assembly!;
            var model = models.Create("EightSchools", DataFiles.Read(Path.ChangeExtension(source, ".data.json")));
            return measure(new Svi(model, AutoGuide.Create(GuideKind.Normal, model), new SviOptions { Steps = int.MaxValue, Tol = 0 }));
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    /// <summary>The repository file at <paramref name="relative"/>, searched upward from the working directory and from the binary.</summary>
    static string Find(string relative)
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            for (var d = new DirectoryInfo(start); d is not null; d = d.Parent)
                if (File.Exists(Path.Combine(d.FullName, relative))) return Path.Combine(d.FullName, relative);
        throw new FileNotFoundException($"svi-eight-schools needs {relative}: run 'ppl bench' inside the repository");
    }
}
