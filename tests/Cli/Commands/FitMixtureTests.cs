using System.Globalization;
using System.Text.Json;
using Ppl.Runtime.Random;

namespace Ppl.Cli.Tests.Commands;

/// <summary>
/// Issue 9's mixtures through <c>ppl fit</c> with the default guide: a two-component Gaussian mixture with explicit
/// Bernoulli assignments in a plate (the gather form <c>mu[z[n]]</c>) and a three-component Categorical one, each
/// fitted with the assignments enumerated (the default) and with <c>--estimator score</c> (a learnable guide for the
/// assignments), must recover the component means and weights. Components are matched to the truth by sorting the
/// means (the labels are exchangeable). The truth is each cluster's sample mean and share under the generating
/// assignments; with σ = 1 known, the posterior sd of a mean is about 1/√n_k and of a share √(w(1 − w)/N), and the
/// fits must land within 3 of those. A written guide that samples the assignments gets DisARM, and fit.json says why;
/// with <c>--estimator enum</c> the assignments are enumerated in the guide.
/// </summary>
public sealed class FitMixtureTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("ppl-mixture-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    const string TwoComponents = """
        model Mix2 {
          data N: int
          data x: real[N]
          w ~ Beta(1, 1)
          mu: real[2] ~ Normal(0, 10)
          plate n in N {
            z[n] ~ Bernoulli(w)
            x[n] ~ Normal(mu[z[n]], 1)
          }
        }
        """;

    const string ThreeComponents = """
        model Mix3 {
          data N: int
          data x: real[N]
          weights ~ Dirichlet(ones(3))
          mu: real[3] ~ Normal(0, 10)
          plate n in N {
            z[n] ~ Categorical(weights)
            x[n] ~ Normal(mu[z[n]], 1)
          }
        }
        """;

    /// <summary>Writes the model and N points drawn from means <paramref name="means"/> with shares <paramref name="shares"/>; returns the model's path and each cluster's (sample mean, count).</summary>
    (string Path, (double Mean, int Count)[] Truth) Write(string name, string model, int n, double[] means, double[] shares)
    {
        var rng = new Rng(41);
        var x = new double[n];
        var z = new int[n];
        for (int i = 0; i < n; i++)
        {
            double u = rng.NextDouble(), acc = 0;
            z[i] = means.Length - 1;
            for (int k = 0; k < means.Length; k++) if (u < (acc += shares[k])) { z[i] = k; break; }
            x[i] = Math.Round(means[z[i]] + rng.Normal(), 3);
        }
        string path = Path.Combine(dir, name + ".ppl");
        File.WriteAllText(path, model);
        File.WriteAllText(Path.Combine(dir, name + ".data.json"), JsonSerializer.Serialize(new { N = n, x }));
        var truth = means.Select((_, k) => (x.Where((_, i) => z[i] == k).Average(), z.Count(v => v == k))).ToArray();
        return (path, truth);
    }

    Dictionary<string, (double Mean, double Sd)> Fit(string model, string outName, params string[] args)
    {
        var r = Cli.Run(["fit", model, "--quiet", "--draws", "200", "--seed", "2", "--out", Path.Combine(dir, outName), .. args]);
        Assert.True(r.Exit == Program.Ok, r.Err);
        return File.ReadLines(Path.Combine(dir, outName, "summary.csv")).Skip(1).Select(l => l.Split(','))
            .ToDictionary(p => p[0], p => (double.Parse(p[1], CultureInfo.InvariantCulture), double.Parse(p[2], CultureInfo.InvariantCulture)));
    }

    static void AssertRecovered(double[] means, double[] shares, (double Mean, int Count)[] truth)
    {
        int n = truth.Sum(t => t.Count);
        var fitted = means.Zip(shares).OrderBy(p => p.First).ToArray();
        var expected = truth.OrderBy(t => t.Mean).ToArray();
        for (int k = 0; k < fitted.Length; k++)
        {
            double w = (double)expected[k].Count / n;
            Assert.InRange(fitted[k].First, expected[k].Mean - 3 / Math.Sqrt(expected[k].Count), expected[k].Mean + 3 / Math.Sqrt(expected[k].Count));
            double sd = Math.Sqrt(w * (1 - w) / n);
            Assert.InRange(fitted[k].Second, w - 3 * sd, w + 3 * sd);
        }
    }

    [Theory]
    [InlineData("auto")]
    [InlineData("score")]
    public void Fit_TwoComponentBernoulliMixture_RecoversMeansAndWeight(string estimator)
    {
        var (model, truth) = Write("mix2", TwoComponents, 100, [-2, 2], [0.7, 0.3]);
        var s = Fit(model, estimator, "--estimator", estimator);
        AssertRecovered([s["mu[0]"].Mean, s["mu[1]"].Mean], [1 - s["w"].Mean, s["w"].Mean], truth);
    }

    [Theory]
    [InlineData("auto")]
    [InlineData("score")]
    public void Fit_ThreeComponentCategoricalMixture_RecoversMeansAndWeights(string estimator)
    {
        var (model, truth) = Write("mix3", ThreeComponents, 150, [-4, 0, 4], [0.3, 0.3, 0.4]);
        var s = Fit(model, estimator, "--estimator", estimator);
        AssertRecovered([s["mu[0]"].Mean, s["mu[1]"].Mean, s["mu[2]"].Mean], [s["weights[0]"].Mean, s["weights[1]"].Mean, s["weights[2]"].Mean], truth);
    }

    [Fact]
    public void Fit_GmmExample_RecoversThreeSeparateComponents()
    {
        // examples/gmm: 60 points in three clusters near −4, −0.5 and 5.3, σ and weights learnt. Each component must
        // hold a real share of the points (no empty component at the prior) and the means must be apart.
        var r = Cli.Run("fit", Path.Combine(Cli.Root(), "examples", "gmm", "gmm.ppl"), "--quiet", "--draws", "200", "--out", Path.Combine(dir, "gmm"));
        Assert.True(r.Exit == Program.Ok, r.Err);
        var rows = File.ReadLines(Path.Combine(dir, "gmm", "summary.csv")).Skip(1).Select(l => l.Split(','))
            .ToDictionary(p => p[0], p => double.Parse(p[1], CultureInfo.InvariantCulture));
        var mu = new[] { rows["mu[0]"], rows["mu[1]"], rows["mu[2]"] }.Order().ToArray();
        Assert.All(new[] { rows["weights[0]"], rows["weights[1]"], rows["weights[2]"] }, w => Assert.InRange(w, 0.2, 0.5));
        Assert.InRange(mu[0], -4.6, -3.6);
        Assert.InRange(mu[1], -1.5, 0);
        Assert.InRange(mu[2], 4.7, 5.8);
    }

    const string WrittenGuide = """
        model Wg {
          data N: int
          data x: real[N]
          mu: real[2] ~ Normal(0, 10)
          plate n in N {
            z[n] ~ Bernoulli(0.3)
            x[n] ~ Normal(mu[z[n]], 1)
          }
        }
        guide WgGuide for Wg {
          param m: real[2] = 0
          param l: real[N] = 0
          mu ~ Normal(m, 1)
          plate n in N {
            z[n] ~ Bernoulli(logits: l[n])
          }
        }
        """;

    [Fact]
    public void Fit_WrittenGuideSamplingBernoulliAssignments_ReportsDisArmAndWhy()
    {
        var (model, _) = Write("wg", WrittenGuide, 40, [-2, 2], [0.7, 0.3]);
        var r = Cli.Run("fit", model, "--quiet", "--steps", "20", "--draws", "10", "--out", Path.Combine(dir, "wg-out"));
        Assert.True(r.Exit == Program.Ok, r.Err);
        using var fit = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "wg-out", "fit.json")));
        var z = fit.RootElement.GetProperty("estimators").EnumerateArray().Single(e => e.GetProperty("site").GetString() == "z");
        Assert.Equal("disarm", z.GetProperty("estimator").GetString());
        Assert.Contains("leave-one-out", z.GetProperty("reason").GetString());
    }

    [Fact]
    public void Fit_WrittenGuideSamplingAssignmentsWithEstimatorEnum_EnumeratesInGuideAndRecoversMeans()
    {
        // The guide's means start apart ([-1, 1]): from equal starts the labels can settle the wrong way round against
        // the 0.3 prior, a true local optimum of the ELBO, whatever the estimator.
        var (model, truth) = Write("wge", WrittenGuide.Replace("param m: real[2] = 0", "param m: real[2] = [-1, 1]"), 100, [-2, 2], [0.7, 0.3]);
        var r = Cli.Run("fit", model, "--quiet", "--estimator", "enum", "--seed", "2", "--draws", "200", "--out", Path.Combine(dir, "wge-out"));
        Assert.True(r.Exit == Program.Ok, r.Err);
        using var fit = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "wge-out", "fit.json")));
        var z = fit.RootElement.GetProperty("estimators").EnumerateArray().Single(e => e.GetProperty("site").GetString() == "z");
        Assert.Equal("enum", z.GetProperty("estimator").GetString());
        Assert.Contains("enumerated in the guide", z.GetProperty("reason").GetString());
        Assert.Contains("zero gradient variance", z.GetProperty("reason").GetString());
        var rows = File.ReadLines(Path.Combine(dir, "wge-out", "summary.csv")).Skip(1).Select(l => l.Split(','))
            .ToDictionary(p => p[0], p => double.Parse(p[1], CultureInfo.InvariantCulture));
        // Each mean within 3 posterior sds (1/√n_k) of its cluster's sample mean; the assignments' posterior draws
        // come from the guide (a probability per point).
        var expected = truth.OrderBy(t => t.Mean).ToArray();
        double[] means = [rows["mu[0]"], rows["mu[1]"]];
        for (int k = 0; k < 2; k++)
            Assert.InRange(means[k], expected[k].Mean - 3 / Math.Sqrt(expected[k].Count), expected[k].Mean + 3 / Math.Sqrt(expected[k].Count));
        Assert.InRange(rows["z[0]"], 0, 1);
    }
}
