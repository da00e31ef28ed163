namespace Ppl.Cli.Output;

/// <summary>
/// An exponential moving average of the ELBO, α = 2 / (window + 1) (the EMA whose centre of mass matches a
/// window-long simple average), started at the first value so early steps are not pulled towards zero. One
/// definition for the live progress line and the end-of-fit figure; the plot uses <see cref="Smooth"/>.
/// </summary>
public sealed class ElboSmoother(int window)
{
    readonly double alpha = 2.0 / (Math.Max(window, 1) + 1);
    bool started;

    /// <summary>The current smoothed value (NaN before the first).</summary>
    public double Value { get; private set; } = double.NaN;

    /// <summary>Folds in one ELBO value; a non-finite one is skipped so one bad step does not poison the average.</summary>
    public double Add(double elbo)
    {
        if (!double.IsFinite(elbo)) return Value;
        Value = started ? Value + alpha * (elbo - Value) : elbo;
        started = true;
        return Value;
    }

    /// <summary>
    /// The smoothed series of a whole trace for the plot: a centred moving average over 1/50 of its length (at
    /// least 5 steps, shrinking at the ends), which, unlike the running average, does not lag behind a rising ELBO.
    /// </summary>
    public static double[] Smooth(double[] elbo)
    {
        int half = Math.Max(5, elbo.Length / 50) / 2;
        var prefix = new double[elbo.Length + 1];
        for (int i = 0; i < elbo.Length; i++) prefix[i + 1] = prefix[i] + elbo[i];
        var result = new double[elbo.Length];
        for (int i = 0; i < elbo.Length; i++)
        {
            int lo = Math.Max(0, i - half), hi = Math.Min(elbo.Length, i + half + 1);
            result[i] = (prefix[hi] - prefix[lo]) / (hi - lo);
        }
        return result;
    }
}
