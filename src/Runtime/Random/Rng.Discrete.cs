namespace Ppl.Runtime.Random;

public sealed partial class Rng
{
    /// <summary>
    /// An index drawn with probability proportional to <paramref name="weights"/> (non-negative, not
    /// necessarily normalised): one uniform scaled by the total and a linear scan. For many draws from
    /// the same weights, build a cumulative table instead.
    /// </summary>
    public int Categorical(ReadOnlySpan<float> weights)
    {
        double total = 0;
        foreach (float w in weights)
        {
            if (!(w >= 0) || float.IsPositiveInfinity(w)) throw new ArgumentException("weights must be finite and non-negative", nameof(weights));
            total += w;
        }
        if (!(total > 0)) throw new ArgumentException("weights must have a positive sum", nameof(weights));
        double u = NextDouble() * total, acc = 0;
        int last = -1;
        for (int i = 0; i < weights.Length; i++)
        {
            if (weights[i] == 0) continue;
            acc += weights[i];
            last = i;
            if (u < acc) return i;
        }
        return last; // u landed in the rounding gap at the top: the last index with positive weight
    }

    /// <summary>
    /// The number of failures before the first success in Bernoulli(p) trials (support 0, 1, 2, ...,
    /// PyTorch's convention): ⌊ln U / ln(1 − p)⌋ with U ∈ (0, 1), which is exact inversion. Saturates at
    /// int.MaxValue for p so small that the draw would not fit.
    /// </summary>
    public int Geometric(double p)
    {
        if (!(p > 0 && p <= 1)) throw new ArgumentOutOfRangeException(nameof(p), p, "need 0 < p ≤ 1");
        if (p == 1) return 0;
        double k = Math.Floor(Math.Log(NextDoubleOpen()) / Numerics.SpecialFunctions.Log1p(-p));
        return k >= int.MaxValue ? int.MaxValue : (int)k;
    }

    /// <summary>
    /// A NegativeBinomial(total, p) draw: the number of successes before <paramref name="total"/> failures
    /// with success probability p (PyTorch's parameterisation, mean total·p/(1 − p)), as the gamma–Poisson
    /// mixture Poisson(Gamma(total)·p/(1 − p)). The Poisson rate must stay within <see cref="MaxPoissonRate"/>.
    /// </summary>
    public int NegativeBinomial(double total, double p)
    {
        if (!(p >= 0 && p < 1)) throw new ArgumentOutOfRangeException(nameof(p), p, "need 0 ≤ p < 1");
        if (p == 0) return 0;
        return Poisson(Gamma(total) * (p / (1 - p)));
    }
}
