using Ppl.Inference.Optimizers;
using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Random;
using Ppl.Runtime.Tensors;
using static Ppl.Runtime.Autodiff.Ops;

namespace Ppl.Cli.Bench;

/// <summary>
/// One training step of the seeds' VAE (Kingma &amp; Welling 2014) at batch 128 on random pixels in [0, 1]:
/// encoder 784-400 (ReLU) → 20 means and 20 log-variances, z = μ + σ·ε, decoder 20-400 (ReLU)-784 logits,
/// loss = mean over the batch of the Bernoulli cross-entropy Σ softplus(l) − x·l plus the analytic
/// KL(N(μ, σ²) ‖ N(0, 1)) = −½ Σ (1 + log σ² − μ² − σ²), then backward and one Adam update (lr 1e-3).
/// The same network and optimizer as shared/bench/torch_vae.py, which samples its KL term instead.
/// </summary>
public sealed class BenchVae
{
    /// <summary>Images per step.</summary>
    public const int Batch = 128;

    const int Pixels = 784, Hidden = 400, Latent = 20;

    readonly Var w1, b1, wMu, bMu, wLv, bLv, w3, b3, w4, b4;
    readonly Var[] parameters;
    readonly Tensor x, eps;
    readonly Tape tape = new();
    readonly Adam adam = new(1e-3f);
    readonly Rng rng = new(2);

    /// <summary>The network initialised like PyTorch's <c>nn.Linear</c> (uniform ±1/√fan-in) from a fixed seed.</summary>
    public BenchVae(ulong seed = 1)
    {
        var init = new Rng(seed);
        (w1, b1) = Linear(init, Pixels, Hidden, "e1");
        (wMu, bMu) = Linear(init, Hidden, Latent, "emu");
        (wLv, bLv) = Linear(init, Hidden, Latent, "elv");
        (w3, b3) = Linear(init, Latent, Hidden, "d1");
        (w4, b4) = Linear(init, Hidden, Pixels, "d2");
        parameters = [w1, b1, wMu, bMu, wLv, bLv, w3, b3, w4, b4];
        x = Tensor.Zeros(Batch, Pixels);
        init.FillUniform(x.Span);
        eps = Tensor.Zeros(Batch, Latent);
    }

    static (Var W, Var B) Linear(Rng rng, int fanIn, int fanOut, string name)
    {
        float bound = 1f / MathF.Sqrt(fanIn);
        var w = Tensor.Zeros(fanIn, fanOut);
        var b = Tensor.Zeros(fanOut);
        rng.FillUniform(w.Span, -bound, bound);
        rng.FillUniform(b.Span, -bound, bound);
        return (Var.Parameter(w, name + ".weight"), Var.Parameter(b, name + ".bias"));
    }

    /// <summary>Runs one step; returns the loss (nats per image) before the update.</summary>
    public float Step()
    {
        // This loop owns the step, so it zeroes the gradients (the optimizer only reads them).
        foreach (var p in parameters) { tape.Attach(p); p.Grad!.Span.Clear(); }
        rng.FillNormal(eps.Span);
        var xs = tape.Const(x);
        var h = Relu(MatMul(xs, w1) + b1);
        var mu = MatMul(h, wMu) + bMu;
        var logVar = MatMul(h, wLv) + bLv;
        var z = mu + Exp(0.5f * logVar) * tape.Const(eps);
        var logits = MatMul(Relu(MatMul(z, w3) + b3), w4) + b4;
        var crossEntropy = Sum(Softplus(logits) - xs * logits);
        var kl = -0.5f * Sum(1f + logVar - Square(mu) - Exp(logVar));
        var loss = (crossEntropy + kl) * (1f / Batch);
        float value = loss.ToScalar();
        tape.Backward(loss);
        adam.Step(parameters);
        tape.Reset();
        return value;
    }

    /// <summary>Training throughput in images per second with products on at most <paramref name="threads"/> threads.</summary>
    public static double ImagesPerSecond(int threads)
    {
        var vae = new BenchVae();
        int saved = Gemm.MaxThreads;
        Gemm.MaxThreads = threads;
        try
        {
            return Batch / BenchTimer.BestSecondsPerCall(() => vae.Step());
        }
        finally
        {
            Gemm.MaxThreads = saved;
        }
    }
}
