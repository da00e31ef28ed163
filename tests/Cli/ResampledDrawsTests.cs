using System.Globalization;
using System.Text.Json;

namespace Ppl.Cli.Tests;

/// <summary>
/// The reported draws of a single fit, importance resampled from the guide's (<see cref="ResampledDraws"/>): on a
/// correlated Gaussian, where the mean-field guide's sds are known to be too small, the resampled draws have the
/// posterior's; <c>--resample off</c> and a subsampled plate report the guide's own draws and say why.
/// </summary>
public sealed class ResampledDrawsTests : IDisposable
{
    // x ~ N(0, 1), y | x ~ N(0.6 x, 0.8): a joint Gaussian with unit marginal sds and correlation 0.6. The mean-field
    // Gaussian that minimises KL(q || p) has sd 1/√Λ_ii = 0.8 for both (Λ the precision: Λ_xx = 1 + 0.36/0.64 = 1.5625,
    // Λ_yy = 1/0.64). The weights p/q have finite variance (2Λ_q − Λ has eigenvalues 2.5 and 0.625, both positive).
    const string Correlated = """
        model Correlated {
          x ~ Normal(0, 1)
          y ~ Normal(0.6 * x, 0.8)
        }
        """;

    // sigma ~ HalfNormal(5) and four observations y ~ N(0, sigma): the posterior of a scale, p(σ | y) ∝
    // exp(−σ²/50) σ⁻⁴ exp(−S/2σ²), S = Σy², with a heavy right tail (kurtosis 17) that a Gaussian on log σ misses.
    const string Scale = """
        model Scale {
          data y: real[4]
          sigma ~ HalfNormal(5)
          y ~ Normal(0, sigma)
        }
        """;

    const string Subsampled = """
        model Sub {
          data N: int
          data y: real[N]
          mu ~ Normal(0, 10)
          plate n in N subsample 4 {
            y[n] ~ Normal(mu, 1)
          }
        }
        """;

    readonly string dir = Directory.CreateTempSubdirectory("ppl-resample-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    (int Exit, string Out, string Err) Fit(string source, string name, params string[] args)
    {
        string model = Path.Combine(dir, name + ".ppl");
        File.WriteAllText(model, source);
        return Cli.Run(["fit", model, "--seed", "1", "--out", Path.Combine(dir, name), .. args]);
    }

    static void AssertOk((int Exit, string Out, string Err) r) => Assert.True(r.Exit == Program.Ok, r.Err);

    /// <summary>The columns of draws.csv by name (the first row, the mean, skipped).</summary>
    Dictionary<string, double[]> Columns(string name)
    {
        var lines = File.ReadLines(Path.Combine(dir, name, "draws.csv")).Where(l => !l.StartsWith('#')).ToArray();
        var header = lines[0].Split(',');
        var rows = lines.Skip(2).Select(l => l.Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray()).ToArray();
        return header.Select((h, j) => (h, rows.Select(r => r[j]).ToArray())).ToDictionary(c => c.h, c => c.Item2);
    }

    static double Sd(double[] v)
    {
        double m = v.Average();
        return Math.Sqrt(v.Sum(x => (x - m) * (x - m)) / (v.Length - 1));
    }

    JsonElement Resampling(string name) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, name, "fit.json"))).RootElement.GetProperty("resampling");

    [Fact]
    public void Fit_MeanFieldOnACorrelatedGaussian_ResampledSdsAreThePosteriors()
    {
        var r = Fit(Correlated, "on", "--draws", "2000");
        AssertOk(r);
        // The guide's k̂ is below 0.5 here, so its own draws are resampled and no Student-t proposal is tried.
        Assert.Contains("draws: 2000 importance-resampled from 8000 of the guide's", r.Out.ReplaceLineEndings(" "));
        var resampling = Resampling("on");
        Assert.Equal(8000, resampling.GetProperty("proposals").GetInt32());
        double ess = resampling.GetProperty("effective_draws").GetDouble();
        Assert.True(ess > 2000, $"effective draws {ess}");
        Assert.False(resampling.TryGetProperty("proposal_pareto_k", out _));
        // The sd of n Gaussian draws has standard error sd/√(2n). Resampling 2,000 draws from weights with ≥ 2,000
        // effective ones (2,700 here; 1/E_q[(p/q)²] of 8,000) gives at least 1/(1/2000 + 1/2000) = 1,000 effective
        // draws: 0.022; 4 of them is 0.09.
        var on = Columns("on");
        Assert.Equal(1, Sd(on["x"]), 0.09);
        Assert.Equal(1, Sd(on["y"]), 0.09);

        // The guide's own draws have its sds, 0.8: the draws' standard error 0.8/√4000 = 0.013 and the fit's own noise
        // (a few per cent of the scale) are well inside 0.1, and 0.9 is 4.5 standard errors below the resampled 1.
        AssertOk(Fit(Correlated, "off", "--draws", "2000", "--resample", "off"));
        var off = Columns("off");
        Assert.Equal(0.8, Sd(off["x"]), 0.1);
        Assert.Equal(0.8, Sd(off["y"]), 0.1);
        Assert.Equal("none", Resampling("off").GetProperty("method").GetString());
        Assert.Equal("--resample off", Resampling("off").GetProperty("why").GetString());
        Assert.DoesNotContain(File.ReadLines(Path.Combine(dir, "off", "draws.csv")), l => l.StartsWith("# resampling=", StringComparison.Ordinal));
        Assert.Contains(File.ReadLines(Path.Combine(dir, "on", "draws.csv")), l => l == "# proposals=8000");
    }

    [Fact]
    public void Fit_AHeavyTailedScale_ResampledSdIsThePosteriors()
    {
        var (data, mean, sd, kurtosis) = ScaleData();
        AssertOk(Fit(Scale, "scale", "--data", data, "--draws", "2000"));
        double ess = Resampling("scale").GetProperty("effective_draws").GetDouble();
        Assert.True(ess > 3000, $"effective draws {ess}");
        // The guide's weights are heavy in the tail (k̂ ≥ 0.5), so the Student-t proposal took over, with bounded weights.
        Assert.True(Resampling("scale").GetProperty("proposal_pareto_k").GetDouble() < 0.5);
        // The sample sd's standard error from n effective draws is σ·√((κ − 1)/n)/2 (delta method on s²); resampling
        // 2,000 from ≥ 3,000 effective gives n ≥ 1/(1/2000 + 1/3000) = 1,200: 0.045 for σ = 0.78, κ = 17, tolerance 4
        // of them (0.18). The guide's own draws (--resample off) have sd 0.53–0.56 on seeds 1–3, more than 5 below.
        var sigma = Columns("scale")["sigma"];
        double se = sd * Math.Sqrt((kurtosis - 1) / 1200) / 2;
        Assert.Equal(sd, Sd(sigma), 4 * se);
        Assert.Equal(mean, sigma.Average(), 4 * sd / Math.Sqrt(1200));
        AssertOk(Fit(Scale, "scale-off", "--data", data, "--draws", "2000", "--resample", "off"));
        Assert.True(Sd(Columns("scale-off")["sigma"]) < sd - 4 * se, "the guide's own draws would have passed too");
    }

    [Fact]
    public void Fit_AHeavyTailedScaleWithTwoPaths_TheMixtureOfTsGivesThePosteriorsSd()
    {
        // Both paths find the one mode; stage 2 runs for several paths whatever the mixture's k̂, one t per path, each
        // draw weighed against both t's (the other path's through its own guide's coordinates): a wrong density there
        // would bias the weights, and the sd with them.
        var (data, mean, sd, kurtosis) = ScaleData();
        AssertOk(Fit(Scale, "scale2", "--data", data, "--draws", "2000", "--paths", "2"));
        var resampling = Resampling("scale2");
        Assert.Equal(8000, resampling.GetProperty("proposals").GetInt32());
        Assert.True(resampling.GetProperty("proposal_pareto_k").GetDouble() < 0.5);
        double ess = resampling.GetProperty("effective_draws").GetDouble();
        Assert.True(ess > 3000, $"effective draws {ess}");
        // Standard errors as in the single-path test above: n ≥ 1,200 effective draws, tolerance 4 of them.
        var sigma = Columns("scale2")["sigma"];
        Assert.Equal(sd, Sd(sigma), 4 * sd * Math.Sqrt((kurtosis - 1) / 1200) / 2);
        Assert.Equal(mean, sigma.Average(), 4 * sd / Math.Sqrt(1200));
    }

    /// <summary>Four observations for <see cref="Scale"/>, written as its data file, and the exact posterior of sigma.</summary>
    (string Data, double Mean, double Sd, double Kurtosis) ScaleData()
    {
        double[] y = [0.5, -1.0, 1.5, -0.3];
        string data = Path.Combine(dir, "scale.data.json");
        File.WriteAllText(data, "{\"y\": [" + string.Join(", ", y.Select(v => v.ToString(CultureInfo.InvariantCulture))) + "]}");
        var (mean, sd, kurtosis) = ScalePosterior(y);
        return (data, mean, sd, kurtosis);
    }

    /// <summary>The exact posterior mean, sd and kurtosis of <see cref="Scale"/>'s sigma, by quadrature on a fine grid.</summary>
    static (double Mean, double Sd, double Kurtosis) ScalePosterior(double[] y)
    {
        double s2 = y.Sum(v => v * v);
        const double h = 1e-4;
        double z = 0, m1 = 0;
        var grid = Enumerable.Range(1, 400_000).Select(i => i * h).ToArray();
        var w = grid.Select(s => Math.Exp(-s * s / 50 - y.Length * Math.Log(s) - s2 / (2 * s * s))).ToArray();
        for (int i = 0; i < grid.Length; i++) { z += w[i]; m1 += grid[i] * w[i]; }
        double mean = m1 / z, m2 = 0, m4 = 0;
        for (int i = 0; i < grid.Length; i++)
        {
            double d = grid[i] - mean;
            m2 += d * d * w[i] / z;
            m4 += d * d * d * d * w[i] / z;
        }
        return (mean, Math.Sqrt(m2), m4 / (m2 * m2));
    }

    [Fact]
    public void Fit_TooFewEffectiveDraws_ReportsTheGuidesOwnDrawsAsResampleOffDoes()
    {
        // 20 draws: 80 proposals can hold at most 80 effective draws, below the floor of 100.
        var r = Fit(Correlated, "few", "--draws", "20");
        AssertOk(r);
        AssertOk(Fit(Correlated, "few-off", "--draws", "20", "--resample", "off"));
        var resampling = Resampling("few");
        Assert.Equal("none", resampling.GetProperty("method").GetString());
        Assert.StartsWith("only ", resampling.GetProperty("why").GetString());
        Assert.Contains("effective draws among the 80 proposals", resampling.GetProperty("why").GetString());
        foreach (var f in new[] { "draws.csv", "summary.csv" })
            Assert.True(File.ReadAllBytes(Path.Combine(dir, "few", f)).SequenceEqual(File.ReadAllBytes(Path.Combine(dir, "few-off", f))), f);
    }

    [Fact]
    public void Fit_SubsampledPlate_ReportsTheGuidesOwnDrawsAndWhy()
    {
        string data = Path.Combine(dir, "sub.data.json");
        File.WriteAllText(data, "{\"N\": 16, \"y\": [" + string.Join(",", Enumerable.Range(0, 16).Select(i => (i % 5 - 2).ToString(CultureInfo.InvariantCulture))) + "]}");
        var r = Fit(Subsampled, "sub", "--data", data, "--steps", "200", "--draws", "100");
        AssertOk(r);
        var resampling = Resampling("sub");
        Assert.Equal("none", resampling.GetProperty("method").GetString());
        Assert.Contains("subsamples plate 'n' (4 of 16)", resampling.GetProperty("why").GetString());
        Assert.Contains("draws: the guide's own (the model subsamples plate 'n'", r.Out.ReplaceLineEndings(" ").Replace("  ", " "));
        Assert.Equal(100, Columns("sub")["mu"].Length);

        var paths = Fit(Subsampled, "sub2", "--data", data, "--steps", "50", "--paths", "2", "--quiet");
        Assert.Equal(Program.UserError, paths.Exit);
        Assert.Contains("--paths 2: the model subsamples plate 'n'", paths.Err);
    }
}
