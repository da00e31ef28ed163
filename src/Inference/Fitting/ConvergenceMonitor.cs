namespace Ppl.Inference.Fitting;

/// <summary>
/// Decides when an ELBO trace has converged, on window means rather than single noisy estimates.
/// <para>
/// The ELBO estimates are cut into consecutive windows of W steps; window k has mean m_k and standard error
/// s_k = sd_k/√W (the estimates of successive steps are nearly independent: each draws fresh noise). The fit stops at the
/// end of window k (and not before <see cref="MinSteps"/>) when either
/// </para>
/// <list type="number">
/// <item><b>relative change</b> (Stan ADVI's <c>tol_rel_obj</c>, on smoothed values): for the last
/// <see cref="Patience"/> window pairs, |m_k − m_{k−1}| + 2·√(s_k² + s_{k−1}²) ≤ tol·|m_k| — the whole
/// two-standard-error interval of the change lies within tol, so a noisy plateau whose means happen to agree does not
/// stop early; or</item>
/// <item><b>no detectable progress</b>: m_k − m_{k−L} &lt; 2·√(s_k² + s_{k−L}²) with L = <see cref="Lookback"/> windows —
/// over L·W steps the ELBO did not rise by more than its noise. This ends a fit whose noise is too large for rule 1 to be
/// met (an oscillating or very noisy plateau, pymc issue 2031) instead of running to the budget, while a fit that is
/// still climbing, however noisily, keeps going because its rise over L windows is significant.</item>
/// </list>
/// </summary>
public sealed class ConvergenceMonitor
{
    readonly List<(double Mean, double Se)> windows = new();
    double sum, sumSq;
    int count;

    /// <summary>A monitor with relative tolerance <paramref name="tol"/> and windows of <paramref name="window"/> steps.</summary>
    public ConvergenceMonitor(double tol = 0.01, int window = 200, int minSteps = 1000)
    {
        if (window < 2) throw new ArgumentOutOfRangeException(nameof(window), "a window needs at least 2 steps");
        Tol = tol;
        Window = window;
        MinSteps = minSteps;
    }

    /// <summary>The relative tolerance.</summary>
    public double Tol { get; }
    /// <summary>W, steps per window.</summary>
    public int Window { get; }
    /// <summary>No stop before this many recorded steps.</summary>
    public int MinSteps { get; }
    /// <summary>Consecutive window pairs that must satisfy the relative-change rule.</summary>
    public const int Patience = 3;
    /// <summary>L, the windows over which progress must be detectable.</summary>
    public const int Lookback = 5;

    /// <summary>Steps recorded.</summary>
    public int Steps { get; private set; }

    /// <summary>Completed windows' (mean, standard error), oldest first.</summary>
    public IReadOnlyList<(double Mean, double Se)> Windows => windows;

    /// <summary>Which rule stopped the fit, once <see cref="Add"/> returned true.</summary>
    public string? Reason { get; private set; }

    /// <summary>The mean of the last complete window (NaN before the first).</summary>
    public double Smoothed => windows.Count > 0 ? windows[^1].Mean : double.NaN;

    /// <summary>Records one finite ELBO estimate; true when the fit has converged.</summary>
    public bool Add(double elbo)
    {
        Steps++;
        sum += elbo;
        sumSq += elbo * elbo;
        if (++count < Window) return false;
        double mean = sum / count, var = Math.Max(0, (sumSq - count * mean * mean) / (count - 1));
        windows.Add((mean, Math.Sqrt(var / count)));
        sum = sumSq = 0;
        count = 0;
        return Tol > 0 && Steps >= MinSteps && Check();
    }

    bool Check()
    {
        int k = windows.Count - 1;
        if (k >= Patience)
        {
            bool all = true;
            for (int j = k; j > k - Patience && all; j--)
            {
                var (m, s) = windows[j];
                var (mp, sp) = windows[j - 1];
                all = Math.Abs(m - mp) + 2 * Math.Sqrt(s * s + sp * sp) <= Tol * Math.Abs(m);
            }
            if (all)
            {
                Reason = $"relative change of the windowed ELBO below {Tol} for {Patience} windows of {Window} steps";
                return true;
            }
        }
        if (k >= Lookback)
        {
            var (m, s) = windows[k];
            var (mp, sp) = windows[k - Lookback];
            if (m - mp < 2 * Math.Sqrt(s * s + sp * sp))
            {
                Reason = $"no rise of the ELBO beyond its noise over {Lookback * Window} steps";
                return true;
            }
        }
        return false;
    }

    /// <summary>The state, for a checkpoint: the partial window's sums and count, then the windows.</summary>
    public double[] Export()
    {
        var s = new List<double> { Steps, sum, sumSq, count };
        foreach (var (m, se) in windows) { s.Add(m); s.Add(se); }
        return s.ToArray();
    }

    /// <summary>Restores <see cref="Export"/>'s state.</summary>
    public void Import(ReadOnlySpan<double> state)
    {
        if (state.Length < 4 || state.Length % 2 != 0) throw new InvalidDataException("corrupt convergence state");
        Steps = (int)state[0];
        sum = state[1];
        sumSq = state[2];
        count = (int)state[3];
        windows.Clear();
        for (int i = 4; i < state.Length; i += 2) windows.Add((state[i], state[i + 1]));
    }
}
