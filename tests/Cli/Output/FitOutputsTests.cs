using System.Text.Json;
using Ppl.Cli.Output;

namespace Ppl.Cli.Tests.Output;

/// <summary>The output folder of a fit: every file, all or nothing, identical for identical inputs.</summary>
public sealed class FitOutputsTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("ppl-out-").FullName;

    public void Dispose()
    {
        // PPL_KEEP_OUTPUT=DIR keeps a sample output folder to look at (the plots especially).
        if (Environment.GetEnvironmentVariable("PPL_KEEP_OUTPUT") is { Length: > 0 } keep)
            foreach (var f in Directory.GetFiles(Path.Combine(dir, "a"))) { Directory.CreateDirectory(keep); File.Copy(f, Path.Combine(keep, Path.GetFileName(f)), true); }
        Directory.Delete(dir, recursive: true);
    }

    [Fact]
    public void Write_FreshFolder_WritesEveryFileAndNoTemporaries()
    {
        string outDir = Path.Combine(dir, "a");
        FitOutputs.Write(outDir, SampleFit.Result());
        Assert.Equal(FitOutputs.Files.Order(), Directory.GetFiles(outDir).Select(Path.GetFileName).Order());
        Assert.Equal("step,elbo", File.ReadLines(Path.Combine(outDir, "elbo.csv")).First());
        Assert.Equal(1001, File.ReadLines(Path.Combine(outDir, "elbo.csv")).Count());
        Assert.Equal(19, File.ReadLines(Path.Combine(outDir, "summary.csv")).Count());
        var png = File.ReadAllBytes(Path.Combine(outDir, "posterior.png"));
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png[..4]);
        Assert.True(png.Length > 5000, $"posterior.png is only {png.Length} bytes");
        Assert.Contains("<svg", File.ReadAllText(Path.Combine(outDir, "elbo.svg")));
        Assert.Contains("theta_raw[7]", File.ReadAllText(Path.Combine(outDir, "posterior.svg")));
    }

    [Fact]
    public void FitJson_HoldsSettingsEstimatorsAndConvergenceButNoTiming()
    {
        string outDir = Path.Combine(dir, "a");
        FitOutputs.Write(outDir, SampleFit.Result() with { Report = SampleFit.Report(k: 0.83) });
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "fit.json")));
        var root = doc.RootElement;
        Assert.Equal(1, root.GetProperty("seed").GetInt32());
        Assert.Equal(2400, root.GetProperty("steps").GetInt32());
        Assert.Equal("normal", root.GetProperty("guide").GetString());
        Assert.Equal("Normal is reparameterizable", root.GetProperty("estimators")[0].GetProperty("reason").GetString());
        Assert.True(root.GetProperty("convergence").GetProperty("converged").GetBoolean());
        Assert.Equal(0.83, root.GetProperty("pareto_k").GetDouble());
        Assert.Contains("> 0.7", root.GetProperty("pareto_k_warning").GetString());
        Assert.False(string.IsNullOrEmpty(root.GetProperty("version").GetString()));
        Assert.False(root.TryGetProperty("wall_seconds", out _));
        Assert.False(root.TryGetProperty("steps_per_second", out _));
    }

    [Fact]
    public void TimingJson_HoldsWallTimeAndStepsPerSecond()
    {
        string outDir = Path.Combine(dir, "a");
        FitOutputs.Write(outDir, SampleFit.Result());
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "timing.json")));
        var root = doc.RootElement;
        Assert.Equal(2400, root.GetProperty("steps").GetInt32());
        Assert.Equal(1.2, root.GetProperty("wall_seconds").GetDouble());
        Assert.Equal(2000, root.GetProperty("steps_per_second").GetDouble());
    }

    [Fact]
    public void Write_FailingMidway_LeavesThePreviousOutputsIntact()
    {
        string outDir = Path.Combine(dir, "a");
        FitOutputs.Write(outDir, SampleFit.Result());
        var before = FitOutputs.Files.ToDictionary(f => f, f => File.ReadAllBytes(Path.Combine(outDir, f)));
        var changed = SampleFit.Result(_ => throw new IOException("disk full")) with { Trace = SampleFit.Trace(10) };
        var e = Assert.Throws<OutputException>(() => FitOutputs.Write(outDir, changed));
        Assert.Contains("disk full", e.Message);
        foreach (var (f, bytes) in before) Assert.Equal(bytes, File.ReadAllBytes(Path.Combine(outDir, f)));
        Assert.Equal(FitOutputs.Files.Count, Directory.GetFiles(outDir).Length);
    }

    [Fact]
    public void Write_SameInputs_GiveIdenticalFilesExceptTimings()
    {
        FitOutputs.Write(Path.Combine(dir, "a"), SampleFit.Result());
        FitOutputs.Write(Path.Combine(dir, "b"), SampleFit.Result() with { Report = SampleFit.Report() with { WallSeconds = 3.7 } });
        Assert.NotEqual(File.ReadAllBytes(Path.Combine(dir, "a", "timing.json")), File.ReadAllBytes(Path.Combine(dir, "b", "timing.json")));
        foreach (var f in FitOutputs.Reproducible)
            Assert.True(File.ReadAllBytes(Path.Combine(dir, "a", f)).SequenceEqual(File.ReadAllBytes(Path.Combine(dir, "b", f))), f);
    }
}
