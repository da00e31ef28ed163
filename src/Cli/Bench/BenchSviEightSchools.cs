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

    /// <summary>Steps per second, best of the timer's repetitions.</summary>
    public static double StepsPerSecond()
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
            var svi = new Svi(model, AutoGuide.Create(GuideKind.Normal, model), new SviOptions { Steps = int.MaxValue, Tol = 0 });
            return StepsPerCall / BenchTimer.BestSecondsPerCall(() => svi.Fit(stopAt: svi.Step + StepsPerCall), repetitions: 10);
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
