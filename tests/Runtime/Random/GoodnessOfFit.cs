namespace Ppl.Runtime.Tests.Random;

/// <summary>
/// Statistical checks for samplers. Every test runs at a fixed seed, so it is deterministic; the
/// thresholds are chosen so a correct sampler would fail them with probability ~10⁻³ (KS) or ~10⁻⁶
/// (moments, 5 standard errors) at an arbitrary seed, while a wrong one fails by a wide margin.
/// </summary>
internal static class GoodnessOfFit
{
    /// <summary>
    /// The Kolmogorov–Smirnov critical value at level α = 10⁻³ for n draws: √(−ln(α/2)/2)/√n ≈ 1.949/√n
    /// (the asymptotic Kolmogorov distribution, accurate for n ≥ 100). For discrete distributions the test
    /// is conservative: the true level is below α.
    /// </summary>
    public static double KsCritical(int n) => Math.Sqrt(-Math.Log(0.0005) / 2) / Math.Sqrt(n);

    /// <summary>sup |F_n − F| for a continuous CDF: checked just before and at each order statistic.</summary>
    public static double KsContinuous(double[] samples, Func<double, double> cdf)
    {
        var x = (double[])samples.Clone();
        Array.Sort(x);
        int n = x.Length;
        double d = 0;
        for (int i = 0; i < n; i++)
        {
            double f = cdf(x[i]);
            d = Math.Max(d, Math.Max(f - (double)i / n, (double)(i + 1) / n - f));
        }
        return d;
    }

    /// <summary>sup |F_n − F| for an integer-valued distribution, at every support point seen and between.</summary>
    public static double KsDiscrete(int[] samples, Func<int, double> cdf)
    {
        var x = (int[])samples.Clone();
        Array.Sort(x);
        int n = x.Length;
        double d = 0;
        int i = 0;
        while (i < n)
        {
            int v = x[i];
            int j = i;
            while (j < n && x[j] == v) j++;
            // Left limit at v: F_n(v−) = i/n against F(v − 1); at v: j/n against F(v).
            d = Math.Max(d, Math.Abs((double)i / n - cdf(v - 1)));
            d = Math.Max(d, Math.Abs((double)j / n - cdf(v)));
            i = j;
        }
        return d;
    }

    public static void AssertKs(double[] samples, Func<double, double> cdf, string what)
    {
        double d = KsContinuous(samples, cdf), crit = KsCritical(samples.Length);
        Assert.True(d < crit, $"{what}: KS D = {d:F5} ≥ critical {crit:F5} (n = {samples.Length})");
    }

    public static void AssertKs(int[] samples, Func<int, double> cdf, string what)
    {
        double d = KsDiscrete(samples, cdf), crit = KsCritical(samples.Length);
        Assert.True(d < crit, $"{what}: KS D = {d:F5} ≥ critical {crit:F5} (n = {samples.Length})");
    }

    /// <summary>
    /// Sample mean within 5 standard errors of <paramref name="mean"/> (SE = √(var/n)) and sample variance
    /// within 5 standard errors of <paramref name="variance"/>, SE(s²) = √((m₄ − s⁴)/n) from the sample's
    /// own fourth central moment.
    /// </summary>
    public static void AssertMoments(IReadOnlyList<double> samples, double mean, double variance, string what)
    {
        int n = samples.Count;
        double m = 0;
        foreach (double v in samples) m += v;
        m /= n;
        double m2 = 0, m4 = 0;
        foreach (double v in samples)
        {
            double d = v - m, d2 = d * d;
            m2 += d2;
            m4 += d2 * d2;
        }
        m2 /= n;
        m4 /= n;
        double seMean = Math.Sqrt(variance / n);
        Assert.True(Math.Abs(m - mean) <= 5 * seMean, $"{what}: mean {m:R} vs {mean:R}, 5·SE = {5 * seMean:E2}");
        double seVar = Math.Sqrt(Math.Max(m4 - m2 * m2, 0) / n);
        Assert.True(Math.Abs(m2 - variance) <= 5 * seVar, $"{what}: variance {m2:R} vs {variance:R}, 5·SE = {5 * seVar:E2}");
    }

    public static double[] Draw(int n, Func<double> sampler)
    {
        var x = new double[n];
        for (int i = 0; i < n; i++) x[i] = sampler();
        return x;
    }

    public static int[] DrawInt(int n, Func<int> sampler)
    {
        var x = new int[n];
        for (int i = 0; i < n; i++) x[i] = sampler();
        return x;
    }
}
