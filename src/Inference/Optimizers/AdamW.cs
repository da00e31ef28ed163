using Ppl.Runtime.Tensors;

namespace Ppl.Inference.Optimizers;

/// <summary>
/// AdamW (Loshchilov &amp; Hutter 2019, "Decoupled weight decay regularization", Algorithm 2): the parameter shrinks
/// by lr·λ·p before the Adam step, instead of λp joining the gradient (where Adam's scaling would weaken it for
/// parameters with large gradients): p ← p − lr·λ·p, then p ← p − lr·m̂/(√v̂ + ε).
/// </summary>
public sealed class AdamW(float lr = 1e-3f, float weightDecay = 1e-2f, float beta1 = 0.9f, float beta2 = 0.999f, float eps = 1e-8f) : Optimizer(lr)
{
    /// <inheritdoc/>
    protected override int Slots => 2;

    /// <inheritdoc/>
    protected override void Update(Span<float> p, Span<float> g, float[][] slots, int t)
    {
        float shrink = 1f - LearningRate * weightDecay;
        for (int i = 0; i < p.Length; i++) p[i] *= shrink;
        OptimizerKernels.AdamStep(p, g, slots[0], slots[1], LearningRate, beta1, beta2, eps, t);
    }
}
