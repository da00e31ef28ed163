namespace Ppl.Inference.Distributed;

/// <summary>The processes of a data-parallel fit no longer hold the same parameters; the message names the ranks and the step.</summary>
public sealed class ParametersDivergedException(string message) : Exception(message);
