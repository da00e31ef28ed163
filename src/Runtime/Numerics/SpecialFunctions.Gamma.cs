namespace Ppl.Runtime.Numerics;

/// <summary>
/// Special functions for densities, their gradients and samplers. Double-precision scalars, with float
/// span versions where a distribution evaluates them elementwise. Each function says where it comes
/// from: own code where MathNet.Numerics 5.0 was measured not accurate enough (against 50-digit mpmath),
/// MathNet where it was.
/// </summary>
public static partial class SpecialFunctions
{
    private const double LnSqrt2Pi = 0.91893853320467274178; // ½·ln(2π)
    private const double EulerGamma = 0.57721566490153286061;

    // ζ(k) − 1 for k = 2..29: the Taylor coefficients of ln Γ(2 + ε) (see LogGammaNear2).
    private static readonly double[] ZetaMinusOne =
    {
        0.64493406684822643647, 0.2020569031595942854, 0.082323233711138191516, 0.036927755143369926331,
        0.017343061984449139715, 0.0083492773819228268398, 0.0040773561979443393787, 0.0020083928260822144179,
        0.00099457512781808533715, 0.0004941886041194645587, 0.00024608655330804829864, 0.00012271334757848914675,
        0.000061248135058704829259, 0.000030588236307020493552, 0.000015282259408651871733, 7.6371976378997622736e-6,
        3.8172932649998398565e-6, 1.9082127165539389257e-6, 9.5396203387279611315e-7, 4.7693298678780646312e-7,
        2.3845050272773299e-7, 1.1921992596531107307e-7, 5.9608189051259479612e-8, 2.9803503514652280186e-8,
        1.4901554828365041235e-8, 7.450711789835429492e-9, 3.7253340247884570548e-9, 1.8626597235130490064e-9,
    };

    // Bernoulli numbers B₂ₖ, k = 1..9, for the Stirling and digamma/trigamma asymptotic series.
    private static readonly double[] Bernoulli2k =
    {
        1.0 / 6, -1.0 / 30, 1.0 / 42, -1.0 / 30, 5.0 / 66, -691.0 / 2730, 7.0 / 6, -3617.0 / 510, 43867.0 / 798,
    };

    /// <summary>
    /// ln |Γ(x)|. Own code: MathNet's <c>GammaLn</c> (Lanczos) has relative errors up to 8·10⁻¹⁰ near the
    /// zeros at 1 and 2, which matters for log-probabilities of small counts. Here: the Stirling series for
    /// x ≥ 10; below that the recurrence moves x to 2 + ε with |ε| ≤ ½, where
    /// ln Γ(2 + ε) = (1 − γ)ε + Σₖ₌₂ (−1)ᵏ (ζ(k) − 1) εᵏ / k (Abramowitz &amp; Stegun 6.1.33) is exact at the
    /// zeros; reflection for x &lt; 0. +∞ at the poles 0, −1, −2, ...
    /// </summary>
    public static double LogGamma(double x)
    {
        if (double.IsNaN(x)) return x;
        if (x <= 0)
        {
            if (x == Math.Floor(x)) return double.PositiveInfinity;
            // Γ(x)Γ(1 − x) = π / sin(πx).
            return Math.Log(Math.PI / Math.Abs(SinPi(x))) - LogGamma(1 - x);
        }
        if (x >= 10) return StirlingLogGamma(x);
        if (x < 1.5)
        {
            // ln Γ(x) = ln Γ(x + 1) − ln x, and x + 1 = 2 + (x − 1).
            if (x >= 0.5) return LogGammaNear2(x - 1) - Log1p(x - 1);
            // x < ½: two steps up, ln Γ(x) = ln Γ(x + 2) − ln x − ln(x + 1), x + 2 = 2 + x.
            return LogGammaNear2(x) - Math.Log(x) - Log1p(x);
        }
        // 1.5 ≤ x < 10: step down to [1.5, 2.5); x − n is exact here.
        double prod = 1;
        while (x >= 2.5)
        {
            x -= 1;
            prod *= x;
        }
        return LogGammaNear2(x - 2) + Math.Log(prod);
    }

    /// <summary>ln Γ(2 + ε) for |ε| ≤ ½ by its Taylor series about 2 (terms fall like (ε/2)ᵏ/k).</summary>
    private static double LogGammaNear2(double eps)
    {
        double sum = 0;
        for (int k = ZetaMinusOne.Length + 1; k >= 2; k--)
        {
            double c = ZetaMinusOne[k - 2] / k;
            sum = sum * eps + ((k & 1) == 0 ? c : -c);
        }
        return eps * ((1 - EulerGamma) + eps * sum);
    }

    // (x − ½)ln x − x + ½ln 2π + Σₖ B₂ₖ / (2k(2k − 1)x^(2k−1)); at x ≥ 10 nine terms leave < 10⁻¹⁸.
    private static double StirlingLogGamma(double x)
    {
        double inv = 1 / x, inv2 = inv * inv, series = 0;
        for (int k = Bernoulli2k.Length; k >= 1; k--)
            series = series * inv2 + Bernoulli2k[k - 1] / (2 * k * (2 * k - 1));
        return (x - 0.5) * Math.Log(x) - x + LnSqrt2Pi + series * inv;
    }

    private static readonly double[] LogFactorialTable = BuildLogFactorials(256);

    private static double[] BuildLogFactorials(int n)
    {
        var t = new double[n];
        for (int k = 2; k < n; k++) t[k] = LogGamma(k + 1.0);
        return t;
    }

    /// <summary>ln k! for a whole number k ≥ 0 (a table below 256, <see cref="LogGamma(double)"/> above);
    /// the rejection samplers call it in their exact acceptance tests.</summary>
    public static double LogFactorial(double k) =>
        k < LogFactorialTable.Length && k >= 0 ? LogFactorialTable[(int)k] : LogGamma(k + 1);

    /// <summary>ln |Γ(x)| for each element (computed in double).</summary>
    public static void LogGamma(ReadOnlySpan<float> x, Span<float> dst)
    {
        CheckLengths(x.Length, dst.Length);
        for (int i = 0; i < x.Length; i++) dst[i] = (float)LogGamma(x[i]);
    }

    /// <summary>ln B(a, b) = ln Γ(a) + ln Γ(b) − ln Γ(a + b), with the Stirling parts combined when both
    /// arguments are large so that the cancellation of the three big logarithms does not eat the result.</summary>
    public static double LogBeta(double a, double b)
    {
        if (a > b) (a, b) = (b, a);
        if (a >= 10)
        {
            // Both ≥ 10: ln B = ½ln 2π − ½ln b + (a − ½)ln(a/(a+b)) + b·ln(b/(a+b)) + corrections, with the
            // Stirling remainders r(·) = ln Γ(·) − (Stirling's leading terms) subtracted exactly.
            double s = a + b;
            double corr = StirlingRemainder(a) + StirlingRemainder(b) - StirlingRemainder(s);
            return LnSqrt2Pi - 0.5 * Math.Log(b) + (a - 0.5) * Math.Log(a / s) + b * Log1p(-a / s) + corr;
        }
        if (b >= 10)
        {
            // Only b large: ln Γ(b) − ln Γ(a + b) = (b − ½)ln(b/(a+b)) − a·ln(a + b) + a + r(b) − r(a + b).
            double s = a + b;
            return LogGamma(a) + (b - 0.5) * Log1p(-a / s) - a * Math.Log(s) + a
                + StirlingRemainder(b) - StirlingRemainder(s);
        }
        return LogGamma(a) + LogGamma(b) - LogGamma(a + b);
    }

    // ln Γ(x) − [(x − ½)ln x − x + ½ln 2π] for x ≥ 10.
    private static double StirlingRemainder(double x)
    {
        double inv = 1 / x, inv2 = inv * inv, series = 0;
        for (int k = Bernoulli2k.Length; k >= 1; k--)
            series = series * inv2 + Bernoulli2k[k - 1] / (2 * k * (2 * k - 1));
        return series * inv;
    }

    /// <summary>
    /// ψ(x) = d ln Γ(x)/dx. Own code (MathNet's <c>DiGamma</c> is as accurate, ~10⁻¹⁵ absolute, but this
    /// one is shared with the shape derivative below): recurrence ψ(x) = ψ(x + 1) − 1/x up to x ≥ 10, then
    /// ψ(x) = ln x − 1/(2x) − Σₖ B₂ₖ/(2k x²ᵏ) (A&amp;S 6.3.18); reflection ψ(1 − x) − ψ(x) = π cot(πx) for x ≤ 0.
    /// Absolute error about 10⁻¹⁵, so the relative error grows near the root x₀ ≈ 1.4616.
    /// </summary>
    public static double Digamma(double x)
    {
        if (double.IsNaN(x) || x == double.NegativeInfinity) return double.NaN;
        if (x <= 0)
        {
            if (x == Math.Floor(x)) return double.NaN;
            return Digamma(1 - x) - Math.PI * CosPi(x) / SinPi(x);
        }
        double shift = 0;
        while (x < 10)
        {
            shift += 1 / x;
            x += 1;
        }
        double inv2 = 1 / (x * x), series = 0;
        for (int k = Bernoulli2k.Length; k >= 1; k--)
            series = series * inv2 + Bernoulli2k[k - 1] / (2 * k);
        return Math.Log(x) - 0.5 / x - series * inv2 - shift;
    }

    /// <summary>ψ(x) for each element (computed in double).</summary>
    public static void Digamma(ReadOnlySpan<float> x, Span<float> dst)
    {
        CheckLengths(x.Length, dst.Length);
        for (int i = 0; i < x.Length; i++) dst[i] = (float)Digamma(x[i]);
    }

    /// <summary>
    /// ψ′(x), the trigamma function (MathNet has none). Recurrence ψ′(x) = ψ′(x + 1) + 1/x² up to x ≥ 10,
    /// then ψ′(x) = 1/x + 1/(2x²) + Σₖ B₂ₖ/x²ᵏ⁺¹ (A&amp;S 6.4.12); reflection
    /// ψ′(1 − x) + ψ′(x) = π²/sin²(πx) for x ≤ 0. Needed by the Gamma and Beta Fisher information and by
    /// second-order checks of the Dirichlet log-density.
    /// </summary>
    public static double Trigamma(double x)
    {
        if (double.IsNaN(x) || x == double.NegativeInfinity) return double.NaN;
        if (x <= 0)
        {
            if (x == Math.Floor(x)) return double.PositiveInfinity;
            double s = SinPi(x);
            return Math.PI * Math.PI / (s * s) - Trigamma(1 - x);
        }
        double acc = 0;
        while (x < 10)
        {
            acc += 1 / (x * x);
            x += 1;
        }
        double inv = 1 / x, inv2 = inv * inv, series = 0;
        for (int k = Bernoulli2k.Length; k >= 1; k--)
            series = series * inv2 + Bernoulli2k[k - 1];
        return acc + inv + 0.5 * inv2 + series * inv2 * inv;
    }

    /// <summary>sin(πx) with the argument reduced exactly (x − 2·round(x/2) is exact in binary).</summary>
    internal static double SinPi(double x)
    {
        double r = x - 2 * Math.Round(0.5 * x); // r ∈ [−1, 1]
        double sign = 1;
        if (r < 0) { r = -r; sign = -1; }
        if (r > 0.5) r = 1 - r;                  // sin(π(1 − r)) = sin(πr), exact by Sterbenz
        return sign * Math.Sin(Math.PI * r);
    }

    /// <summary>cos(πx) with the same exact reduction.</summary>
    internal static double CosPi(double x)
    {
        double r = Math.Abs(x - 2 * Math.Round(0.5 * x)); // cos is even; r ∈ [0, 1]
        if (r == 0.5) return 0;
        return r > 0.5 ? -Math.Sin(Math.PI * (r - 0.5)) : Math.Sin(Math.PI * (0.5 - r));
    }

    private static void CheckLengths(int source, int destination)
    {
        if (source != destination)
            throw new ArgumentException($"destination length {destination} differs from source length {source}");
    }
}
