namespace Ppl.Inference.Elbo;

/// <summary>Per-site gradient estimators (issue 9 will add Enumerate, DisArm, learned baselines).</summary>
public enum EstimatorKind
{
    /// <summary>Reparameterized: the gradient flows through the draw (the guide's RSample).</summary>
    Pathwise,
    /// <summary>Score function (REINFORCE): ∇ log q(z) · (downstream cost − baseline).</summary>
    ScoreFunction,
}
