using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Distributions;
using Ppl.Runtime.Random;
using Ppl.Runtime.Tensors;

namespace Ppl.Runtime.Tests.Distributions;

/// <summary>Contract checks shared by the scalar distributions' tests (samplers, entropy, expand).</summary>
public static class DistributionChecks
{
    /// <summary>
    /// Draws n values from a scalar distribution with an empty batch shape and checks them against the distribution's
    /// own <see cref="Distribution.Mean"/> and <see cref="Distribution.Variance"/> (5 SE, see
    /// <see cref="GoodnessOfFit.AssertMoments"/>) and against the CDF by Kolmogorov–Smirnov.
    /// </summary>
    public static float[] CheckSamples(Distribution d, Func<double, double> cdf, bool moments = true, int n = 20_000, ulong seed = 1)
    {
        var t = d.Sample(new Rng(seed), [n]);
        Assert.Equal([n, .. d.Shape], t.Shape);
        var s = t.ToArray();
        foreach (float v in s) Assert.True(float.IsFinite(v), $"non-finite draw {v}");
        Assert.True(d.Support.Check(s), "a draw lies outside the support");
        if (moments) GoodnessOfFit.AssertMoments(s, d.Mean.ToScalar(), d.Variance.ToScalar(), d.GetType().Name);
        GoodnessOfFit.AssertKs(s, cdf, d.GetType().Name);
        // Sample and RSample consume the generator alike, so the same seed gives the same values.
        var r = d.RSample(new Rng(seed), [n]).Value.ToArray();
        Assert.Equal(s, r);
        return s;
    }

    /// <summary>
    /// The closed-form entropy against the Monte Carlo estimate −(1/n) Σ log p(xᵢ) on the distribution's own draws;
    /// the estimate's SE is sd(log p)/√n and the tolerance is 5 SE (false alarm 6·10⁻⁷ per check).
    /// </summary>
    public static void CheckEntropy(Distribution d, int n = 20_000, ulong seed = 2)
    {
        var x = d.Sample(new Rng(seed), [n]);
        var lp = d.LogProb(Var.Const(x)).Value.ToArray();
        var (m, v, _) = GoodnessOfFit.Moments(lp);
        double h = d.Entropy().ToScalar(), se = Math.Sqrt(v / n);
        Assert.True(Math.Abs(-m - h) <= 5 * se + 1e-6, $"entropy {h:G6}, Monte Carlo {-m:G6} (SE {se:G3})");
    }

    /// <summary>
    /// Expanding a scalar-batch distribution gives the requested batch shape, the same log density in every copy,
    /// and draws of shape sampleShape ++ batchShape.
    /// </summary>
    public static void CheckExpand(Distribution d, float x)
    {
        int[] batch = [2, 3];
        var e = d.Expand(batch);
        Assert.Equal(batch, e.BatchShape);
        Assert.Equal(d.GetType(), e.GetType());
        var lp = e.LogProb(x).Value;
        Assert.Equal(batch, lp.Shape);
        float one = d.LogProb(x).ToScalar();
        // Vectorised and scalar kernels may round differently in the last place.
        foreach (float v in lp.Span) Assert.Equal(one, v, 1e-6 * (1 + Math.Abs(one)));
        Assert.Equal([4, 2, 3], e.Sample(new Rng(3), [4]).Shape);
        Assert.Equal(batch, e.Mean.Shape);
        Assert.Equal(batch, e.Entropy().Shape);
    }

    /// <summary>Entry j of every length-m row of a tensor flattened row-major (a column of [n, m]).</summary>
    public static float[] Column(Tensor t, int j, int m)
    {
        var s = t.Span;
        int n = s.Length / m;
        var c = new float[n];
        for (int i = 0; i < n; i++) c[i] = s[i * m + j];
        return c;
    }
}
