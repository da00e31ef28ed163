using Ppl.Inference.Posterior;
using Ppl.Runtime.Random;

namespace Ppl.Inference.Tests.Posterior;

public class ParetoSmoothingTests
{
    static double[] ParetoLogWeights(double k, int s, ulong seed)
    {
        // Weights exactly generalized Pareto with shape k, scale 1: w = ((1 − u)^(−k) − 1)/k.
        var rng = new Rng(seed);
        return [.. Enumerable.Range(0, s).Select(_ => Math.Log((Math.Pow(1 - rng.NextDouble(), -k) - 1) / k))];
    }

    [Fact]
    public void Smooth_HeavyTail_KeepsTheBodyAndReplacesTheTailInOrder()
    {
        var raw = ParetoLogWeights(0.9, 1000, 4);
        var smoothed = (double[])raw.Clone();
        double k = ParetoSmoothing.Smooth(smoothed);
        Assert.Equal(ParetoSmoothing.ParetoK(raw), k, 12);
        int m = (int)Math.Ceiling(Math.Min(1000 / 5.0, 3 * Math.Sqrt(1000)));   // 95 tail draws
        var order = Enumerable.Range(0, 1000).OrderBy(i => raw[i]).ToArray();
        foreach (int i in order[..^m]) Assert.Equal(raw[i], smoothed[i]);
        // The tail keeps its order, stays above the body and never exceeds the largest raw weight.
        var tail = order[^m..].Select(i => smoothed[i]).ToArray();
        for (int i = 1; i < m; i++) Assert.True(tail[i] >= tail[i - 1]);
        Assert.True(tail[0] >= raw[order[^(m + 1)]]);
        Assert.True(tail[^1] <= raw.Max());
        // The tail is replaced by the fitted quantiles: a random Pareto sample is not exactly its expected order statistics.
        Assert.Contains(order[^m..], i => Math.Abs(smoothed[i] - raw[i]) > 1e-3);
    }

    [Fact]
    public void Smooth_TooFewDraws_LeavesTheWeights()
    {
        double[] w = [0.1, 0.5, 0.2];
        Assert.True(double.IsNaN(ParetoSmoothing.Smooth(w)));
        Assert.Equal([0.1, 0.5, 0.2], w);
    }
}
