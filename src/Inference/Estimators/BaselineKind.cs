namespace Ppl.Inference.Estimators;

/// <summary>Control variates for score-function sites.</summary>
public enum BaselineKind
{
    /// <summary>Plain REINFORCE: no baseline (for comparisons; high variance).</summary>
    None,
    /// <summary>Exponential moving average of the site's past downstream costs, per element (β = 0.9).</summary>
    Ema,
    /// <summary>The mean of the other K − 1 particles' costs (Kool, van Hoof and Welling 2019, "Buy 4 REINFORCE samples, get a baseline for free!").</summary>
    LeaveOneOut,
}
