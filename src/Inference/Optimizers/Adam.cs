using System.Runtime.CompilerServices;
using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Tensors;

namespace Ppl.Inference.Optimizers;

/// <summary>
/// Adam (Kingma &amp; Ba 2015) with bias correction, Pyro's and PyTorch's defaults (β₁ 0.9, β₂ 0.999, ε 1e-8).
/// Moment buffers are created per parameter on first sight, so parameters that appear later (a net first used
/// in step 5) join without ceremony. The update is one fused SIMD pass per parameter.
/// </summary>
public sealed class Adam(float lr = 1e-3f, float beta1 = 0.9f, float beta2 = 0.999f, float eps = 1e-8f, float weightDecay = 0f) : IOptimizer
{
    sealed class State(int size)
    {
        public readonly float[] M = new float[size];
        public readonly float[] V = new float[size];
        public int T;
    }

    readonly ConditionalWeakTable<Var, State> states = new();

    /// <summary>Learning rate (may be changed between steps, e.g. by a schedule).</summary>
    public float LearningRate { get; set; } = lr;

    /// <inheritdoc/>
    public void Step(IEnumerable<Var> parameters)
    {
        foreach (var p in parameters)
        {
            if (p.Grad is null) continue;
            var s = states.GetValue(p, q => new State(q.Size));
            s.T++;
            OptimizerKernels.AdamStep(p.Value.Span, p.Grad.Span, s.M, s.V, LearningRate, beta1, beta2, eps, s.T, weightDecay);
            p.Grad.Span.Clear();
        }
    }
}
