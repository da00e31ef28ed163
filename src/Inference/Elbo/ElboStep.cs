using Ppl.Runtime.Sites;

namespace Ppl.Inference.Elbo;

/// <summary>One gradient step's estimate: the ELBO (averaged over particles) and the last particle's traces, valid until the tape is reset.</summary>
public sealed record ElboStep(double Elbo, Trace GuideTrace, Trace ModelTrace);
