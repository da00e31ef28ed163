namespace Ppl.Inference.Posterior;

/// <summary>
/// The Pareto k̂ diagnostic of importance weights (Vehtari, Simpson, Gelman, Yao &amp; Gabry 2015/2022, "Pareto smoothed
/// importance sampling"; used for variational fits by Yao, Vehtari, Simpson &amp; Gelman 2018, "Yes, but did it work?").
/// A generalized Pareto distribution is fitted to the M = min(S/5, 3√S) largest weights above the next one; its shape k
/// estimates how heavy the weights' tail is: k &lt; 0.5 the importance ratios have finite variance, 0.5–0.7 usable,
/// above 0.7 the guide misses mass the posterior has and estimates from it are unreliable.
/// </summary>
public static class ParetoSmoothing
{
    /// <summary>The threshold above which a guide is reported as unreliable.</summary>
    public const double Threshold = 0.7;

    /// <summary>k̂ of the importance weights exp(<paramref name="logWeights"/>); NaN when fewer than 2 tail draws or all tail weights are equal.</summary>
    public static double ParetoK(ReadOnlySpan<double> logWeights) => FitTail(logWeights, out _).K;

    /// <summary>
    /// Pareto-smoothed importance sampling (Vehtari et al. 2024, JMLR 25(72), §3): the M largest of the S log weights
    /// (M as in <see cref="ParetoK"/>) are replaced, in their order, by log(u + F⁻¹((i − ½)/M)), i = 1..M, with u the
    /// largest weight not in the tail and F⁻¹(p) = σ((1 − p)^(−k) − 1)/k the fitted generalized Pareto quantile, capped
    /// at the largest raw weight; the rest are kept. Smoothing in place; returns k̂ (NaN: weights left as they were).
    /// </summary>
    public static double Smooth(Span<double> logWeights)
    {
        var (k, sigma) = FitTail(logWeights, out var tail);
        if (double.IsNaN(k)) return k;
        double max = tail.Max, u = Math.Exp(tail.Cutoff - max);
        int m = tail.Order.Length;
        for (int i = 0; i < m; i++)
        {
            double p = (i + 0.5) / m;
            double q = Math.Abs(k) < 1e-12 ? -sigma * Math.Log(1 - p) : sigma * (Math.Pow(1 - p, -k) - 1) / k;
            logWeights[tail.Order[i]] = Math.Min(max, max + Math.Log(u + q));
        }
        return k;
    }

    /// <summary>The draws of the tail (indices by increasing weight), the largest weight not in it and the largest of all.</summary>
    readonly record struct Tail(int[] Order, double Cutoff, double Max);

    /// <summary>
    /// The generalized Pareto fit to the M = min(S/5, 3√S) largest weights above the next one, on weights scaled by the
    /// largest (the fit is scale-invariant in σ, not in k); (NaN, NaN) when it cannot be made.
    /// </summary>
    static (double K, double Sigma) FitTail(ReadOnlySpan<double> logWeights, out Tail tail)
    {
        tail = default;
        int s = logWeights.Length;
        int m = (int)Math.Ceiling(Math.Min(s / 5.0, 3 * Math.Sqrt(s)));
        if (m < 2 || m >= s) return (double.NaN, double.NaN);
        var sorted = logWeights.ToArray();
        var order = Enumerable.Range(0, s).ToArray();
        Array.Sort(sorted, order);
        double max = sorted[^1], cutoff = sorted[s - m - 1];
        if (!double.IsFinite(max) || !double.IsFinite(cutoff)) return (double.NaN, double.NaN);
        var exceedances = new double[m];
        double c = Math.Exp(cutoff - max);
        for (int i = 0; i < m; i++) exceedances[i] = Math.Exp(sorted[s - m + i] - max) - c;
        if (exceedances[^1] <= 0) return (double.NaN, double.NaN);
        tail = new Tail(order[(s - m)..], cutoff, max);
        return FitGeneralizedPareto(exceedances);
    }

    /// <summary>
    /// Zhang &amp; Stephens (2009, "A new and efficient estimation method for the generalized Pareto distribution",
    /// Technometrics 51) empirical Bayes fit of GPD(k, σ) with location 0 to positive <paramref name="x"/> (sorted
    /// ascending): a grid of θ = −k/σ values, θ_j = 1/x_(n) + (1 − √(m/(j − ½)))/(3 x_(⌊n/4+½⌋)), j = 1..m, m = 30 + ⌊√n⌋;
    /// profile log-likelihood ℓ(θ) = n(log(θ/k) − k − 1) with k(θ) = −mean log(1 − θx) (sign as in loo: k &gt; 0 heavy);
    /// θ̂ the ℓ-weighted mean of the grid, k̂ = −mean log(1 − θ̂x), σ̂ = k̂/θ̂; then k̂ is pulled toward 0.5 with the
    /// weakly informative prior of loo (weight 10 pseudo-observations): k̂ ← (n k̂ + 5)/(n + 10).
    /// </summary>
    public static (double K, double Sigma) FitGeneralizedPareto(ReadOnlySpan<double> x)
    {
        int n = x.Length;
        int m = 30 + (int)Math.Sqrt(n);
        double quartile = x[Math.Max(0, (int)(n / 4.0 + 0.5) - 1)];
        var b = new double[m];
        var l = new double[m];
        for (int j = 0; j < m; j++)
        {
            b[j] = 1 / x[n - 1] + (1 - Math.Sqrt(m / (j + 0.5))) / (3 * quartile);
            double k = MeanLog1p(x, b[j]);
            l[j] = n * (Math.Log(-b[j] / k) - k - 1);
        }
        double bHat = 0;
        for (int j = 0; j < m; j++)
        {
            double denom = 0;
            for (int i = 0; i < m; i++) denom += Math.Exp(l[i] - l[j]);
            bHat += b[j] / denom;
        }
        double kHat = MeanLog1p(x, bHat);
        double sigma = -kHat / bHat;
        kHat = (n * kHat + 10 * 0.5) / (n + 10);
        return (kHat, sigma);
    }

    static double MeanLog1p(ReadOnlySpan<double> x, double b)
    {
        double sum = 0;
        foreach (double v in x) sum += Math.Log(1 - b * v);
        return sum / x.Length;
    }
}
