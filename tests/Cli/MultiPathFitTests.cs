using System.Globalization;
using System.Text.Json;
using Ppl.Cli.Commands;
using Ppl.Cli.Output;

namespace Ppl.Cli.Tests;

/// <summary>
/// <c>ppl fit --paths K</c> end to end on a one-dimensional target whose mode masses are known exactly,
/// p(x) = 0.8 N(x; −3, 1) + 0.2 N(x; 3, 1): every path's mean-field guide finds one mode, the mixture's resampled
/// draws must put the target's mass on each; and the files, determinism, and what <c>--resume</c>, <c>sample</c> and
/// the other options do with a multi-path fit.
/// </summary>
public sealed class MultiPathFitTests : IDisposable
{
    const string Bimodal = """
        // p(x) = 0.8 N(-3, 1) + 0.2 N(3, 1): a wide prior and a factor that turns it into the target.
        model Bimodal {
          x ~ Normal(0, 10)
          factor log(0.8 * exp(-0.5 * (x + 3) ^ 2) + 0.2 * exp(-0.5 * (x - 3) ^ 2)) + 0.5 * (x / 10) ^ 2
        }
        """;

    readonly string dir = Directory.CreateTempSubdirectory("ppl-paths-").FullName;
    readonly string model;

    public MultiPathFitTests()
    {
        model = Path.Combine(dir, "bimodal.ppl");
        File.WriteAllText(model, Bimodal);
    }

    public void Dispose() => Directory.Delete(dir, recursive: true);

    (int Exit, string Out, string Err) Fit(string name, params string[] args) =>
        Cli.Run(["fit", model, "--seed", "1", "--out", Path.Combine(dir, name), .. args]);

    string File_(string name, string file) => Path.Combine(dir, name, file);

    static void AssertOk((int Exit, string Out, string Err) r) => Assert.True(r.Exit == Program.Ok, r.Err);

    static double[] X(string drawsCsv) =>
        [.. File.ReadLines(drawsCsv).Where(l => !l.StartsWith('#')).Skip(2).Select(l => double.Parse(l.Split(',')[3], CultureInfo.InvariantCulture))];

    [Fact]
    public void Fit_BimodalTargetWithEightPaths_ResampledMassIsTheTargets()
    {
        var r = Fit("p8", "--paths", "8", "--draws", "2000");
        AssertOk(r);
        Assert.Contains("mixture of 8 paths", r.Out);
        var x = X(File_("p8", "draws.csv"));
        Assert.Equal(2000, x.Length);
        // Exact mass of x < 0: 0.8 Φ(3) + 0.2 Φ(−3) = 0.7992. Standard errors: resampling 2,000 draws √(0.16/2000) =
        // 0.0089; the weights' own with ≥ 5,000 effective draws (asserted) √(0.16/5000) = 0.0057; together 0.0106,
        // tolerance 4 of them. The mean −1.8 (sd 2.6) within 4 · 2.6/√2000 = 0.23.
        Assert.Equal(0.7992, x.Count(v => v < 0) / (double)x.Length, 0.043);
        Assert.Equal(-1.8, x.Average(), 0.23);
        using var fit = JsonDocument.Parse(File.ReadAllText(File_("p8", "fit.json")));
        var root = fit.RootElement;
        var mixture = root.GetProperty("mixture");
        Assert.Equal(8, mixture.GetProperty("paths").GetInt32());
        Assert.True(root.GetProperty("resampling").GetProperty("effective_draws").GetDouble() > 5000);
        Assert.Equal(16000, root.GetProperty("resampling").GetProperty("proposals").GetInt32());
        Assert.InRange(mixture.GetProperty("effective_paths").GetDouble(), 1, 8);
        Assert.Equal(JsonValueKind.Number, root.GetProperty("pareto_k").ValueKind);
        var paths = root.GetProperty("paths").EnumerateArray().ToArray();
        Assert.Equal(8, paths.Length);
        Assert.Equal(1, paths.Sum(p => p.GetProperty("share").GetDouble()), 9);
        Assert.Equal([1, 1001, 2001, 3001, 4001, 5001, 6001, 7001], paths.Select(p => p.GetProperty("seed").GetInt32()));
        Assert.Equal(0, paths[0].GetProperty("init_radius").GetDouble());
        // Both modes were found (the left mode's ELBO is log 0.8 above the right's): the test is about the weights.
        var elbos = paths.Select(p => p.GetProperty("elbo").GetDouble()).ToArray();
        Assert.True(elbos.Max() - elbos.Min() > 1, string.Join(", ", elbos));
    }

    [Fact]
    public void Fit_OnePath_IsTheFitWithoutTheOption()
    {
        AssertOk(Fit("plain", "--steps", "300", "--draws", "200", "--quiet"));
        AssertOk(Fit("one", "--paths", "1", "--steps", "300", "--draws", "200", "--quiet"));
        foreach (var f in FitOutputs.Reproducible) Assert.True(File.ReadAllBytes(File_("plain", f)).SequenceEqual(File.ReadAllBytes(File_("one", f))), f);
        Assert.False(Directory.Exists(File_("one", "paths")));
    }

    [Fact]
    public void Fit_PathsSameSeed_GivesIdenticalFiles()
    {
        AssertOk(Fit("a", "--paths", "3", "--steps", "300", "--draws", "200", "--quiet"));
        AssertOk(Fit("b", "--paths", "3", "--steps", "300", "--draws", "200", "--quiet"));
        var files = FitOutputs.Reproducible.Concat(Enumerable.Range(0, 3).SelectMany(p => new[] { $"paths/{p}/params.json", $"paths/{p}/elbo.csv", $"paths/{p}/fit.json" }));
        foreach (var f in files) Assert.True(File.ReadAllBytes(File_("a", f)).SequenceEqual(File.ReadAllBytes(File_("b", f))), f);
    }

    [Fact]
    public void Fit_Paths_ParamsJsonIsTheBestPathsAndSampleSaysSo()
    {
        AssertOk(Fit("a", "--paths", "3", "--steps", "300", "--draws", "200", "--quiet"));
        using var fit = JsonDocument.Parse(File.ReadAllText(File_("a", "fit.json")));
        int best = fit.RootElement.GetProperty("mixture").GetProperty("best_path").GetInt32();
        var elbos = fit.RootElement.GetProperty("paths").EnumerateArray().Select(p => p.GetProperty("elbo").GetDouble()).ToArray();
        Assert.Equal(elbos.Max(), elbos[best]);
        Assert.True(File.ReadAllBytes(File_("a", "params.json")).SequenceEqual(File.ReadAllBytes(File_("a", $"paths/{best}/params.json"))));
        Assert.False(File.Exists(File_("a", "params.json.fitstate")));
        Assert.StartsWith("# paths=3", File.ReadLines(File_("a", "draws.csv")).Single(l => l.StartsWith("# paths=", StringComparison.Ordinal)));
        var sample = Cli.Run("sample", model, "--params", File_("a", "params.json"), "--draws", "5", "--seed", "2");
        Assert.True(sample.Exit == Program.Ok, sample.Err);
        Assert.Contains($"path {best} of a --paths 3 fit", sample.Err);
        var one = Cli.Run("sample", model, "--params", File_("a", "paths/1/params.json"), "--draws", "5", "--seed", "2");
        Assert.True(one.Exit == Program.Ok, one.Err);
        Assert.DoesNotContain("note:", one.Err);
    }

    [Fact]
    public void Fit_Paths_WithResumeCheckpointsOrDistributed_IsAUsageError()
    {
        AssertOk(Fit("a", "--steps", "100", "--draws", "50", "--quiet"));
        foreach (var extra in new[] { new[] { "--resume", Path.Combine(dir, "a") }, ["--checkpoint-every", "50"], ["--distributed"], ["--resample", "off"] })
        {
            var r = Fit("b", ["--paths", "2", "--quiet", .. extra]);
            Assert.Equal(Program.Usage, r.Exit);
            Assert.Contains("--paths 2 cannot be combined with " + extra[0], r.Err);
        }
        var delta = Fit("c", "--paths", "2", "--guide", "delta", "--quiet");
        Assert.Equal(Program.UserError, delta.Exit);
        Assert.Contains("point mass", delta.Err);
    }

    [Fact]
    public void Fit_ResumeFromAPathsFit_IsAUserErrorNamingAPathToResume()
    {
        AssertOk(Fit("a", "--paths", "2", "--steps", "100", "--draws", "50", "--quiet"));
        var r = Fit("b", "--resume", Path.Combine(dir, "a"), "--quiet");
        Assert.Equal(Program.UserError, r.Exit);
        Assert.Contains("holds a --paths 2 fit", r.Err);
        AssertOk(Fit("c", "--resume", Path.Combine(dir, "a", "paths", "1"), "--steps", "150", "--quiet"));
    }

    [Fact]
    public void Fit_IntoAFolderOfALargerPathsFit_RemovesTheStalePaths()
    {
        AssertOk(Fit("a", "--paths", "3", "--steps", "100", "--draws", "50", "--quiet"));
        AssertOk(Fit("a", "--paths", "2", "--steps", "100", "--draws", "50", "--quiet"));
        Assert.True(Directory.Exists(File_("a", "paths/1")));
        Assert.False(Directory.Exists(File_("a", "paths/2")));
        AssertOk(Fit("a", "--steps", "100", "--draws", "50", "--quiet"));
        Assert.Empty(Directory.GetDirectories(File_("a", "paths")));
        Assert.True(File.Exists(File_("a", "params.json.fitstate")));
    }

    const string Mixture = """
        // Two exchangeable components: p(x, w) is the same under swapping them, so every clustering has two copies.
        model Mix {
          data N: int
          data x: real[N]
          weights ~ Dirichlet(ones(2))
          mu: real[2] ~ Normal(0, 10)
          sigma: real<lower=0>[2] ~ HalfNormal(5)
          plate n in N {
            z[n] ~ Categorical(weights)
            x[n] ~ Normal(mu[z[n]], sigma[z[n]])
          }
        }
        """;

    [Fact]
    public void Fit_PathsOfAnExchangeableMixture_WeighOverItsRelabellingsTheSameOnOneThreadAsOnTwo()
    {
        string mix = Path.Combine(dir, "mix.ppl");
        File.WriteAllText(mix, Mixture);
        File.WriteAllText(Path.Combine(dir, "mix.data.json"), """{"N": 12, "x": [-2.1, -1.7, -2.6, -1.9, -2.3, 2.2, 1.8, 2.9, 2.4, 1.6, 2.0, 2.5]}""");
        int saved = Ppl.Runtime.Tensors.Gemm.MaxThreads;
        try
        {
            foreach (int threads in new[] { 1, 2 })
            {
                Ppl.Runtime.Tensors.Gemm.MaxThreads = threads;
                var r = Cli.Run("fit", mix, "--seed", "3", "--guide", "mvn", "--paths", "3", "--steps", "300", "--draws", "300", "--quiet", "--out", Path.Combine(dir, $"t{threads}"));
                Assert.True(r.Exit == Program.Ok, r.Err);
            }
        }
        finally
        {
            Ppl.Runtime.Tensors.Gemm.MaxThreads = saved;
        }
        // Both stages' draws are weighed path by path and block by block, each from a stream of its own.
        Assert.True(File.ReadAllBytes(File_("t1", "draws.csv")).SequenceEqual(File.ReadAllBytes(File_("t2", "draws.csv"))));
        using var fit = JsonDocument.Parse(File.ReadAllText(File_("t1", "fit.json")));
        var resampling = fit.RootElement.GetProperty("resampling");
        Assert.Equal(2, resampling.GetProperty("relabellings").GetInt32());
        Assert.Equal(["mu", "sigma", "weights"], resampling.GetProperty("relabelled_sites").EnumerateArray().Select(e => e.GetString()).Order());
        Assert.Contains(File.ReadLines(File_("t1", "draws.csv")), l => l.StartsWith("# relabellings=2 of ", StringComparison.Ordinal));
        // Each reported draw has its components in ascending order of mu, and the labels z renamed with them: the
        // first five points (near −2) then belong to component 0, the last seven (near 2) to component 1.
        Assert.Equal("mu", resampling.GetProperty("ordered_by").GetString());
        var rows = File.ReadLines(File_("t1", "draws.csv")).Where(l => !l.StartsWith('#')).ToArray();
        var header = rows[0].Split(',');
        int mu1 = Array.IndexOf(header, "mu.1"), mu2 = Array.IndexOf(header, "mu.2"), z1 = Array.IndexOf(header, "z.1");
        var draws = rows.Skip(2).Select(l => l.Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray()).ToArray();
        Assert.All(draws, d => Assert.True(d[mu1] <= d[mu2], $"mu {d[mu1]}, {d[mu2]}"));
        double left = draws.Average(d => Enumerable.Range(z1, 5).Average(j => d[j])), right = draws.Average(d => Enumerable.Range(z1 + 5, 7).Average(j => d[j]));
        Assert.True(left < 0.1 && right > 0.9, $"z means {left}, {right}");
        // A model with no exchangeable components says nothing of relabellings.
        AssertOk(Fit("plain", "--paths", "2", "--steps", "200", "--draws", "100", "--quiet"));
        using var plain = JsonDocument.Parse(File.ReadAllText(File_("plain", "fit.json")));
        Assert.False(plain.RootElement.GetProperty("resampling").TryGetProperty("relabellings", out _));
    }

    /// <summary>Counts the steps it hears and cancels after <paramref name="after"/> of them.</summary>
    sealed class CancelAfter(CancellationTokenSource cancel, int after) : Ppl.Cli.Progress.IFitReporter
    {
        public int Steps;
        public void Start(int maxSteps) { }
        public void Step(int step, double elbo)
        {
            Assert.Equal(++Steps, step);   // the paths' steps arrive as one count, one at a time
            if (Steps == after) cancel.Cancel();
        }
        public void Finish(FitReport report, IReadOnlyList<SummaryRow> summary, string outputDirectory) { }
        public void Dispose() { }
    }

    [Fact]
    public void Run_CancelledWhilePathsRun_BeginsNoMoreAndMixesThoseBegun()
    {
        using var loaded = LoadedModel.Load(model, null, TextWriter.Null)!;
        var data = loaded.BindData([], TextWriter.Null);
        var options = new FitOptions(model, null, [], null, 3000, 0.05, 1, 1, 200, Path.Combine(dir, "c"), "auto", 1e-9, null, false, true) { Paths = 6 };
        var plan = new FitPlan(loaded, data, loaded.ChooseGuide(null), options);
        using var cancel = new CancellationTokenSource();
        var reporter = new CancelAfter(cancel, 200);
        var result = MultiPathFit.Run(plan, reporter, cancel.Token);
        var paths = result.Report.Paths!.Each;
        // At most one path per thread was running when Ctrl-C came (none converges in 200 steps at this tolerance),
        // and each stopped at the end of its step.
        Assert.InRange(paths.Count, 1, Math.Min(Ppl.Runtime.Tensors.Gemm.MaxThreads, 6));
        Assert.All(paths, p => Assert.True(p.Steps < 3000, $"path {p.Path}: {p.Steps} steps"));
        Assert.Equal(reporter.Steps, paths.Sum(p => p.Steps));
        Assert.StartsWith($"interrupted with {paths.Count} of 6 paths begun", result.Report.Convergence.Verdict);
        Assert.Equal(200, result.Posterior.Draws.Length);
    }
}
