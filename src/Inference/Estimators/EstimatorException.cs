namespace Ppl.Inference.Estimators;

/// <summary>A gradient estimator that cannot apply to a site (e.g. pathwise forced on a discrete site): a user error with a located message.</summary>
public sealed class EstimatorException(string message) : Exception(message);
