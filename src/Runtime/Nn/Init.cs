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
            default:
                throw new ArgumentOutOfRangeException(nameof(scheme), scheme, "unknown initialization scheme");
        }
    }
}
