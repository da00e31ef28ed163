using System.Globalization;
using System.Text.Json;
using Xunit.Abstractions;

namespace Ppl.Mpi.Tests;

/// <summary>
/// <c>ppl fit --distributed</c> end to end: ppl.dll itself under <c>mpiexec.mpich -n 2</c> on a regression whose data
/// plate is subsampled (N = 256, 32 per step, 16 per rank). The launches use <c>-disable-auto-cleanup</c>, the launch
/// docs/distributed.md recommends, except where a test needs Hydra's default.
/// </summary>
public sealed class DistributedFitTests(DistributedFitTests.Folder folder, ITestOutputHelper output) : IClassFixture<DistributedFitTests.Folder>
{
    const int Steps = 120, Checkpoint = 20, KillAt = 50, Part = 40;

    /// <summary>The model, its data (written here, from a fixed formula) and the runs several tests compare against.</summary>
    public sealed class Folder : IDisposable
    {
        readonly Dictionary<string, MpiExec.Outcome> runs = new();

        /// <summary>Writes reg.ppl and reg.data.json into a fresh temporary folder.</summary>
        public Folder()
        {
            Directory.CreateDirectory(Root);
            File.WriteAllText(Model, """
                model Reg {
                  data N: int
                  data x: real[N]
                  data y: real[N]
                  a ~ Normal(0, 10)
                  b ~ Normal(0, 10)
                  sigma ~ HalfNormal(2)
                  plate n in N subsample 32 {
                    y[n] ~ Normal(a + b * x[n], sigma)
                  }
                }
                """);
            // y = 1 + 2x + noise, with x and the noise from a fixed integer hash: the same bytes on every machine.
            const int n = 256;
            var x = new double[n];
            var y = new double[n];
            for (int i = 0; i < n; i++)
            {
                x[i] = Math.Round(2.0 * Unit(i, 1) - 1, 4);
                double noise = 0.5 * (Unit(i, 2) + Unit(i, 3) + Unit(i, 4) - 1.5) * 2;
                y[i] = Math.Round(1 + 2 * x[i] + noise, 4);
            }
            string List(double[] v) => string.Join(", ", v.Select(d => d.ToString("R", CultureInfo.InvariantCulture)));
            File.WriteAllText(Path.ChangeExtension(Model, ".data.json"), $"{{\"N\": {n}, \"x\": [{List(x)}], \"y\": [{List(y)}]}}");
        }

        static double Unit(int i, int stream)
        {
            ulong h = (ulong)i * 0x9E3779B97F4A7C15UL ^ (ulong)stream * 0xBF58476D1CE4E5B9UL;
            h = (h ^ (h >> 30)) * 0xBF58476D1CE4E5B9UL;
            h = (h ^ (h >> 27)) * 0x94D049BB133111EBUL;
            return (h ^ (h >> 31)) / 18446744073709551616.0;
        }

        /// <summary>The temporary folder.</summary>
        public string Root { get; } = Path.Combine(Path.GetTempPath(), $"ppl-distributed-{Guid.NewGuid():N}");

        /// <summary>The model file.</summary>
        public string Model => Path.Combine(Root, "reg.ppl");

        /// <summary>A run made once and shared by the tests that compare against it.</summary>
        public MpiExec.Outcome Once(string name, Func<MpiExec.Outcome> run)
        {
            lock (runs)
            {
                if (!runs.TryGetValue(name, out var r)) runs[name] = r = run();
                return r;
            }
        }

        /// <summary>Deletes the folder.</summary>
        public void Dispose()
        {
            try { Directory.Delete(Root, true); } catch (IOException) { }
        }
    }

    string Out(string name) => Path.Combine(folder.Root, name);

    IEnumerable<string> Fit(int steps, string outDir, params string[] more) =>
        MpiExec.Dotnet("ppl.dll").Concat(["fit", folder.Model, "--steps", steps.ToString(), "--seed", "3", "--draws", "200", "--quiet", "--out", outDir, .. more]);

    MpiExec.Outcome TwoRanks(int steps, string outDir, params string[] more) =>
        MpiExec.Run(output, ["-disable-auto-cleanup", "-n", "2"], Fit(steps, outDir, ["--distributed", .. more]));

    /// <summary>The uninterrupted two-rank fit of <see cref="Steps"/> steps.</summary>
    string Full() => Done(folder.Once("full", () => TwoRanks(Steps, Out("full"))), Out("full"));

    /// <summary>The two-rank fit stopped at the budget of <see cref="Part"/> steps: the state every checkpoint of step 40 must hold.</summary>
    string FirstPart() => Done(folder.Once("part", () => TwoRanks(Part, Out("part"))), Out("part"));

    static string Done(MpiExec.Outcome r, string dir)
    {
        Assert.True(r.Code == 0, $"exit {r.Code}: {r.All}");
        return dir;
    }

    /// <summary>Each parameter's unconstrained values (the "unconstrained" array where the file has one, else "value").</summary>
    static Dictionary<string, float[]> Parameters(string dir)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "params.json")));
        return json.RootElement.GetProperty("parameters").EnumerateObject().ToDictionary(p => p.Name, p =>
            (p.Value.TryGetProperty("unconstrained", out var u) ? u : p.Value.GetProperty("value")).EnumerateArray().Select(v => v.GetSingle()).ToArray());
    }

    static double[] Elbo(string dir) =>
        File.ReadLines(Path.Combine(dir, "elbo.csv")).Skip(1).Select(l => double.Parse(l.Split(',')[1], CultureInfo.InvariantCulture)).ToArray();

    static void SameBytes(string expectedDir, string actualDir, params string[] files)
    {
        foreach (var f in files)
            Assert.True(File.ReadAllBytes(Path.Combine(expectedDir, f)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(actualDir, f))),
                $"{f} differs between {expectedDir} and {actualDir}");
    }

    static void NoTemporaryFiles(string dir) =>
        Assert.DoesNotContain(Directory.GetFiles(dir), f => f.EndsWith(".tmp", StringComparison.Ordinal));

    [SkippableFact]
    public void Fit_TwoRanks_RankZeroAloneWritesTheOneProcessFit()
    {
        var one = MpiExec.Run(output, null, Fit(Steps, Out("one")));
        Done(one, Out("one"));
        // Each rank in a working folder of its own and --out relative: a write by rank 1 would appear under b/.
        string a = Out("a"), b = Out("b");
        Directory.CreateDirectory(a);
        Directory.CreateDirectory(b);
        var rank = Fit(Steps, "out", "--distributed").ToArray();
        var two = MpiExec.Run(output, ["-disable-auto-cleanup", "-n", "1", "-wdir", a, .. rank, ":", "-n", "1", "-wdir", b], rank);
        Done(two, a);
        Assert.Empty(Directory.GetFileSystemEntries(b));
        string written = Path.Combine(a, "out");
        Assert.Equal(Directory.GetFiles(Out("one")).Select(Path.GetFileName).Order(), Directory.GetFiles(written).Select(Path.GetFileName).Order());

        // The model's latents are all global, so both ranks draw the one process's numbers and see its minibatches; the
        // only difference is the order of the float sums over each minibatch (two halves of 16, each scaled by
        // 256/32·2, averaged; against one sum scaled by 256/32). That moves a gradient by a few ulps; Adam's steps are
        // bounded by the learning rate (0.02) and the problem is convex, so the parameters stay within float rounding
        // of each other: 1e-4 absolute (the fits differed by at most 1 ulp, ~2e-7, when this was written) is far below
        // what a wrong shard does (a doubled or halved plate scale moves log sigma by ~0.35). The ELBO of each step is
        // the same sum in another order, so its relative difference is ~1e-7; 1e-5 allows that 100 times over.
        var p1 = Parameters(Out("one"));
        var p2 = Parameters(written);
        Assert.Equal(p1.Keys.Order(), p2.Keys.Order());
        foreach (var (name, v1) in p1)
            for (int i = 0; i < v1.Length; i++)
                Assert.True(Math.Abs(v1[i] - p2[name][i]) <= 1e-4f, $"{name}[{i}]: one process {v1[i]}, two {p2[name][i]}");
        var e1 = Elbo(Out("one"));
        var e2 = Elbo(written);
        Assert.Equal(Steps, e1.Length);
        Assert.Equal(e1.Length, e2.Length);
        for (int i = 0; i < e1.Length; i++)
            Assert.True(Math.Abs(e1[i] - e2[i]) <= 1e-5 * Math.Abs(e1[i]), $"step {i + 1}: ELBO {e1[i]} in one process, {e2[i]} in two");
    }

    [SkippableFact]
    public void Fit_TwoRanksWithAverage_EveryRankAveragesAsOneProcessDoes()
    {
        // Run to convergence (step 1400 on this model, then the 1,000-step anneal) so the last 200 iterates are averaged.
        // Each rank keeps its own running sums of identical parameters, so rank 0's mean is the one process's mean up to
        // the float rounding of the fit itself (see the first test for the 1e-4). fit.json must say the distributed fit
        // averaged, and over the same steps as the one process.
        string one = Out("average-one"), two = Out("average-two");
        Done(MpiExec.Run(output, null, Fit(4000, one, "--average", "200")), one);
        Done(TwoRanks(4000, two, "--average", "200"), two);
        foreach (var dir in new[] { one, two })
        {
            using var fit = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "fit.json")));
            Assert.Equal(200, fit.RootElement.GetProperty("average_steps").GetInt32());
            Assert.Contains("mean of the last 200 iterates", fit.RootElement.GetProperty("convergence").GetProperty("verdict").GetString());
        }
        var p1 = Parameters(one);
        var p2 = Parameters(two);
        foreach (var (name, v1) in p1)
            for (int i = 0; i < v1.Length; i++)
                Assert.True(Math.Abs(v1[i] - p2[name][i]) <= 1e-4f, $"{name}[{i}]: one process {v1[i]}, two {p2[name][i]}");
    }

    [SkippableFact]
    public void Resume_DistributedFit_ContinuesToTheNumbersOfAnUninterruptedOne()
    {
        string full = Full(), part = FirstPart(), resumed = Out("resumed");
        Done(TwoRanks(Steps, resumed, "--resume", part), resumed);
        // Same processes, same reduction order every step (MPICH picks the algorithm from the size and the count): bit for bit.
        SameBytes(full, resumed, "params.json", "params.json.fitstate", "elbo.csv", "draws.csv", "summary.csv");
    }

    [SkippableFact]
    public void Fit_RankExitsMidway_EveryOtherStopsNamingItAndTheCheckpointIsIntact()
    {
        string killed = Out("killed-exit");
        var r = MpiExec.Run(output, ["-disable-auto-cleanup", "-n", "2"], Fit(Steps, killed, "--distributed", "--checkpoint-every", Checkpoint.ToString()),
            new Dictionary<string, string> { ["PPL_TEST_KILL_RANK"] = "1", ["PPL_TEST_KILL_AT_STEP"] = KillAt.ToString(), ["PPL_TEST_KILL_MODE"] = "exit" });
        Assert.NotEqual(0, r.Code);
        Assert.Matches(@"ppl fit: error: rank 0 of 2 stops: rank 1 \(pid \d+ on [^)]+\) ended before the fit did; the checkpoint of step 40 in .* is intact: continue with --resume", r.Err);
        CheckpointOfStep40(killed);
    }

    [SkippableFact]
    public void Fit_RankKilledBySignal_LauncherEndsTheJobAndRankZerosTableNamesIt()
    {
        // Hydra (MPICH 4.0) kills every process at once when one dies by a signal, -disable-auto-cleanup or not, and
        // names the dead one by pid and host; rank 0's first line says which rank that pid was.
        string killed = Out("killed-signal");
        var r = MpiExec.Run(output, ["-n", "2"], Fit(Steps, killed, "--distributed", "--checkpoint-every", Checkpoint.ToString()),
            new Dictionary<string, string> { ["PPL_TEST_KILL_RANK"] = "1", ["PPL_TEST_KILL_AT_STEP"] = KillAt.ToString() });
        Assert.NotEqual(0, r.Code);
        var pid = System.Text.RegularExpressions.Regex.Match(r.All, @"PID (\d+) RUNNING AT");
        Assert.True(pid.Success, "Hydra's BAD TERMINATION message with the pid");
        Assert.Contains($"rank 1 (pid {pid.Groups[1].Value} on ", r.Err);
        CheckpointOfStep40(killed);
    }

    /// <summary>
    /// Rank 0 is past step 50 and waits in step 51's all-reduce when rank 1 dies, so its last checkpoint is step 40's,
    /// whole (no temporary file left), and byte for byte the state of the fit stopped at 40 steps.
    /// </summary>
    void CheckpointOfStep40(string killed)
    {
        NoTemporaryFiles(killed);
        Assert.Equal(["elbo.csv", "params.json", "params.json.fitstate"], Directory.GetFiles(killed).Select(Path.GetFileName).Order());
        SameBytes(FirstPart(), killed, "params.json", "params.json.fitstate", "elbo.csv");
    }
}
