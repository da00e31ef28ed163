using Ppl.Cli.Bench;
using Ppl.Inference.Elbo;
using Ppl.Inference.Fitting;
using Ppl.Inference.Optimizers;
using Ppl.Runtime.Data;
using Ppl.Runtime.Random;
using Ppl.Runtime.Tensors;

namespace Ppl.Cli.Tests.Bench;

public class BenchVaeFitTests
{
    // vae.ppl at a smaller scale: 16×16 images, 4 latents, hidden layers of 64, minibatches of 32.
    const string BlobVae = """
        model Blobs {
          data N: int
          data x: real[N, 256]
          net decoder = Mlp(4, 64, 256) activation: relu
          plate n in N subsample 32 {
            z[n] ~ Normal(zeros(4), ones(4))
            x[n] / 255 ~ Bernoulli(logits: decoder(z[n]))
          }
        }
        guide BlobsGuide for Blobs {
          net encoder = Mlp(256, 64, 8) activation: relu
          plate n in N subsample 32 {
            let h = encoder(x[n] / 255)
            z[n] ~ Normal(h[0:4], softplus(h[4:8]))
          }
        }
        """;

    const int Side = 16, Images = 512;

    /// <summary>Binary 16×16 images (0 or 255) of one disc each, of random centre and radius 2.5–5.</summary>
    static Tensor Blobs(int n, ulong seed)
    {
        var rng = new Rng(seed);
        var u = new float[4];
        var x = new float[n * Side * Side];
        for (int i = 0; i < n; i++)
        {
            rng.FillUniform(u);
            float cx = 3 + 10 * u[0], cy = 3 + 10 * u[1], r = 2.5f + 2.5f * u[2];
            for (int row = 0; row < Side; row++)
                for (int col = 0; col < Side; col++)
                    x[(i * Side + row) * Side + col] = (row - cy) * (row - cy) + (col - cx) * (col - cx) <= r * r ? 255f : 0f;
        }
        return new Tensor(x, [n, Side * Side]);
    }

    /// <summary>
    /// −Σ_j H(p̄_j) per image: the log likelihood of the best model that ignores z (independent pixels at their
    /// frequencies p̄_j in the data; its KL is 0), which bounds the ELBO of any VAE whose latent carries nothing.
    /// </summary>
    static double LatentFreeLogLikelihood(Tensor x)
    {
        int n = x.Shape[0], d = x.Shape[1];
        var s = x.Span;
        double total = 0;
        for (int j = 0; j < d; j++)
        {
            double p = 0;
            for (int i = 0; i < n; i++) p += s[i * d + j] / 255.0;
            p /= n;
            if (p > 0 && p < 1) total += p * Math.Log(p) + (1 - p) * Math.Log(1 - p);
        }
        return total;
    }

    [Fact]
    public void Fit_SmallVaeOnBlobs_ElboBeatsEveryLatentFreeModel()
    {
        string dir = Directory.CreateTempSubdirectory("ppl-vae-").FullName;
        string path = Path.Combine(dir, "blobs.ppl");
        File.WriteAllText(path, BlobVae);
        var x = Blobs(Images, seed: 7);
        double latentFree = LatentFreeLogLikelihood(x);
        var options = new SviOptions { LearningRate = 3e-3f, Optimizer = lr => new Adam(lr), Seed = 3 };
        using var fit = VaeFit.Load(path, "Blobs", "BlobsGuide", new DataSet().Add("x", x), options);
        // Each step's estimate is of the ELBO of all N images (the plate scales a minibatch by N/M); per image below.
        double Mean(int from, int to)
        {
            double sum = 0;
            for (int step = from; step < to; step++)
            {
                fit.Svi.Fit(stopAt: step + 1);
                sum += fit.Svi.LastElbo / Images;
            }
            return sum / (to - from);
        }
        double first = Mean(0, 20), last = Mean(380, 400);
        // Discs cover ~17% of the pixels: a VAE at initialisation predicts p ≈ ½ for each (256·ln 2 ≈ 177 nats per
        // image), the best z-free model gets `latentFree` (≈ −103 nats for 512 such discs, by a numpy simulation of
        // this generator), and a VAE that encodes the disc's centre and radius in z must do better than that. The margin of 10 nats dwarfs the noise of a mean of 20 one-sample
        // estimates (the per-step standard deviation is a few nats at this point of the fit).
        Assert.True(first < latentFree - 20, $"the first steps' ELBO {first:0.0} is already near the latent-free bound {latentFree:0.0}");
        Assert.True(last > latentFree + 10, $"after 400 steps the ELBO {last:0.0} nats/image does not beat the latent-free bound {latentFree:0.0} by 10");
    }

    [Theory]
    [InlineData("vae.ppl", "Vae", "VaeGuide", EstimatorKind.Pathwise)]
    [InlineData("vae_planar.ppl", "VaePlanar", "VaePlanarGuide", EstimatorKind.Pathwise)]
    [InlineData("vae_iaf.ppl", "VaeIaf", "VaeIafGuide", EstimatorKind.Pathwise)]
    [InlineData("vae_discrete.ppl", "VaeDiscrete", "VaeDiscreteGuide", EstimatorKind.DisArm)]   // a Bernoulli code: DisARM by default
    [InlineData("vae_gumbel.ppl", "VaeGumbel", "VaeGumbelGuide", EstimatorKind.Pathwise)]
    public void Fit_EachVaeExample_TakesTwoFiniteSteps(string file, string model, string guide, EstimatorKind expected)
    {
        var images = new float[128 * 784];
        new Rng(5).FillUniform(images, 0f, 255f);
        var data = new DataSet().Add("x", new Tensor(images, [128, 784]));
        var options = new SviOptions { LearningRate = 1e-3f, Optimizer = lr => new Adam(lr), Seed = 1 };
        using var fit = VaeFit.Load(BenchVaeFit.ExamplePath(file), model, guide, data, options);
        var result = fit.Svi.Fit(stopAt: 2);
        Assert.Equal(0, result.Skipped);
        Assert.True(double.IsFinite(fit.Svi.LastElbo), $"{file}: ELBO {fit.Svi.LastElbo}");
        Assert.Equal(expected, Assert.Single(fit.Svi.Elbo.Estimators).Kind);
    }
}
