using System.Globalization;
using System.Text.Json;
using Ppl.Cli.Output;

namespace Ppl.Cli.Tests.Commands;

/// <summary>
/// <c>ppl fit</c>, <c>sample</c> and <c>eval</c> end to end in process on eight schools (300 steps, 100 draws: a few
/// seconds): exit codes, every output file and its layout, the ELBO rising, reproducibility, resume, and failures
/// that leave an earlier fit's outputs alone.
/// </summary>
public sealed class FitEndToEndTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("ppl-e2e-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    static string Schools => Path.Combine(Cli.Root(), "examples", "eight_schools", "eight_schools.ppl");

    (int Exit, string Out, string Err) Fit(string name, params string[] args) =>
        Cli.Run(["fit", Schools, "--quiet", "--steps", "300", "--draws", "100", "--seed", "3", "--out", Path.Combine(dir, name), .. args]);

    string Read(string name, string file) => File.ReadAllText(Path.Combine(dir, name, file));

    static void AssertOk((int Exit, string Out, string Err) r) => Assert.True(r.Exit == Program.Ok, r.Err);

    [Fact]
    public void Fit_EightSchools_WritesEveryFileWellFormed()
    {
        AssertOk(Fit("a"));
        foreach (var f in FitOutputs.Files.Append("params.json.fitstate")) Assert.True(File.Exists(Path.Combine(dir, "a", f)), f);
        var summary = Read("a", "summary.csv").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("name,mean,sd,q5,q50,q95", summary[0]);
        Assert.Contains(summary, l => l.StartsWith("theta[7],", StringComparison.Ordinal));
        Assert.Equal(2 + 8 + 8 + 1, summary.Length);
        var draws = Read("a", "draws.csv").Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith('#')).ToArray();
        Assert.StartsWith("lp__,log_p__,log_g__,mu,tau,theta_raw.1,", draws[0]);
        Assert.Equal(1 + 1 + 100, draws.Length); // header, the mean row, the draws
        foreach (var row in draws.Skip(1))
            Assert.All(row.Split(','), v => Assert.True(double.IsFinite(double.Parse(v, CultureInfo.InvariantCulture)), row));
        var elbo = Read("a", "elbo.csv").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("step,elbo", elbo[0]);
        Assert.Equal(301, elbo.Length);
        using var fit = JsonDocument.Parse(Read("a", "fit.json"));
        Assert.Equal("normal", fit.RootElement.GetProperty("guide").GetString());
        using var parameters = JsonDocument.Parse(Read("a", "params.json"));
        Assert.True(Read("a", "elbo.svg").Contains("<svg", StringComparison.Ordinal));
        Assert.True(new FileInfo(Path.Combine(dir, "a", "posterior.png")).Length > 1000);
    }

    [Fact]
    public void Fit_EightSchools_ElboRises()
    {
        AssertOk(Fit("a"));
        var elbo = Read("a", "elbo.csv").Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(l => double.Parse(l.Split(',')[1], CultureInfo.InvariantCulture)).ToArray();
        // The guide starts at scale 0.1 around 0, far from the posterior (tau's sd is about 3): the first 50 steps'
        // mean ELBO sits tens of nats under the last 50's, far beyond the single-draw noise of a few nats.
        Assert.True(elbo[^50..].Average() > elbo[..50].Average() + 5, $"{elbo[..50].Average()} -> {elbo[^50..].Average()}");
    }

    static readonly string[] Deterministic = ["summary.csv", "draws.csv", "elbo.csv", "params.json"];

    [Fact]
    public void Fit_SameSeed_GivesIdenticalFiles()
    {
        AssertOk(Fit("a"));
        AssertOk(Fit("b"));
        foreach (var f in FitOutputs.Reproducible) Assert.True(File.ReadAllBytes(Path.Combine(dir, "a", f)).SequenceEqual(File.ReadAllBytes(Path.Combine(dir, "b", f))), f);
    }

    [Fact]
    public void Fit_Resumed_EqualsUninterrupted()
    {
        AssertOk(Fit("whole"));
        AssertOk(Cli.Run("fit", Schools, "--quiet", "--steps", "120", "--draws", "100", "--seed", "3", "--out", Path.Combine(dir, "half")));
        AssertOk(Fit("rest", "--resume", Path.Combine(dir, "half")));
        foreach (var f in Deterministic) Assert.True(Read("whole", f) == Read("rest", f), f);
    }

    [Fact]
    public void Fit_CheckpointEvery_SameOutputsAndTheCheckpointsResumeAlike()
    {
        // Checkpoints only write: the fit with them gives the files of the fit without. A fit paused at the budget
        // of 120 steps, checkpointed every 40 (its last checkpoint, step 120, is its final state), resumes to the same.
        AssertOk(Fit("whole"));
        AssertOk(Fit("checkpointed", "--checkpoint-every", "40"));
        foreach (var f in Deterministic) Assert.True(Read("whole", f) == Read("checkpointed", f), f);
        AssertOk(Cli.Run("fit", Schools, "--quiet", "--steps", "120", "--draws", "100", "--seed", "3", "--checkpoint-every", "40", "--out", Path.Combine(dir, "half")));
        AssertOk(Fit("rest", "--resume", Path.Combine(dir, "half")));
        foreach (var f in Deterministic) Assert.True(Read("whole", f) == Read("rest", f), f);
        Assert.Empty(Directory.GetFiles(Path.Combine(dir, "half"), "*.tmp"));
    }

    [Fact]
    public void Fit_AveragedAndResumedInsideTheAnnealing_EqualsUninterrupted()
    {
        // --average 500: a fit run to convergence (about 2,400 steps, a second), and the same fit stopped 700 steps into
        // its annealing, 200 into the average, then resumed: the checkpoint carries the running sums, so the files agree.
        string[] common = ["fit", Schools, "--quiet", "--draws", "100", "--seed", "3", "--average", "500"];
        AssertOk(Cli.Run([.. common, "--out", Path.Combine(dir, "whole")]));
        using var fit = JsonDocument.Parse(Read("whole", "fit.json"));
        Assert.Equal(500, fit.RootElement.GetProperty("average_steps").GetInt32());
        string verdict = fit.RootElement.GetProperty("convergence").GetProperty("verdict").GetString()!;
        Assert.EndsWith("the parameters are the mean of the last 500 iterates", verdict);
        int annealFrom = int.Parse(System.Text.RegularExpressions.Regex.Match(verdict, @"converged at step (\d+)").Groups[1].Value, CultureInfo.InvariantCulture);
        AssertOk(Cli.Run([.. common, "--steps", (annealFrom + 700).ToString(CultureInfo.InvariantCulture), "--out", Path.Combine(dir, "half")]));
        AssertOk(Cli.Run([.. common, "--resume", Path.Combine(dir, "half"), "--out", Path.Combine(dir, "rest")]));
        foreach (var f in Deterministic) Assert.True(Read("whole", f) == Read("rest", f), f);
        Assert.Equal(Read("whole", "fit.json"), Read("rest", "fit.json"));
    }

    [Fact]
    public void Fit_FailingRerun_LeavesTheOldOutputs()
    {
        AssertOk(Fit("a"));
        var before = Directory.GetFiles(Path.Combine(dir, "a")).ToDictionary(f => f, File.ReadAllBytes);
        var r = Fit("a", "--estimator", "disarm");
        Assert.Equal(Program.UserError, r.Exit);
        Assert.DoesNotContain("   at ", r.Err);
        Assert.Equal(before.Keys.Order(), Directory.GetFiles(Path.Combine(dir, "a")).Order());
        foreach (var (f, bytes) in before) Assert.True(bytes.AsSpan().SequenceEqual(File.ReadAllBytes(f)), f);
    }

    [Fact]
    public void Fit_NonCentredSchools_FitJsonSaysWhichSiteTheGuideCentredAndWhy()
    {
        AssertOk(Fit("a"));
        using var fit = JsonDocument.Parse(Read("a", "fit.json"));
        var site = Assert.Single(fit.RootElement.GetProperty("recentred").EnumerateArray());
        Assert.Equal("theta_raw", site.GetProperty("site").GetString());
        Assert.Equal("mu + tau * theta_raw", site.GetProperty("use").GetString());
        Assert.InRange(site.GetProperty("centredness").GetDouble(), 0, 1);
        Assert.Contains("auto_normal.theta_raw.centredness", Read("a", "params.json"));

        AssertOk(Fit("off", "--recentre", "off"));
        using var off = JsonDocument.Parse(Read("off", "fit.json"));
        Assert.False(off.RootElement.TryGetProperty("recentred", out _));
        Assert.DoesNotContain("centredness", Read("off", "params.json"));
    }

    [Theory]
    [InlineData("auto", "off")]
    [InlineData("off", "auto")]
    public void Fit_ResumedUnderTheOtherRecentre_ContinuesTheSavedFitsGuide(string first, string then)
    {
        // The saved parameters decide which guide reads them, so the resumed fit equals the uninterrupted one.
        AssertOk(Fit("whole", "--recentre", first));
        AssertOk(Cli.Run("fit", Schools, "--quiet", "--steps", "120", "--draws", "100", "--seed", "3", "--recentre", first, "--out", Path.Combine(dir, "half")));
        AssertOk(Fit("rest", "--resume", Path.Combine(dir, "half"), "--recentre", then));
        Assert.Equal(Read("whole", "params.json"), Read("rest", "params.json"));
    }

    [Theory]
    [InlineData("auto", 1)]
    [InlineData("off", 0)]   // a params.json without λ (--recentre off, or written before the centring) holds r's own coordinates
    public void SampleAndEval_ParamsOfAFit_ReadWithTheGuideThatFittedThem(string recentre, int centred)
    {
        AssertOk(Fit("a", "--recentre", recentre));
        using var loaded = LoadedModel.Load(Schools, null, TextWriter.Null);
        var fitted = FittedModel.Load(loaded, [], Path.Combine(dir, "a", "params.json"), 1, TextWriter.Null);
        var guide = Assert.IsAssignableFrom<Ppl.Inference.Guides.AutoGuide>(fitted!.Guide);
        Assert.Equal(centred, guide.RecentredSites.Count);
    }

    [Fact]
    public void Eval_FittedSchools_PrintsElboAndIwaePerDataPoint()
    {
        AssertOk(Fit("a"));
        var (exit, stdout, stderr) = Cli.Run("eval", Schools, "--params", Path.Combine(dir, "a", "params.json"), "--iw", "50");
        Assert.True(exit == Program.Ok, stderr);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("elbo: ", lines[0]);
        Assert.StartsWith("iwae[50]: ", lines[1]);
        double elbo = double.Parse(lines[0]["elbo: ".Length..], CultureInfo.InvariantCulture);
        double iwae = double.Parse(lines[1]["iwae[50]: ".Length..], CultureInfo.InvariantCulture);
        // Per data point: eight schools' log evidence is about −31 nats over 8 points, about −4 each.
        Assert.InRange(elbo, -8, -2);
        Assert.InRange(iwae, -8, -2);
    }

    [Fact]
    public void Sample_FittedSchools_WritesPredictiveDraws()
    {
        AssertOk(Fit("a"));
        string csv = Path.Combine(dir, "pred.csv");
        var (exit, _, stderr) = Cli.Run("sample", Schools, "--params", Path.Combine(dir, "a", "params.json"), "--draws", "40", "--out", csv);
        Assert.True(exit == Program.Ok, stderr);
        var lines = File.ReadAllLines(csv);
        Assert.Equal(41, lines.Length);
        var header = lines[0].Split(',');
        Assert.Contains("y[7]", header);
        Assert.Contains("mu", header);
        Assert.All(lines.Skip(1), l => Assert.Equal(header.Length, l.Split(',').Length));
    }

    [Fact]
    public void Sample_MissingParams_IsAUserError()
    {
        var (exit, _, stderr) = Cli.Run("sample", Schools, "--params", Path.Combine(dir, "none", "params.json"));
        Assert.Equal(Program.UserError, exit);
        Assert.Contains("no such parameter file", stderr);
    }

    [Fact]
    public void Fit_AlwaysNonFiniteDensity_NamesTheSiteAndLine()
    {
        string model = Path.Combine(dir, "bad.ppl");
        File.WriteAllText(model, "model Bad {\n  data y: real\n  s ~ Normal(0, 1)\n  y ~ Normal(log(-exp(s)), 1)\n}\n");
        File.WriteAllText(Path.Combine(dir, "bad.data.json"), """{"y": 1}""");
        var (exit, _, stderr) = Cli.Run("fit", model, "--quiet", "--out", Path.Combine(dir, "bad"));
        Assert.Equal(Program.UserError, exit);
        Assert.Contains("bad.ppl:4:3: the log density of site 'y' was not finite", stderr);
        Assert.DoesNotContain("   at ", stderr);
        Assert.False(Directory.Exists(Path.Combine(dir, "bad")));
    }

    [Fact]
    public void Fit_PathwiseOnADiscreteSite_IsAUserError()
    {
        string model = Path.Combine(Cli.Root(), "examples", "changepoint", "changepoint.ppl");
        var (exit, _, stderr) = Cli.Run("fit", model, "--quiet", "--steps", "5", "--estimator", "pathwise", "--out", Path.Combine(dir, "cp"));
        Assert.Equal(Program.UserError, exit);
        Assert.Contains("site 's': the pathwise estimator needs a reparameterized draw", stderr);
    }
}
