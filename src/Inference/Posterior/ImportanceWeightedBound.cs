using Ppl.Inference.Elbo;
using Ppl.Runtime.Models;
using Ppl.Runtime.Numerics;
using Ppl.Runtime.Params;
using Ppl.Runtime.Random;
using Ppl.Runtime.Sites;
using Ppl.Runtime.Tensors;

namespace Ppl.Inference.Posterior;

/// <summary>One evaluation of the importance-weighted bound.</summary>
/// <param name="Bound">the estimate of the bound</param>
/// <param name="PerElement">whether the weights were taken per plate element (false: one joint weight per particle)</param>
/// <param name="Plate">the plate whose elements got their own weights (null when none)</param>
/// <param name="ElementLogWeights">[k][i]: particle k's unscaled log-weight of element i of <paramref name="Plate"/></param>
/// <param name="GlobalLogWeights">[k]: particle k's log-weight of everything outside that plate (all of it when not per element)</param>
/// <param name="GuideTraces">the K guide traces, for inspection</param>
public sealed record ImportanceWeightedEstimate(
    double Bound, bool PerElement, string? Plate, double[][] ElementLogWeights, double[] GlobalLogWeights, IReadOnlyList<Trace> GuideTraces);

/// <summary>
/// The importance-weighted bound (Burda, Grosse and Salakhutdinov 2016),
/// L_K = E[log (1/K) Σ_k p(x, z_k) / q(z_k)] ≥ ELBO, for evaluation. When every latent lives inside one plate
/// (local latents, e.g. a VAE's codes) and nothing latent is global, the marginal likelihood factorises over the
/// plate's elements, so each element gets its own weight:
/// <code>L_K = logmeanexp_k G_k + (N/M) Σ_{i in batch} logmeanexp_k w_k,i</code>
/// where w_k,i = log p(x_i, z_k,i) − log q(z_k,i) (unscaled) and G_k the terms outside the plate. One global weight
/// over a minibatch instead makes the bound silently wrong (pyro issue 2220): logmeanexp of a sum is not the sum of
/// logmeanexps, and scaling a joint minibatch weight by N/M is not an estimate of either. When the guide has a
/// latent outside the plate the factorisation does not hold, and one joint weight per particle is used
/// (<see cref="ImportanceWeightedEstimate.PerElement"/> false): then, with a subsampled plate, the figure is an
/// estimate for that minibatch, not a bound on the whole data.
/// </summary>
public static class ImportanceWeightedBound
{
    /// <summary>Estimates L_K with <paramref name="particles"/> guide draws (no gradients).</summary>
    public static ImportanceWeightedEstimate Estimate(IModel model, IModel guide, ParamStore store, Rng rng, int particles)
    {
        if (particles < 1) throw new ArgumentOutOfRangeException(nameof(particles), "K must be at least 1");
        var runs = new Particle[particles];
        for (int k = 0; k < particles; k++)
            runs[k] = Particle.Run(model, guide, store, null, rng,
                s => s.Distribution!.HasRSample ? EstimatorKind.Pathwise : EstimatorKind.ScoreFunction, analyticKl: false);
        var plate = LocalPlate(runs[0].Guide);
        var global = new double[particles];
        var elements = new double[particles][];
        for (int k = 0; k < particles; k++)
        {
            elements[k] = new double[plate?.SubsampleSize ?? 0];
            foreach (var t in runs[k].Terms)
            {
                var v = t.Elementwise.Value;
                if (plate is not null && t.AlignedPlates > 0 && t.Site.Plates[0].Name == plate.Name && v.Shape[0] == plate.SubsampleSize)
                {
                    int inner = v.Size / v.Shape[0];
                    var s = v.Span;
                    for (int i = 0; i < v.Shape[0]; i++)
                        for (int j = 0; j < inner; j++) elements[k][i] += s[i * inner + j] / plate.Scale;
                }
                else foreach (var x in v.Span) global[k] += x;
            }
        }
        double bound = SpecialFunctions.LogMeanExp(global);
        if (plate is not null)
            for (int i = 0; i < plate.SubsampleSize; i++)
                bound += plate.Scale * SpecialFunctions.LogMeanExp(elements.Select(e => e[i]).ToArray());
        return new ImportanceWeightedEstimate(bound, plate is not null, plate?.Name, elements, global, runs.Select(r => r.Guide).ToArray());
    }

    /// <summary>The outermost plate every latent of the guide lies in, or null when some latent is global or the
    /// latents' shapes do not show the plate axis.</summary>
    static PlateFrame? LocalPlate(Trace guide)
    {
        PlateFrame? plate = null;
        foreach (var s in guide.Latents)
        {
            if (s.Plates.Count == 0 || LogDensityTerm.Aligned(s.Plates, s.LogProb.Shape) == 0) return null;
            if (plate is null) plate = s.Plates[0];
            else if (plate.Name != s.Plates[0].Name) return null;
        }
        return plate;
    }

}
