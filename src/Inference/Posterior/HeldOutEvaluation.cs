using Ppl.Runtime.Models;
using Ppl.Runtime.Numerics;
using Ppl.Runtime.Params;
using Ppl.Runtime.Random;
using Ppl.Runtime.Sites;
using Ppl.Runtime.Tensors;

namespace Ppl.Inference.Posterior;

/// <summary>The held-out figures of <see cref="HeldOutEvaluation"/>, totals over the data (divide by <see cref="Points"/> for per point).</summary>
/// <param name="Elbo">the ELBO, E_q[log p(x, z) − log q(z)], averaged over the K draws</param>
/// <param name="Bound">the importance-weighted bound L_K</param>
/// <param name="Points">the data points: the elements of the plates the observations lie in (an image of a VAE), else
/// the observed scalars</param>
/// <param name="Swept">the subsampled plate swept in full, or null when the figures estimate the whole from one minibatch</param>
public sealed record HeldOutFigures(double Elbo, double Bound, double Points, string? Swept);

/// <summary>
/// The ELBO and importance-weighted bound of a fitted model on (held-out) data. When every latent is local to one
/// subsampled plate (a VAE's codes), the plate is swept in chunks of its minibatch size, each at fixed indices
/// (<see cref="PinnedPlate"/>), so every element is evaluated exactly once per draw rather than a random minibatch
/// being scaled up: the figure is then the one a PyTorch loop over the test set prints. Per chunk the bound is
/// L_K = Σ_i logmeanexp_k w_k,i (<see cref="ImportanceWeightedBound"/>), and the ELBO the mean over k of Σ_i w_k,i —
/// the same K draws serve both. Terms outside the plate are counted once, from the first chunk. Otherwise (a global
/// latent, or no subsampled plate) the figures are those of one <see cref="ImportanceWeightedBound"/> evaluation.
/// </summary>
public static class HeldOutEvaluation
{
    /// <summary>Evaluates with <paramref name="particles"/> guide draws per element.</summary>
    public static HeldOutFigures Run(IModel model, IModel guide, ParamStore store, Rng rng, int particles)
    {
        var (_, probe) = PosteriorSampler.Run(model, guide, store, rng);
        double points = probe.Observations.Sum(PointsOf);
        var first = ImportanceWeightedBound.Estimate(model, guide, store, rng, particles);
        var plate = SubsampledPlate(probe);
        if (plate is null || !first.PerElement || first.Plate != plate.Name)
            return new HeldOutFigures(MeanElbo(first, ScaleOf(probe, first.Plate)), first.Bound, points, null);

        double elbo = first.GlobalLogWeights.Average(), bound = SpecialFunctions.LogMeanExp(first.GlobalLogWeights);
        int chunk = plate.SubsampleSize;
        for (int start = 0; start < plate.Size; start += chunk)
        {
            int n = Math.Min(chunk, plate.Size - start);
            var idx = IntTensor.Vector([.. Enumerable.Range(start, n)]);
            var e = ImportanceWeightedBound.Estimate(new PinnedPlate(model, plate.Name, idx), new PinnedPlate(guide, plate.Name, idx), store, rng, particles);
            for (int i = 0; i < n; i++) bound += SpecialFunctions.LogMeanExp(e.ElementLogWeights.Select(w => w[i]).ToArray());
            elbo += e.ElementLogWeights.Average(w => w.Sum());
        }
        return new HeldOutFigures(elbo, bound, points, plate.Name);
    }

    /// <summary>
    /// An observed site's data points: its plates' elements (each one a point — an image, a row) scaled to the full
    /// plates, or, outside any plate, its scalars.
    /// </summary>
    public static double PointsOf(Site s)
    {
        int plates = s.Plates.Count;
        var shape = s.Value!.Shape;
        if (plates == 0 || shape.Length < plates) return (double)s.Value.Size * s.Scale;
        double elements = 1;
        for (int i = 0; i < plates; i++) elements *= shape[i];
        return elements * s.Scale;
    }

    /// <summary>The outermost plate of the observations that runs a subsample, or null.</summary>
    static PlateFrame? SubsampledPlate(Trace model) =>
        model.Observations.SelectMany(s => s.Plates.Take(1)).FirstOrDefault(p => p.SubsampleSize < p.Size && p.Shards == 1);

    /// <summary>The scale of the plate the estimate weighted per element (its element weights are unscaled).</summary>
    static float ScaleOf(Trace trace, string? plate) =>
        plate is null ? 1f : trace.Sites.SelectMany(s => s.Plates).FirstOrDefault(p => p.Name == plate)?.Scale ?? 1f;

    static double MeanElbo(ImportanceWeightedEstimate e, float scale)
    {
        double total = 0;
        for (int k = 0; k < e.GlobalLogWeights.Length; k++) total += e.GlobalLogWeights[k] + scale * e.ElementLogWeights[k].Sum();
        return total / e.GlobalLogWeights.Length;
    }
}
