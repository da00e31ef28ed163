using Ppl.Runtime.Tensors;

namespace Ppl.Inference.Optimizers;

/// <summary>
/// Adam (Kingma &amp; Ba 2015) with bias correction, Pyro's and PyTorch's defaults (β₁ 0.9, β₂ 0.999, ε 1e-8);
/// <paramref name="weightDecay"/> is L2 added to the gradient (for decoupled decay see <see cref="AdamW"/>).
/// The update is one fused SIMD pass per parameter (<see cref="OptimizerKernels.AdamStep"/>).
/// </summary>
public sealed class Adam(float lr = 1e-3f, float beta1 = 0.9f, float beta2 = 0.999f, float eps = 1e-8f, float weightDecay = 0f) : Optimizer(lr)
{
    /// <inheritdoc/>
    protected override int Slots => 2;

    /// <inheritdoc/>
    protected override void Update(Span<float> p, Span<float> g, float[][] slots, int t) =>
        OptimizerKernels.AdamStep(p, g, slots[0], slots[1], LearningRate, beta1, beta2, eps, t, weightDecay);
}
