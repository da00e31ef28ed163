using Ppl.Inference.Elbo;
using Ppl.Inference.Posterior;
using Ppl.Inference.Tests.Elbo;
using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Distributions;
using Ppl.Runtime.Distributions.Constraints;
using Ppl.Runtime.Params;
using Ppl.Runtime.Random;
using Ppl.Runtime.Tensors;
using static Ppl.Inference.Tests.Elbo.TestModels;

namespace Ppl.Inference.Tests.Posterior;

public class ImportanceWeightedBoundTests
{
    static readonly float[] Xs = [0.8f, 1.9f, -0.3f, 1.2f, 0.6f, -1.1f];

    // A global latent: mu ~ N(0, 1); x_i ~ N(mu, 1).
    static readonly LambdaModel GlobalModel = NormalModel(Xs);

    static readonly LambdaModel GlobalGuide = NormalGuide(-0.3f, 0.5f);

    // Local latents in a subsampled plate: z_i ~ N(0, 1); x_i ~ N(z_i, 1); the guide's means are per data point.
    static LambdaModel LocalModel(int? subsample) => new("local", c =>
    {
        using var plate = c.Plate("n", Xs.Length, subsample, At);
        var z = c.Sample("z", new Normal(0f, 1f), [plate.Size], At);
        c.Observe("x", new Normal(z, 1f), Ops.Gather(c.Constant(Tensor.FromArray(Xs, Xs.Length)), plate.Indices), At);
    });

    static LambdaModel LocalGuide(int? subsample) => new("local_guide", c =>
    {
        var m = Vector(c, "mloc", [0.1f, 0.5f, -0.2f, 0.4f, 0.3f, -0.6f], Constraint.Real);
        using var plate = c.Plate("n", Xs.Length, subsample, At);
        c.Sample("z", new Normal(Ops.Gather(m, plate.Indices), 0.8f), At);
    });

    [Fact]
    public void Estimate_OneParticle_EqualsElbo()
    {
        var store = new ParamStore();
        var elbo = new TraceElbo(new ElboOptions { AnalyticKl = false });
        foreach (var (model, guide) in new[] { (GlobalModel, GlobalGuide), (LocalModel(null), LocalGuide(null)) })
        {
            var iwae = ImportanceWeightedBound.Estimate(model, guide, store, new Rng(4), 1);
            // Same seed, same draws: K = 1 is the ELBO estimate itself (float sums: 1e-4).
            Assert.Equal(elbo.Evaluate(model, guide, store, new Rng(4)), iwae.Bound, 1e-4);
        }
    }

    [Fact]
    public void Estimate_TenParticles_ExceedsElboInExpectation()
    {
        var store = new ParamStore();
        var elbo = new TraceElbo(new ElboOptions { AnalyticKl = false });
        var rng = new Rng(5);
        var iw = new List<double>();
        var el = new List<double>();
        for (int r = 0; r < 400; r++)
        {
            iw.Add(ImportanceWeightedBound.Estimate(GlobalModel, GlobalGuide, store, rng, 10).Bound);
            el.Add(elbo.Evaluate(GlobalModel, GlobalGuide, store, rng));
        }
        // The guide is off the posterior (mean −0.3 vs 0.44, sd 0.5 vs 0.38; KL ≈ 2), so the gap is clear: more than 4 standard
        // errors of the difference of the two means.
        double se = Math.Sqrt(Variance(iw) / iw.Count + Variance(el) / el.Count);
        Assert.True(iw.Average() - el.Average() > 4 * se, $"IWAE {iw.Average()} vs ELBO {el.Average()} (se {se})");
    }

    [Fact]
    public void Estimate_LocalLatentsInSubsampledPlate_WeightsPerElementMatchHandComputation()
    {
        var store = new ParamStore();
        const int k = 4, batch = 3;
        var est = ImportanceWeightedBound.Estimate(LocalModel(batch), LocalGuide(batch), store, new Rng(6), k);
        Assert.True(est.PerElement);
        Assert.Equal("n", est.Plate);
        float[] m = [0.1f, 0.5f, -0.2f, 0.4f, 0.3f, -0.6f];
        double expected = 0;
        for (int i = 0; i < batch; i++)
        {
            var w = new double[k];
            for (int p = 0; p < k; p++)
            {
                var trace = est.GuideTraces[p];
                int idx = trace["n"].Value!.Value.ToArray().Select(v => (int)v).ToArray()[i];
                double z = trace["z"].Value!.Value.Span[i];
                w[p] = LogNormal(z, 0, 1) + LogNormal(Xs[idx], z, 1) - LogNormal(z, m[idx], 0.8);
                Assert.Equal(w[p], est.ElementLogWeights[p][i], 4);
            }
            double max = w.Max();
            expected += Math.Log(w.Sum(x => Math.Exp(x - max)) / k) + max;
        }
        // Minibatch of 3 of 6: each element's logmeanexp is scaled by N/M = 2 (float sums: 1e-3).
        Assert.Equal(2 * expected, est.Bound, 1e-3);
    }

    static double LogNormal(double x, double mean, double sd) =>
        -0.5 * Math.Log(2 * Math.PI) - Math.Log(sd) - 0.5 * (x - mean) * (x - mean) / (sd * sd);
}
