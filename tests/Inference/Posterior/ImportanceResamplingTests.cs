using Ppl.Inference.Posterior;
using Ppl.Runtime.Random;

namespace Ppl.Inference.Tests.Posterior;

public class ImportanceResamplingTests
{
    [Fact]
    public void Resample_KnownWeights_FrequenciesWithinBinomialError()
    {
        // Three draws (too few for a Pareto tail: the weights are used as they are) with weights 0.5, 0.3, 0.2.
        double[] logW = [Math.Log(5), Math.Log(3), Math.Log(2)];
        var r = ImportanceResampling.Resample(logW, [0, 1, 1], 2, 20000, new Rng(1));
        Assert.True(double.IsNaN(r.ParetoK));
        for (int i = 0; i < 3; i++)
        {
            double p = Math.Exp(logW[i]) / 10, freq = r.Resampled.Count(j => j == i) / 20000.0;
            // Binomial standard error √(p(1 − p)/20000) ≤ 0.0036; tolerance 4 of them.
            Assert.Equal(p, freq, 4 * Math.Sqrt(p * (1 - p) / 20000));
        }
        Assert.Equal([0.5, 0.5], r.PathShares, (a, b) => Math.Abs(a - b) < 1e-12);
        Assert.Equal(2, r.EffectivePaths, 12);
        Assert.Equal(1 / (0.25 + 0.09 + 0.04), r.EffectiveDraws, 12);
    }

    [Fact]
    public void Resample_ZeroWeightDraws_AreNeverPicked()
    {
        double[] logW = [double.NegativeInfinity, 0, double.NegativeInfinity, 0, double.NegativeInfinity];
        var r = ImportanceResampling.Resample(logW, [0, 0, 1, 1, 1], 2, 5000, new Rng(2));
        Assert.All(r.Resampled, i => Assert.True(i is 1 or 3));
    }

    [Fact]
    public void Resample_SameStream_SameIndices()
    {
        var logW = Enumerable.Range(0, 400).Select(i => Math.Sin(i)).ToArray();
        var paths = Enumerable.Range(0, 400).Select(i => i / 100).ToArray();
        var a = ImportanceResampling.Resample(logW, paths, 4, 300, new Rng(9));
        var b = ImportanceResampling.Resample(logW, paths, 4, 300, new Rng(9));
        Assert.Equal(a.Resampled, b.Resampled);
        Assert.InRange(a.EffectivePaths, 1, 4);
    }
}
