using System.Globalization;

namespace Ppl.Cli.Tests.Commands;

/// <summary>
/// <c>ppl fit</c> with its default settings (no flags but the output folder) against the long Stan NUTS runs
/// committed in examples/accuracy/reference (made by examples/accuracy/nuts_reference.R): every posterior mean the
/// reference holds is within 0.3 reference posterior sd, issue 10's accuracy goal. Only the examples that meet the
/// goal are here; examples/README.md reports the others.
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
