using Ppl.Runtime.Tensors;

namespace Ppl.Runtime.Tests.Distributions;

/// <summary>
/// Shared statistical checks for samplers. Every check is run at a fixed seed, so it is deterministic; the
/// thresholds say how unlikely a failure would be for a correct sampler at a fresh seed, and how far off a wrong
/// one would have to be to pass.
/// </summary>
public static class StatTests
{
    /// <summary>
    /// The one-sample Kolmogorov–Smirnov statistic D = sup_x |F_n(x) − F(x)| and its p-value from Kolmogorov's limiting
    /// distribution Q(λ) = 2 Σ_{k≥1} (−1)^{k−1} e^{−2k²λ²} at λ = (√n + 0.12 + 0.11/√n)·D (Stephens 1970, "Use of the
    /// Kolmogorov–Smirnov, Cramér–von Mises and related statistics without extensive tables", JRSS B 32; the
    /// correction makes the asymptotic p-value accurate from n ≈ 5).
    /// </summary>
    public static (double D, double P) KolmogorovSmirnov(ReadOnlySpan<float> sample, Func<double, double> cdf)
    {
        var x = sample.ToArray();
        Array.Sort(x);
        int n = x.Length;
        double d = 0;
        for (int i = 0; i < n; i++)
        {
            double f = cdf(x[i]);
            d = Math.Max(d, Math.Max((i + 1.0) / n - f, f - (double)i / n));
        }
        double sn = Math.Sqrt(n);
        return (d, KolmogorovQ((sn + 0.12 + 0.11 / sn) * d));
    }

    /// <summary>Q(λ) = P(K &gt; λ) for the Kolmogorov distribution.</summary>
    public static double KolmogorovQ(double lambda)
    {
        if (lambda < 0.2) return 1; // the series converges slowly there and Q is 1 to 15 digits
        double sum = 0, sign = 1;
        for (int k = 1; k <= 100; k++)
        {
            double term = sign * Math.Exp(-2.0 * k * k * lambda * lambda);
            sum += term;
            if (Math.Abs(term) < 1e-16 * Math.Abs(sum)) break;
            sign = -sign;
        }
        return Math.Clamp(2 * sum, 0, 1);
    }

    /// <summary>
    /// Asserts that a sample is consistent with a CDF: the KS p-value exceeds 10⁻³. A correct sampler fails this at
    /// one seed in a thousand (here the seed is fixed, so it either always passes or always fails); with the sample
    /// sizes used (n ≥ 10⁴) a CDF off by 0.02 anywhere gives p &lt; 10⁻⁶.
    /// </summary>
    public static void AssertKs(ReadOnlySpan<float> sample, Func<double, double> cdf, string what = "")
    {
        var (d, p) = KolmogorovSmirnov(sample, cdf);
        Assert.True(p > 1e-3, $"{what}: KS statistic D = {d:G4} on n = {sample.Length}, p = {p:G3}");
    }

    /// <summary>Sample mean, variance (n − 1 divisor) and fourth central moment, accumulated in double.</summary>
    public static (double Mean, double Var, double M4) Moments(ReadOnlySpan<float> s)
    {
        double m = 0;
        foreach (float v in s) m += v;
        m /= s.Length;
        double m2 = 0, m4 = 0;
        foreach (float v in s) { double d = v - m, d2 = d * d; m2 += d2; m4 += d2 * d2; }
        return (m, m2 / (s.Length - 1), m4 / s.Length);
    }

    /// <summary>
    /// Asserts the sample mean and variance match the expected ones within 5 standard errors. The mean's SE is
    /// √(σ²/n) and the sample variance's is √((μ₄ − σ⁴)/n) (its exact large-n variance), both with the true σ² and the
    /// sample's own fourth moment μ₄. Five SE is a two-sided false alarm rate of 6·10⁻⁷ per check for a correct
    /// sampler (normal approximation, fine at n ≥ 10⁴ for the light-tailed laws this is used on).
    /// </summary>
    public static void AssertMoments(ReadOnlySpan<float> s, double mean, double variance, string what = "")
    {
        var (m, v, m4) = Moments(s);
        int n = s.Length;
        double seMean = Math.Sqrt(variance / n);
        double seVar = Math.Sqrt(Math.Max(m4 - v * v, 0) / n);
        Assert.True(Math.Abs(m - mean) <= 5 * seMean, $"{what}: mean {m:G6}, expected {mean:G6} (SE {seMean:G3})");
        Assert.True(Math.Abs(v - variance) <= 5 * seVar, $"{what}: variance {v:G6}, expected {variance:G6} (SE {seVar:G3})");
    }

    /// <summary>Column j of the trailing axis of a [n, m] tensor (or a flattened [n, ...] tensor with m trailing entries).</summary>
    public static float[] Column(Tensor t, int j, int m)
    {
        var s = t.Span;
        int n = s.Length / m;
        var c = new float[n];
        for (int i = 0; i < n; i++) c[i] = s[i * m + j];
        return c;
    }
}
