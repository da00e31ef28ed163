using Ppl.Runtime.Tensors;

namespace Ppl.Inference.Estimators;

/// <summary>
/// An exponential moving average of a site's downstream cost, b ← β·b + (1 − β)·cost, bias-corrected by
/// 1 − β^t as in Adam, kept per element of the site's plates (each data point has its own typical cost). Built only
/// from earlier steps, so it is independent of the current draw and the estimator stays unbiased. Inside a subsampled
/// plate the elements change from step to step, so the average is kept over all elements (one number).
/// </summary>
public sealed class EmaBaseline
{
    /// <summary>β, the average's decay.</summary>
    public const float Beta = 0.9f;

    float[]? average;
    int[] shape = [];
    int steps;
    bool pooled;

    /// <summary>The baseline for a cost of <paramref name="costShape"/> (0 before the first update).</summary>
    public void Fill(Span<float> baseline, int[] costShape)
    {
        if (average is null || steps == 0) { baseline.Clear(); return; }
        float correction = 1f / (1f - MathF.Pow(Beta, steps));
        if (!pooled && Shapes.Equal(shape, costShape))
            for (int i = 0; i < baseline.Length; i++) baseline[i] = average[i] * correction;
        else
        {
            float mean = 0f;
            foreach (var a in average) mean += a;
            baseline.Fill(mean / average.Length * correction);
        }
    }

    /// <summary>Folds in this step's cost (the mean over the particles that drew the site).</summary>
    /// <param name="cost">the cost per element</param>
    /// <param name="costShape">its shape</param>
    /// <param name="subsampled">whether the site is inside a subsampled plate (elements differ between steps)</param>
    public void Update(ReadOnlySpan<float> cost, int[] costShape, bool subsampled)
    {
        bool pool = subsampled || (average is not null && !Shapes.Equal(shape, costShape) && !pooled);
        if (pool && !pooled)
        {
            // Switch to one pooled number: the mean of the per-element averages so far.
            float m = 0f;
            if (average is not null) { foreach (var a in average) m += a; m /= average.Length; }
            average = [m];
            pooled = true;
        }
        if (pooled)
        {
            float mean = 0f;
            foreach (var c in cost) mean += c;
            mean /= Math.Max(1, cost.Length);
            average![0] = Beta * average[0] + (1f - Beta) * mean;
        }
        else
        {
            if (average is null) { average = new float[cost.Length]; shape = (int[])costShape.Clone(); }
            for (int i = 0; i < cost.Length; i++) average[i] = Beta * average[i] + (1f - Beta) * cost[i];
        }
        steps++;
    }
}
