using System.Globalization;

namespace Ppl.Cli.Tests.Commands;

/// <summary>
/// <c>ppl fit</c> with its default settings (no flags but the output folder) against the long Stan NUTS runs
/// committed in examples/accuracy/reference (made by examples/accuracy/nuts_reference.R): every posterior mean the
/// reference holds is within 0.3 reference posterior sd, issue 10's accuracy goal. Only the examples that meet the
/// goal are here (gmm with the settings that meet it); examples/README.md reports the others.
/// </summary>
public sealed class FitAccuracyTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("ppl-acc-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    // Tolerance: 0.3 reference sd is the goal itself, not a band widened for noise. The reference's own error is
    // negligible beside it: its Monte Carlo standard error is sd/sqrt(ESS), with a bulk ESS above 6,700 (the files'
    // headers; radon's 6,779 the lowest), under 0.013 sd. The fit is deterministic for its default seed, so the test cannot flicker; its draw noise
    // (summary.csv's 1000 guide draws, about 0.03 sd on a mean) and its optimizer noise are part of what is measured.
    const double Goal = 0.3;

    [Theory]
    [InlineData("eight_schools")]
    [InlineData("linear_regression")]
    [InlineData("logistic")]
    [InlineData("poisson_regression")]
    [InlineData("hierarchical_regression")]
    [InlineData("radon_centered")]
    [InlineData("radon")]   // written non-centred: meets the goal through the guide's partial centring (Recentring)
    public void Fit_DefaultSettings_MeansWithinGoalOfNuts(string example)
    {
        string root = Cli.Root();
        string outDir = Path.Combine(dir, example);
        var (exit, _, err) = Cli.Run("fit", Path.Combine(root, "examples", example, example + ".ppl"), "--quiet", "--out", outDir);
        Assert.True(exit == Program.Ok, err);
        var fit = Read(Path.Combine(outDir, "summary.csv"));
        var reference = Read(Path.Combine(root, "examples", "accuracy", "reference", example + ".csv"));
        var shared = reference.Keys.Where(fit.ContainsKey).ToArray();
        Assert.True(shared.Length >= 3, $"{shared.Length} parameters in common");
        var misses = shared
            .Select(n => (Name: n, Error: Math.Abs(fit[n].Mean - reference[n].Mean) / reference[n].Sd))
            .Where(e => !(e.Error <= Goal))
            .Select(e => $"{e.Name}: {e.Error:F2} sd (fit {fit[e.Name].Mean:G4}, NUTS {reference[e.Name].Mean:G4} ± {reference[e.Name].Sd:G4})");
        Assert.Empty(misses);
    }

    /// <summary>
    /// gmm's posterior has several clusterings (examples/README.md): no single guide reaches the goal, eight paths of
    /// the full-rank guide do (seeds 1-3: 0.14, 0.12, 0.21 sd). The reference orders mu (Stan's <c>ordered</c>), which for
    /// this symmetric posterior is the law of the draws with their components sorted by mu draw by draw; so every draw
    /// of draws.csv is relabelled that way (weights and sigma permuted alike, z renamed) before its means are taken, as
    /// compare.py does. Assignments whose reference sd is below 0.05 (a state almost certain) are left out, as there.
    /// </summary>
    [Fact]
    public void Fit_GmmWithMvnGuideAndEightPaths_MeansWithinGoalOfNuts()
    {
        string root = Cli.Root();
        string outDir = Path.Combine(dir, "gmm");
        var (exit, _, err) = Cli.Run("fit", Path.Combine(root, "examples", "gmm", "gmm.ppl"), "--quiet", "--guide", "mvn", "--paths", "8", "--seed", "1", "--out", outDir);
        Assert.True(exit == Program.Ok, err);
        var fit = RelabelledMeans(Path.Combine(outDir, "draws.csv"), k: 3);
        var reference = Read(Path.Combine(root, "examples", "accuracy", "reference", "gmm.csv"));
        var shared = reference.Keys.Where(n => fit.ContainsKey(n) && !(n.StartsWith("z[", StringComparison.Ordinal) && reference[n].Sd < 0.05)).ToArray();
        Assert.True(shared.Length >= 40, $"{shared.Length} parameters in common");
        var misses = shared
            .Select(n => (Name: n, Error: Math.Abs(fit[n] - reference[n].Mean) / reference[n].Sd))
            .Where(e => !(e.Error <= Goal))
            .Select(e => $"{e.Name}: {e.Error:F2} sd (fit {fit[e.Name]:G4}, NUTS {reference[e.Name].Mean:G4} ± {reference[e.Name].Sd:G4})");
        Assert.Empty(misses);
    }

    /// <summary>Means over draws.csv's draws (CmdStan layout) with each draw's k components sorted by mu.</summary>
    static Dictionary<string, double> RelabelledMeans(string drawsCsv, int k)
    {
        var lines = File.ReadLines(drawsCsv).Where(l => !l.StartsWith('#')).ToArray();
        var header = lines[0].Split(',');
        var draws = lines.Skip(2).Select(l => l.Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray()).ToArray();
        int Col(string name) => Array.IndexOf(header, name);
        var sums = new Dictionary<string, double>();
        foreach (var d in draws)
        {
            var perm = Enumerable.Range(0, k).OrderBy(i => d[Col($"mu.{i + 1}")]).ToArray();   // new j is old perm[j]
            for (int c = 3; c < header.Length; c++)
            {
                var parts = header[c].Split('.');
                int i = int.Parse(parts[1], CultureInfo.InvariantCulture) - 1;
                double v = parts[0] == "z" ? Array.IndexOf(perm, (int)Math.Round(d[c])) : d[Col($"{parts[0]}.{perm[i] + 1}")];
                string name = $"{parts[0]}[{i}]";
                sums[name] = sums.GetValueOrDefault(name) + v / draws.Length;
            }
        }
        return sums;
    }

    /// <summary>name → (mean, sd) from a summary-like CSV (header with name, mean, sd; '#' lines skipped).</summary>
    static Dictionary<string, (double Mean, double Sd)> Read(string path)
    {
        var lines = File.ReadAllLines(path).Where(l => l.Length > 0 && !l.StartsWith('#')).ToArray();
        var header = lines[0].Split(',');
        int mean = Array.IndexOf(header, "mean"), sd = Array.IndexOf(header, "sd");
        var rows = new Dictionary<string, (double, double)>();
        foreach (var line in lines.Skip(1))
        {
            // Names of matrix elements are quoted ("trans[0,1]"): split at the last comma of the quoted name.
            int start = line.StartsWith('"') ? line.IndexOf('"', 1) + 1 : 0;
            int cut = line.IndexOf(',', start);
            var cells = line[(cut + 1)..].Split(',');
            rows[line[..cut].Trim('"')] = (double.Parse(cells[mean - 1], CultureInfo.InvariantCulture),
                                           double.Parse(cells[sd - 1], CultureInfo.InvariantCulture));
        }
        return rows;
    }
}
