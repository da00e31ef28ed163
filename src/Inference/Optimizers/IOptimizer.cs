using Ppl.Runtime.Autodiff;

namespace Ppl.Inference.Optimizers;

/// <summary>Updates parameter leaves from their accumulated gradients.</summary>
public interface IOptimizer
{
    /// <summary>
    /// Applies one update to every parameter from its <see cref="Var.Grad"/>. The gradients are read (a rule may use
    /// their buffers as scratch), never zeroed: zeroing belongs to the loop that owns the step, once before the
    /// backward pass (<c>Svi.Fit</c>), so no second place can clear a gradient another part still needs.
    /// </summary>
    void Step(IEnumerable<Var> parameters);
}
