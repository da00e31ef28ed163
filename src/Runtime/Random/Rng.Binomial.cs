using Ppl.Runtime.Numerics;

namespace Ppl.Runtime.Random;

public sealed partial class Rng
{
    /// <summary>
    /// A Binomial(n, p) draw. With q = min(p, 1 − p) (the draw is reflected, n − k, when p &gt; ½):
    /// n·q &lt; 10: inversion, BINV of Kachitvichyanukul &amp; Schmeiser, "Binomial random variate
    /// generation", CACM 31(2), 1988 (about n·q + 1 steps). Otherwise BTRS, transformed rejection with
    /// squeeze, Hörmann, "The generation of binomial random variates", J. Stat. Comput. Simul. 46, 1993
    /// (constant expected cost).
    /// </summary>
    public int Binomial(int n, double p)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        if (!(p >= 0 && p <= 1)) throw new ArgumentOutOfRangeException(nameof(p), p, "need 0 ≤ p ≤ 1");
        if (n == 0 || p == 0) return 0;
        if (p == 1) return n;
        bool flip = p > 0.5;
        double q = flip ? 1 - p : p; // exact for p > ½
        int k = n * q < 10 ? BinomialInversion(n, q) : BinomialBtrs(n, q);
        return flip ? n - k : k;
    }

    private int BinomialInversion(int n, double p)
    {
        double s = p / (1 - p), a = (n + 1) * s;
        double r0 = Math.Exp(n * SpecialFunctions.Log1p(-p)); // (1 − p)ⁿ
        while (true)
        {
            double u = NextDouble(), r = r0;
            int x = 0;
            while (u > r)
            {
                u -= r;
                x++;
                if (x > n) break; // rounding left u above the last mass: draw again
                r *= a / x - s;
            }
            if (x <= n) return x;
        }
    }

    private int BinomialBtrs(int n, double p)
    {
        double q = 1 - p;
        double spq = Math.Sqrt(n * p * q);
        double b = 1.15 + 2.53 * spq;
        double a = -0.0873 + 0.0248 * b + 0.01 * p;
        double c = n * p + 0.5;
        double vr = 0.92 - 4.2 / b;
        // The mode's log-factorials and ln(p/q) serve only the exact test: computed on first need.
        double alpha = 0, lpq = 0, m = 0, h = double.NaN;
        while (true)
        {
            double u = NextDoubleOpen() - 0.5;
            double v = NextDoubleOpen();
            double us = 0.5 - Math.Abs(u);
            double k = Math.Floor((2 * a / us + b) * u + c);
            if (k < 0 || k > n) continue;
            if (us >= 0.07 && v <= vr) return (int)k;
            if (double.IsNaN(h))
            {
                alpha = (2.83 + 5.1 / b) * spq;
                lpq = Math.Log(p / q);
                m = Math.Floor((n + 1) * p);
                h = SpecialFunctions.LogFactorial(m) + SpecialFunctions.LogFactorial(n - m);
            }
            double lv = Math.Log(v * alpha / (a / (us * us) + b));
            if (lv <= h - SpecialFunctions.LogFactorial(k) - SpecialFunctions.LogFactorial(n - k) + (k - m) * lpq)
                return (int)k;
        }
    }
}
