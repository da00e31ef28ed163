namespace Ppl.Runtime.Numerics;

public static partial class SpecialFunctions
{
    /// <summary>
    /// ln(1 + x), accurate for small |x|. .NET's <c>double.LogP1</c> is ln(1 + x) evaluated naively (it
    /// loses all digits for |x| &lt; 10⁻¹⁶), so own code: Goldberg's correction ln(u)·x/(u − 1) with u = 1 + x
    /// ("What every computer scientist should know about floating-point arithmetic", 1991, Thm 4), which
    /// cancels the rounding of u; within a few ulps.
    /// </summary>
    public static double Log1p(double x)
    {
        double u = 1.0 + x;
        if (u == 1.0) return x;
        if (double.IsPositiveInfinity(u)) return u;
        return Math.Log(u) * (x / (u - 1.0));
    }

    /// <summary>
    /// eˣ − 1, accurate for small |x|. Own code for the same reason as <see cref="Log1p(double)"/>:
    /// Kahan's (u − 1)·x / ln u with u = eˣ, which cancels the rounding of u.
    /// </summary>
    public static double Expm1(double x)
    {
        if (Math.Abs(x) < 1e-5) return x + 0.5 * x * x + x * x * x / 6.0; // next term x⁴/24 < 10⁻²¹·|x|
        double u = Math.Exp(x);
        if (u == 1.0) return x;
        double um1 = u - 1.0;
        if (um1 == -1.0) return -1.0;
        if (double.IsPositiveInfinity(u)) return u;
        return um1 * x / Math.Log(u);
    }

    /// <summary>softplus(x) = ln(1 + eˣ), without overflow for large x or loss for very negative x.</summary>
    public static double Softplus(double x) =>
        x > 0 ? x + Log1p(Math.Exp(-x)) : Log1p(Math.Exp(x));

    /// <summary>ln σ(x) = −softplus(−x), the log-probability of a Bernoulli(logits: x) success.</summary>
    public static double LogSigmoid(double x) => -Softplus(-x);

    /// <summary>σ(x) = 1/(1 + e⁻ˣ), written so that neither branch overflows.</summary>
    public static double Sigmoid(double x)
    {
        if (x >= 0) return 1.0 / (1.0 + Math.Exp(-x));
        double e = Math.Exp(x);
        return e / (1.0 + e);
    }

    /// <summary>
    /// logit(p) = ln(p/(1 − p)). Near ½, 2·atanh(2p − 1) (2p − 1 is exact for p ≥ ¼) avoids the
    /// cancellation of ln p − ln(1 − p); elsewhere that difference has no cancellation.
    /// </summary>
    public static double Logit(double p)
    {
        if (p >= 0.25 && p <= 0.75) return 2.0 * Math.Atanh(2.0 * p - 1.0);
        return Math.Log(p) - Log1p(-p);
    }

    /// <summary>
    /// ln(1 − eˣ) for x ≤ 0 (the log of a complementary probability given its log). Mächler, "Accurately
    /// computing log(1 − exp(−|a|))", Rmpfr vignette 2012: ln(−expm1 x) for x &gt; −ln 2, else log1p(−eˣ).
    /// </summary>
    public static double Log1mExp(double x)
    {
        if (x > 0) return double.NaN;
        return x > -0.69314718055994531 ? Math.Log(-Expm1(x)) : Log1p(-Math.Exp(x));
    }

    /// <summary>ln(eᵃ + eᵇ) without overflow.</summary>
    public static double LogAddExp(double a, double b)
    {
        double m = Math.Max(a, b);
        if (double.IsNegativeInfinity(m)) return m;
        if (double.IsPositiveInfinity(m)) return m;
        return m + Log1p(Math.Exp(-Math.Abs(a - b)));
    }

    /// <summary>ln Σᵢ exp(xᵢ), shifted by the maximum; −∞ for an empty span or all −∞.</summary>
    public static double LogSumExp(ReadOnlySpan<double> x) => ShiftedLogSum(x, 1);

    /// <summary>ln((1/n) Σᵢ exp(xᵢ)), shifted by the maximum (an importance-weighted bound, a mixture's density); −∞ for an empty span or all −∞.</summary>
    public static double LogMeanExp(ReadOnlySpan<double> x) => ShiftedLogSum(x, x.Length);

    static double ShiftedLogSum(ReadOnlySpan<double> x, double divisor)
    {
        double m = double.NegativeInfinity;
        foreach (double v in x) if (v > m || double.IsNaN(v)) m = v;
        if (double.IsInfinity(m) || double.IsNaN(m)) return m;
        double s = 0;
        foreach (double v in x) s += Math.Exp(v - m);
        return m + Math.Log(s / divisor);
    }

    /// <summary>ln Σᵢ exp(xᵢ) of floats, accumulated in double so long spans do not lose the small terms.</summary>
    public static float LogSumExp(ReadOnlySpan<float> x)
    {
        float m = float.NegativeInfinity;
        foreach (float v in x) if (v > m || float.IsNaN(v)) m = v;
        if (float.IsInfinity(m) || float.IsNaN(m)) return m;
        double s = 0;
        foreach (float v in x) s += Math.Exp((double)v - m);
        return (float)(m + Math.Log(s));
    }

    /// <summary>ln(1 + xᵢ) for each element.</summary>
    public static void Log1p(ReadOnlySpan<float> x, Span<float> dst)
    {
        CheckLengths(x.Length, dst.Length);
        for (int i = 0; i < x.Length; i++) dst[i] = (float)Log1p((double)x[i]);
    }

    /// <summary>exp(xᵢ) − 1 for each element.</summary>
    public static void Expm1(ReadOnlySpan<float> x, Span<float> dst)
    {
        CheckLengths(x.Length, dst.Length);
        for (int i = 0; i < x.Length; i++) dst[i] = (float)Expm1((double)x[i]);
    }

    /// <summary>softplus(xᵢ) for each element.</summary>
    public static void Softplus(ReadOnlySpan<float> x, Span<float> dst)
    {
        CheckLengths(x.Length, dst.Length);
        for (int i = 0; i < x.Length; i++) dst[i] = (float)Softplus((double)x[i]);
    }

    /// <summary>ln σ(xᵢ) for each element.</summary>
    public static void LogSigmoid(ReadOnlySpan<float> x, Span<float> dst)
    {
        CheckLengths(x.Length, dst.Length);
        for (int i = 0; i < x.Length; i++) dst[i] = (float)LogSigmoid((double)x[i]);
    }
}
