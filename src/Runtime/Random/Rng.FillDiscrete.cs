namespace Ppl.Runtime.Random;

public sealed partial class Rng
{
    // Elementwise versions of the discrete samplers for batched distributions, whose values are stored as
    // floats (exact for counts below 2²⁴). Parameters are already expanded to the batch: one per element.

    /// <summary>dst[i] = 1 with probability probs[i], else 0: one 24-bit uniform from the 8-lane stream per
    /// element, compared with p (so p = 0 never and p = 1 always gives 1).</summary>
    public void FillBernoulli(ReadOnlySpan<float> probs, Span<float> dst)
    {
        CheckSameLength(probs.Length, dst.Length);
        FillUniform(dst);
        for (int i = 0; i < dst.Length; i++) dst[i] = dst[i] < probs[i] ? 1f : 0f;
    }

    /// <summary>dst[i] ~ Poisson(rate[i]), by <see cref="Poisson(double)"/>.</summary>
    public void FillPoisson(ReadOnlySpan<float> rate, Span<float> dst)
    {
        CheckSameLength(rate.Length, dst.Length);
        for (int i = 0; i < dst.Length; i++) dst[i] = Poisson(rate[i]);
    }

    /// <summary>dst[i] ~ Binomial(total[i], probs[i]), by <see cref="Binomial(int, double)"/>; totals must be
    /// whole numbers.</summary>
    public void FillBinomial(ReadOnlySpan<float> total, ReadOnlySpan<float> probs, Span<float> dst)
    {
        CheckSameLength(total.Length, dst.Length);
        CheckSameLength(probs.Length, dst.Length);
        for (int i = 0; i < dst.Length; i++)
        {
            float n = total[i];
            if (!(n >= 0) || n != MathF.Floor(n) || n > int.MaxValue)
                throw new ArgumentOutOfRangeException(nameof(total), n, "binomial totals must be non-negative whole numbers");
            dst[i] = Binomial((int)n, probs[i]);
        }
    }

    /// <summary>dst[i] ~ Geometric(probs[i]) (failures before the first success), by <see cref="Geometric"/>.</summary>
    public void FillGeometric(ReadOnlySpan<float> probs, Span<float> dst)
    {
        CheckSameLength(probs.Length, dst.Length);
        for (int i = 0; i < dst.Length; i++) dst[i] = Geometric(probs[i]);
    }

    /// <summary>
    /// One categorical index per row: <paramref name="weights"/> holds dst.Length rows of
    /// <paramref name="categories"/> non-negative weights each (row-major, not necessarily normalised).
    /// </summary>
    public void FillCategorical(ReadOnlySpan<float> weights, int categories, Span<float> dst)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(categories);
        if (weights.Length != categories * dst.Length)
            throw new ArgumentException($"weights length {weights.Length} is not {categories} × {dst.Length}");
        for (int i = 0; i < dst.Length; i++) dst[i] = Categorical(weights.Slice(i * categories, categories));
    }

    private static void CheckSameLength(int source, int destination)
    {
        if (source != destination)
            throw new ArgumentException($"parameter length {source} differs from destination length {destination}");
    }
}
