using Ppl.Runtime.Tensors;

namespace Ppl.Inference.Optimizers;

/// <summary>
/// Pyro's ClippedAdam: each gradient entry is clamped to [−clip, clip] before an Adam step, and the learning rate
/// decays by the factor <paramref name="lrDecay"/> per step of the parameter (lr_t = lr·lrd^(t−1)). The clamp bounds
/// any one step by about lr whatever a wild gradient does — robust for the first steps of a fit from a poor start.
/// </summary>
public sealed class ClippedAdam(float lr = 1e-3f, float clip = 10f, float lrDecay = 1f, float beta1 = 0.9f, float beta2 = 0.999f, float eps = 1e-8f) : Optimizer(lr)
{
    /// <inheritdoc/>
    protected override int Slots => 2;

    /// <inheritdoc/>
    protected override void Update(Span<float> p, Span<float> g, float[][] slots, int t)
    {
        for (int i = 0; i < g.Length; i++) g[i] = Math.Clamp(g[i], -clip, clip);
        float lr = lrDecay == 1f ? LearningRate : (float)(LearningRate * Math.Pow(lrDecay, t - 1));
        OptimizerKernels.AdamStep(p, g, slots[0], slots[1], lr, beta1, beta2, eps, t);
    }
}
