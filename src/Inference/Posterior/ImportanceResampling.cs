using Ppl.Runtime.Random;

namespace Ppl.Inference.Posterior;

/// <summary>
/// Pareto-smoothed importance resampling of draws pooled from several proposals (the paths of a multi-path fit):
/// the log weights are smoothed (<see cref="ParetoSmoothing.Smooth"/>), normalised, and <c>count</c> draws are taken
/// from them multinomially, with replacement, as Stan's multi-path Pathfinder does by default (Zhang, Carpenter,
/// Gelman &amp; Vehtari 2022, "Pathfinder: parallel quasi-Newton variational inference", JMLR 23(306), §2.4).
/// </summary>
/// <param name="ParetoK">k̂ of the pooled weights (NaN when it could not be estimated; the weights were then used raw).</param>
/// <param name="PathShares">Per path, the sum of the normalised smoothed weights of its draws (they add up to 1).</param>
/// <param name="EffectivePaths">1 / Σ share²: how many paths the weights effectively draw on (1 to the number of paths).</param>
/// <param name="EffectiveDraws">Kish's effective sample size of the smoothed weights, 1 / Σ w², w normalised.</param>
/// <param name="Resampled">The indices of the draws kept, in the order drawn.</param>
public sealed record ImportanceResampling(double ParetoK, double[] PathShares, double EffectivePaths, double EffectiveDraws, int[] Resampled)
{
    /// <summary>The normalised smoothed weight of every draw (they add up to 1).</summary>
    public double[] Weights { get; init; } = [];

    /// <summary>
    /// Resamples <paramref name="count"/> of the draws whose log importance weights are <paramref name="logWeights"/>,
    /// draw i coming from path <paramref name="pathOf"/>[i] of <paramref name="paths"/>; the randomness is
    /// <paramref name="rng"/>'s. Draws with a weight that is not a number or +∞ are an error of the caller; −∞ is weight 0.
    /// </summary>
    public static ImportanceResampling Resample(ReadOnlySpan<double> logWeights, ReadOnlySpan<int> pathOf, int paths, int count, Rng rng)
    {
        int s = logWeights.Length;
        if (s == 0 || pathOf.Length != s) throw new ArgumentException($"{s} weights for {pathOf.Length} path labels");
        var w = Normalised(logWeights, out double k);
        var shares = new double[paths];
        double sumSquares = 0;
        for (int i = 0; i < s; i++)
        {
            shares[pathOf[i]] += w[i];
            sumSquares += w[i] * w[i];
        }
        double effectivePaths = 1 / shares.Sum(x => x * x);
        return new ImportanceResampling(k, shares, effectivePaths, 1 / sumSquares, Multinomial(w, count, rng)) { Weights = w };
    }

    /// <summary>
    /// The Pareto-smoothed weights of draws whose log importance weights are <paramref name="logWeights"/>, normalised to
    /// add up to 1, and their k̂ (NaN when it could not be estimated; the weights are then used raw).
    /// </summary>
    public static double[] Normalised(ReadOnlySpan<double> logWeights, out double paretoK) =>
        TryNormalised(logWeights, out paretoK) ?? throw new ArgumentException("no draw has a finite importance weight");

    /// <summary><see cref="Normalised"/>, or null when no draw has a finite weight (every log weight −∞).</summary>
    public static double[]? TryNormalised(ReadOnlySpan<double> logWeights, out double paretoK)
    {
        var smoothed = logWeights.ToArray();
        paretoK = ParetoSmoothing.Smooth(smoothed);
        double max = smoothed.Max();
        if (!double.IsFinite(max)) return null;
        var w = new double[smoothed.Length];
        double total = 0;
        for (int i = 0; i < w.Length; i++) total += w[i] = Math.Exp(smoothed[i] - max);
        for (int i = 0; i < w.Length; i++) w[i] /= total;
        return w;
    }

    /// <summary><paramref name="count"/> indices drawn independently with probabilities <paramref name="w"/> (normalised): inverse CDF by binary search.</summary>
    static int[] Multinomial(double[] w, int count, Rng rng)
    {
        var cdf = new double[w.Length];
        double c = 0;
        for (int i = 0; i < w.Length; i++) cdf[i] = c += w[i];
        var result = new int[count];
        for (int d = 0; d < count; d++)
        {
            double u = rng.NextDouble() * c;
            // The first index whose cumulative weight exceeds u: its weight is positive, so a zero-weight draw is never
            // picked; rounding can put u at the very top, which belongs to the last draw of positive weight.
            int lo = 0, hi = w.Length;
            while (lo < hi)
            {
                int mid = (lo + hi) >>> 1;
                if (cdf[mid] > u) hi = mid; else lo = mid + 1;
            }
            int i = lo < w.Length ? lo : LastPositive(w);
            result[d] = i;
        }
        return result;
    }

    static int LastPositive(double[] w)
    {
        for (int i = w.Length - 1; i >= 0; i--) if (w[i] > 0) return i;
        return w.Length - 1;
    }
}
