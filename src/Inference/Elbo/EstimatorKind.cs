namespace Ppl.Inference.Elbo;

/// <summary>Per-site gradient estimators (see <see cref="Estimators.EstimatorPolicy"/> for the defaults).</summary>
public enum EstimatorKind
{
    /// <summary>Reparameterized: the gradient flows through the draw (the guide's RSample).</summary>
    Pathwise,
    /// <summary>Score function (REINFORCE): ∇ log q(z) · (downstream cost − baseline).</summary>
    ScoreFunction,
    /// <summary>Exact enumeration: a finite discrete site of the model that the guide does not sample is summed out of the joint (see Enumeration/DiscreteFactorGraph); one the guide samples has its expectation under the guide summed exactly (Enumeration/GuideEnumeration).</summary>
    Enumerate,
    /// <summary>DisARM for a Bernoulli guide site: antithetic pairs of particles (see Estimators/DisArm).</summary>
    DisArm,
}
