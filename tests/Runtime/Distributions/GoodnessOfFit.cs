namespace Ppl.Runtime.Tests.Distributions;

/// <summary>
/// Goodness-of-fit checks for the samplers of the gamma-family and discrete distributions. All run at fixed seeds, so
/// they are deterministic; the thresholds state how rarely a correct sampler would fail at a fresh seed and how far a
/// wrong one can be off and still pass. (The dist1 branch has a similar StatTests helper; whichever the lead keeps,
/// the two are interchangeable.)
/// </summary>
public static class GoodnessOfFit
{
    /// <summary>
    /// One-sample Kolmogorov–Smirnov: D = supₓ |Fₙ(x) − F(x)| and its p-value from Kolmogorov's limit law
    /// P(K &gt; λ) = 2 Σₖ₌₁ (−1)ᵏ⁻¹ e^(−2k²λ²) at λ = (√n + 0.12 + 0.11/√n)·D (Stephens 1970, JRSS B 32, whose
    /// correction makes the p-value accurate from n ≈ 5 on).
    /// </summary>
    public static (double D, double P) KolmogorovSmirnov(IEnumerable<float> sample, Func<double, double> cdf)
    {
        var x = sample.Select(v => (double)v).ToArray();
        Array.Sort(x);
        int n = x.Length;
        double d = 0;
        for (int i = 0; i < n; i++)
        {
            double f = cdf(x[i]);
            d = Math.Max(d, Math.Max((i + 1.0) / n - f, f - (double)i / n));
        }
        double sn = Math.Sqrt(n), lambda = (sn + 0.12 + 0.11 / sn) * d;
        if (lambda < 0.2) return (d, 1);
        double sum = 0;
        for (int k = 1; k <= 100; k++)
        {
            double term = (k % 2 == 1 ? 1 : -1) * Math.Exp(-2.0 * k * k * lambda * lambda);
            sum += term;
            if (Math.Abs(term) < 1e-16) break;
        }
        return (d, Math.Clamp(2 * sum, 0, 1));
    }

    /// <summary>
    /// Asserts a continuous sample fits its CDF: KS p-value above 10⁻³ (a correct sampler fails at one seed in a
    /// thousand; at n = 2·10⁴ a CDF off by 0.015 anywhere gives p &lt; 10⁻³).
    /// </summary>
    public static void AssertKs(IEnumerable<float> sample, Func<double, double> cdf, string what)
    {
        var (d, p) = KolmogorovSmirnov(sample, cdf);
        Assert.True(p > 1e-3, $"{what}: KS D = {d:G4}, p = {p:G3}");
    }

    /// <summary>
    /// Pearson's χ² test of integer draws against a probability mass function: values 0..max are binned with the
    /// upper tail pooled into the last bin, adjacent bins merged until each expects at least 5 draws (so the χ²
    /// approximation holds), and the statistic Σ (O − E)²/E is referred to χ² with (bins − 1) degrees of freedom.
    /// Returns the p-value.
    /// </summary>
    public static double ChiSquare(IEnumerable<float> sample, Func<int, double> pmf, int max)
    {
        var xs = sample.ToArray();
        int n = xs.Length;
        var observed = new double[max + 2];
        foreach (float v in xs)
        {
            Assert.True(v == MathF.Round(v) && v >= 0, $"draw {v} is not a non-negative integer");
            observed[Math.Min((int)v, max + 1)]++;
        }
        var expected = new double[max + 2];
        double cum = 0;
        for (int k = 0; k <= max; k++) { expected[k] = n * pmf(k); cum += pmf(k); }
        expected[max + 1] = n * Math.Max(0, 1 - cum);
        var (o, e) = (new List<double>(), new List<double>());
        double ob = 0, eb = 0;
        for (int k = 0; k < expected.Length; k++)
        {
            ob += observed[k]; eb += expected[k];
            if (eb >= 5) { o.Add(ob); e.Add(eb); ob = 0; eb = 0; }
        }
        if (e.Count == 0) return 1;
        o[^1] += ob; e[^1] += eb;
        double stat = 0;
        for (int i = 0; i < e.Count; i++) stat += (o[i] - e[i]) * (o[i] - e[i]) / e[i];
        if (e.Count < 2) return 1;
        return 1 - MathNet.Numerics.Distributions.ChiSquared.CDF(e.Count - 1, stat);
    }

    /// <summary>
    /// Asserts integer draws fit a pmf: χ² p-value above 10⁻³ (false alarm one seed in a thousand; with 2·10⁴ draws
    /// a probability off by 10% in a bin expecting 500 draws already gives p ≈ 10⁻³).
    /// </summary>
    public static void AssertChiSquare(IEnumerable<float> sample, Func<int, double> pmf, int max, string what)
    {
        double p = ChiSquare(sample, pmf, max);
        Assert.True(p > 1e-3, $"{what}: χ² p = {p:G3}");
    }

    /// <summary>
    /// The Gamma(shape, rate) CDF P(α, βx). MathNet's regularized incomplete gamma returns 0 for arguments below about
    /// 10⁻¹⁵ (measured: P(0.1, 10⁻¹⁵) should be 0.033), which matters for small shapes, where a few percent of the mass
    /// lies there; below 10⁻¹⁰ the series P(α, x) = xᵅe⁻ˣ/Γ(α + 1)·(1 + x/(α + 1) + ...) is used instead, its first
    /// term exact to 10⁻¹⁰ relative.
    /// </summary>
    public static double GammaCdf(double shape, double rate, double x)
    {
        double y = rate * x;
        if (y <= 0) return 0;
        if (y < 1e-10) return Math.Exp(shape * Math.Log(y) - MathNet.Numerics.SpecialFunctions.GammaLn(shape + 1)) * (1 + y / (shape + 1));
        return MathNet.Numerics.SpecialFunctions.GammaLowerRegularized(shape, y);
    }

    /// <summary>Mean, variance (n − 1 divisor) and fourth central moment, accumulated in double.</summary>
    public static (double Mean, double Variance, double M4) Moments(ReadOnlySpan<float> s)
    {
        double m = 0;
        foreach (float v in s) m += v;
        m /= s.Length;
        double m2 = 0, m4 = 0;
        foreach (float v in s) { double d = v - m, d2 = d * d; m2 += d2; m4 += d2 * d2; }
        return (m, m2 / (s.Length - 1), m4 / s.Length);
    }

    /// <summary>Mean and its standard error sd/√n of a set of per-draw values, in double.</summary>
    public static (double Mean, double Se) MeanAndSe(ReadOnlySpan<double> s)
    {
        double m = 0;
        foreach (double v in s) m += v;
        m /= s.Length;
        double q = 0;
        foreach (double v in s) q += (v - m) * (v - m);
        return (m, Math.Sqrt(q / (s.Length - 1) / s.Length));
    }

    /// <summary>
    /// Asserts the sample mean and variance are within 5 standard errors of the expected ones: SE(mean) = σ/√n and
    /// SE(variance) = √((μ₄ − σ⁴)/n), with the sample's own fourth moment. 5 SE is a two-sided false alarm rate of
    /// 6·10⁻⁷ under the normal approximation, sound at the sample sizes used (n ≥ 10⁴).
    /// </summary>
    public static void AssertMoments(ReadOnlySpan<float> s, double mean, double variance, string what)
    {
        var (m, v, m4) = Moments(s);
        int n = s.Length;
        double seMean = Math.Sqrt(variance / n), seVar = Math.Sqrt(Math.Max(m4 - v * v, 0) / n);
        Assert.True(Math.Abs(m - mean) <= 5 * seMean, $"{what}: mean {m:G6}, expected {mean:G6} (SE {seMean:G3})");
        Assert.True(Math.Abs(v - variance) <= 5 * seVar, $"{what}: variance {v:G6}, expected {variance:G6} (SE {seVar:G3})");
    }
}
