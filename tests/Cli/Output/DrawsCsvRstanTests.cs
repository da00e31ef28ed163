using System.Diagnostics;
using System.Globalization;

namespace Ppl.Cli.Tests.Output;

/// <summary>
/// A real Stan client reads our draws.csv: rstan's <c>read_stan_csv</c> (Debian's r-cran-rstan) on a short eight
/// schools fit, its per-parameter means equal to summary.csv's. Skipped with the reason when Rscript or rstan is
/// missing; not required under CI (.ci/run does not install R).
/// </summary>
public sealed class DrawsCsvRstanTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("ppl-rstan-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    static string? OnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);

    static (int Code, string Out, string Err) Rscript(string rscript, string code)
    {
        var start = new ProcessStartInfo(rscript) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-e");
        start.ArgumentList.Add(code);
        using var p = Process.Start(start)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromMinutes(3)))
        {
            p.Kill(entireProcessTree: true);
            Assert.Fail("Rscript did not finish in 3 minutes");
        }
        return (p.ExitCode, stdout.Result, stderr.Result);
    }

    [SkippableFact]
    public void DrawsCsv_ReadByRstan_GivesSummaryMeans()
    {
        var rscript = OnPath("Rscript");
        Skip.If(rscript is null, "Rscript not found: install r-cran-rstan (Debian) to check that rstan reads draws.csv");
        var probe = Rscript(rscript!, "quit(status = if (nzchar(system.file(package = 'rstan'))) 0 else 1)");
        Skip.If(probe.Code != 0, "R has no rstan: install r-cran-rstan (Debian) to check that rstan reads draws.csv");

        string outDir = Path.Combine(dir, "fit");
        var fit = Cli.Run("fit", Path.Combine(Cli.Root(), "examples", "eight_schools", "eight_schools.ppl"),
            "--quiet", "--steps", "300", "--draws", "200", "--out", outDir);
        Assert.True(fit.Exit == Program.Ok, fit.Err);
        string draws = Path.Combine(outDir, "draws.csv").Replace("\\", "/");
        var (code, stdout, stderr) = Rscript(rscript!,
            $"suppressMessages(library(rstan)); f <- read_stan_csv('{draws}'); s <- summary(f)$summary; " +
            "cat(sprintf('%s=%.9g', rownames(s), s[, 'mean']), sep = '\\n')");
        Assert.True(code == 0, stderr);
        var rstan = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('='))
            .ToDictionary(kv => kv[0], kv => double.Parse(kv[1], CultureInfo.InvariantCulture));

        // rstan names theta[1] what Ppl's summary names theta[0]; the means are of the same 200 draws (rstan drops
        // the first row, the approximation's mean), so they agree to the 6 significant digits summary.csv prints.
        var summary = File.ReadAllLines(Path.Combine(outDir, "summary.csv")).Skip(1).Select(l => l.Split(',')).ToArray();
        Assert.Equal(2 + 8 + 8, summary.Length);
        foreach (var row in summary)
        {
            string name = row[0].Contains('[')
                ? $"{row[0][..row[0].IndexOf('[')]}[{int.Parse(row[0][(row[0].IndexOf('[') + 1)..^1], CultureInfo.InvariantCulture) + 1}]"
                : row[0];
            double mean = double.Parse(row[1], CultureInfo.InvariantCulture);
            Assert.True(rstan.TryGetValue(name, out double r), $"rstan has no {name}: {string.Join(", ", rstan.Keys)}");
            Assert.True(Math.Abs(r - mean) <= 1e-5 * Math.Max(1, Math.Abs(mean)), $"{name}: rstan {r}, summary.csv {mean}");
        }
    }
}
