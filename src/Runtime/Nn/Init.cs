using Ppl.Runtime.Random;
using Ppl.Runtime.Tensors;

namespace Ppl.Runtime.Nn;

/// <summary>How a layer's weights are drawn.</summary>
public enum InitScheme
{
    /// <summary>
    /// Glorot &amp; Bengio 2010 ("Understanding the difficulty of training deep feedforward neural networks"):
    /// U(−a, a) with a = √(6/(fan_in + fan_out)), keeping activation and gradient variances equal across layers of
    /// a roughly linear (tanh, softplus, output) network.
    /// </summary>
    Xavier,

    /// <summary>
    /// He et al. 2015 ("Delving deep into rectifiers"): N(0, 2/fan_in), compensating for ReLU (and ELU) zeroing half
    /// of its inputs' variance.
    /// </summary>
    Kaiming,

    /// <summary>
    /// U(−1/√fan_in, 1/√fan_in), variance 1/(3·fan_in): PyTorch's <c>nn.Linear</c> default (its Kaiming-uniform with
    /// a = √5), a third of LeCun's 1/fan_in (LeCun et al. 1998, "Efficient BackProp"). For a network's final, linear
    /// layer: its outputs start small (about 0.6 of the last hidden layer's RMS), so a VAE's encoder starts near
    /// q(z|x) = N(0, softplus(0)) and its decoder's logits near 0, and Adam's first steps shape them from there.
    /// Xavier's bound, √(6/(fan_in + fan_out)), is 2.3 and 1.4 times larger on the 400 → 40 and 400 → 784 heads of the
    /// reference VAE. Measured (issue 11) with bench/vae_init_study.py, mean test ELBO of 3 seeds after epochs 1/2/3:
    /// Xavier heads −260.9/−254.2/−251.5, these −260.3/−253.4/−250.5 (PyTorch's own init −261.9/−253.9/−250.4; seed
    /// to seed sd ≈ 0.2–0.6); with 8 planar flows (1 seed) −259.4/−252.9/−250.3 against −258.8/−252.6/−250.1. ppl's
    /// examples/vae/vae.ppl, seed 1: −260.90/−254.49/−251.65 with Xavier heads, −259.93/−253.75/−250.81 with these.
    /// </summary>
    UniformFanIn,
}

/// <summary>Weight initialization from an <see cref="Rng"/> (so a seed fixes every net).</summary>
public static class Init
{
    /// <summary>Fills a [fan_in, fan_out] weight matrix by <paramref name="scheme"/>.</summary>
    public static void Fill(Tensor weight, int fanIn, int fanOut, InitScheme scheme, Rng rng)
    {
        if (weight.Size == 0) return;
        switch (scheme)
        {
            case InitScheme.Xavier:
                float a = MathF.Sqrt(6f / Math.Max(1, fanIn + fanOut));
                rng.FillUniform(weight.Span, -a, a);
                break;
            case InitScheme.Kaiming:
                rng.FillNormal(weight.Span, 0f, MathF.Sqrt(2f / Math.Max(1, fanIn)));
                break;
            case InitScheme.UniformFanIn:
                float bound = 1f / MathF.Sqrt(Math.Max(1, fanIn));
                rng.FillUniform(weight.Span, -bound, bound);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(scheme), scheme, "unknown initialization scheme");
        }
    }
}
