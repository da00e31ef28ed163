using Ppl.Runtime.Autodiff;

namespace Ppl.Inference.Optimizers;

/// <summary>Updates parameter leaves from their accumulated gradients.</summary>
public interface IOptimizer
{
    /// <summary>Applies one update to every parameter from its <see cref="Var.Grad"/>, then zeroes the gradients.</summary>
    void Step(IEnumerable<Var> parameters);
}
