using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Distributions;
using Ppl.Runtime.Random;
using Ppl.Runtime.Sites;
using Ppl.Runtime.Tensors;

namespace Ppl.Inference.Estimators;

/// <summary>
/// DisARM (Dong, Mnih and Tucker 2020, "DisARMing an antithetic Bernoulli gradient estimator", NeurIPS,
/// arXiv 2006.10680) for a Bernoulli guide site with logits θ: one uniform u per element gives the antithetic pair
/// b = 1[u &lt; σ(θ)], b̃ = 1[1 − u &lt; σ(θ)], and
/// <code>∇_θ E[f(b)] ≈ ½ (f(b) − f(b̃)) · (−1)^b̃ · 1[b ≠ b̃] · σ(|θ|)</code>
/// per element, f being the element's downstream cost (the terms that depend on its draw). Unbiased, and it integrates
/// out the ARM estimator's noise analytically, so it beats REINFORCE with a leave-one-out baseline at the same two
/// model evaluations in the paper. Particles come in pairs (2i, 2i + 1) that share u and every plate's minibatch.
/// </summary>
public sealed class DisArm
{
    readonly Dictionary<string, Tensor> noise = new();
    readonly Dictionary<string, Var> minibatches = new();

    /// <summary>Whether the particle being drawn is the second of its pair (it reads 1 − u).</summary>
    public bool Antithetic { get; set; }

    /// <summary>
    /// The draw of a Bernoulli site: b from fresh u (first of a pair) or b̃ from the pair's 1 − u. The draw's buffer is
    /// rented from <paramref name="tape"/> when there is one, and u's buffer is kept per site from step to step, so a
    /// steady step allocates neither.
    /// </summary>
    public Tensor Draw(string site, Bernoulli d, Rng rng, Tape? tape = null)
    {
        var p = d.Probs.Value;
        if (!Antithetic || !noise.TryGetValue(site, out var u))
        {
            if (!noise.TryGetValue(site, out u) || !Shapes.Equal(u.Shape, p.Shape)) noise[site] = u = Tensor.Zeros(p.Shape);
            var us = u.Span;
            for (int i = 0; i < us.Length; i++) us[i] = rng.NextFloat();
        }
        var b = tape?.Alloc(p.Shape) ?? Tensor.Zeros(p.Shape);
        var bs = b.Span;
        var ps = p.Span;
        var un = u.Span;
        for (int i = 0; i < bs.Length; i++) bs[i] = (Antithetic ? 1f - un[i] : un[i]) < ps[i] ? 1f : 0f;
        return b;
    }

    /// <summary>
    /// The second particle of a pair replays the first one's plate indices: inside a subsampled plate both draws of a
    /// pair must weigh the same data elements, or f(b) − f(b̃) compares two different points.
    /// </summary>
    public void Plate(Site plate)
    {
        if (Antithetic && minibatches.TryGetValue(plate.Name, out var indices)) plate.Value = indices;
    }

    /// <summary>Keeps the first particle's plate indices for <see cref="Plate"/>.</summary>
    public void Opened(Site plate)
    {
        if (!Antithetic) minibatches[plate.Name] = plate.Value!;
    }

    /// <summary>
    /// The weight w per element such that ∂/∂θ Σ θ·w is the pair's estimate times 2 (the particles' mean halves it):
    /// w_j = (f(b) − f(b̃)) · (−1)^b̃_j · 1[b_j ≠ b̃_j] · σ(|θ_j|). The costs are per plate element, the leading axes of
    /// θ; an element's trailing axes (a vector of bits, such as a binary VAE's code) share its cost: the paper's
    /// multivariate DisARM, whose pair flips the whole vector at once.
    /// </summary>
    /// <remarks>The weights' buffer is rented from <paramref name="tape"/> when there is one.</remarks>
    public static Tensor Weight(Tensor logits, Tensor b, Tensor bTilde, Tensor costB, Tensor costBTilde, Tape? tape = null)
    {
        var w = tape?.Alloc(logits.Shape, clear: true) ?? Tensor.Zeros(logits.Shape);
        var ws = w.Span;
        var th = logits.Span;
        int block = ws.Length / costB.Size;
        for (int i = 0; i < ws.Length; i++)
        {
            if (b.Span[i] == bTilde.Span[i]) continue;
            float sign = bTilde.Span[i] == 1f ? -1f : 1f;
            ws[i] = (costB.Span[i / block] - costBTilde.Span[i / block]) * sign / (1f + MathF.Exp(-MathF.Abs(th[i])));
        }
        return w;
    }
}
