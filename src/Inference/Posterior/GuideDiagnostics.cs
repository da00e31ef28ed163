using System.Globalization;
using Ppl.Runtime.Models;
using Ppl.Runtime.Params;
using Ppl.Runtime.Random;

namespace Ppl.Inference.Posterior;

/// <summary>PSIS k̂ of a fitted guide against its model, with the user-facing verdict.</summary>
/// <param name="K">k̂ (NaN when it could not be estimated)</param>
/// <param name="Draws">S, the guide draws used</param>
/// <param name="Warning">a sentence when k̂ &gt; 0.7 (or could not be estimated), else null</param>
public sealed record GuideDiagnostics(double K, int Draws, string? Warning)
{
    /// <summary>
    /// Draws S times from the guide, weighs each draw by log w = log p(x, z) − log q(z) (the model's log joint replayed
    /// at the draw, minus the guide's log density and that of the exact draws of enumerated sites) and computes <see cref="ParetoSmoothing.ParetoK"/> of the weights.
    /// </summary>
    public static GuideDiagnostics Of(IModel model, IModel guide, ParamStore store, int draws = 1000, ulong seed = 0)
    {
        var logW = new double[draws];
        PosteriorSampler.Draws(model, guide, store, draws, new Rng(seed), (s, m, logProposal) => logW[s] = m.LogJoint().ToScalar() - logProposal);
        double k = ParetoSmoothing.ParetoK(logW);
        string? warning = double.IsNaN(k)
            ? "Pareto k̂ could not be estimated (the importance weights are degenerate or not finite)"
            : k > ParetoSmoothing.Threshold
                ? string.Create(CultureInfo.InvariantCulture, $"Pareto k̂ = {k:F2} > {ParetoSmoothing.Threshold}: the guide misses posterior mass; its means and especially its intervals are unreliable (try --guide mvn, or a flow)")
                : null;
        return new GuideDiagnostics(k, draws, warning);
    }
}
