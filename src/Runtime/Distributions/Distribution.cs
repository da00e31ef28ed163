using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Distributions.Constraints;
using Ppl.Runtime.Random;
using Ppl.Runtime.Tensors;

namespace Ppl.Runtime.Distributions;

/// <summary>
/// A batch of independent distributions, each over events of <see cref="EventShape"/>. Parameters are
/// <see cref="Var"/>s so log densities and reparameterized samples are differentiable in them.
/// Shapes follow PyTorch/Pyro: a sample has shape sampleShape ++ BatchShape ++ EventShape; <see cref="LogProb"/>
/// returns one value per batch element (event dimensions summed).
/// </summary>
public abstract class Distribution
{
    /// <summary>Shape of the batch of independent distributions.</summary>
    public abstract int[] BatchShape { get; }

    /// <summary>Shape of one event (empty for scalar distributions).</summary>
    public virtual int[] EventShape => Shapes.Scalar;

    /// <summary>BatchShape ++ EventShape: the shape of one draw.</summary>
    public int[] Shape => EventShape.Length == 0 ? BatchShape : [.. BatchShape, .. EventShape];

    /// <summary>The set the values lie in.</summary>
    public abstract Constraint Support { get; }

    /// <summary>
    /// Whether <see cref="RSample"/> is available: a draw that is a differentiable function of the parameters
    /// (pathwise gradients). The ELBO reads this flag, never the distribution's type.
    /// </summary>
    public virtual bool HasRSample => false;

    /// <summary>Whether the values are discrete (ints stored as floats).</summary>
    public virtual bool IsDiscrete => Support.IsDiscrete;

    /// <summary>log p(value), one entry per batch element (value broadcasts against BatchShape ++ EventShape).</summary>
    public abstract Var LogProb(Var value);

    /// <summary>A draw of shape sampleShape ++ Shape, not differentiable.</summary>
    public abstract Tensor Sample(Rng rng, int[]? sampleShape = null);

    /// <summary>A reparameterized draw: differentiable in the parameters. Only when <see cref="HasRSample"/>.</summary>
    public virtual Var RSample(Rng rng, int[]? sampleShape = null) =>
        throw new NotSupportedException($"{GetType().Name} has no reparameterized sampler");

    /// <summary>The same family with parameters broadcast to a larger batch shape (independent copies).</summary>
    public abstract Distribution Expand(int[] batchShape);

    /// <summary>The mean, where it exists in closed form.</summary>
    public virtual Var Mean => throw new NotSupportedException($"{GetType().Name} has no closed-form mean");

    /// <summary>The variance, where it exists in closed form.</summary>
    public virtual Var Variance => throw new NotSupportedException($"{GetType().Name} has no closed-form variance");

    /// <summary>The entropy per batch element, where it exists in closed form.</summary>
    public virtual Var Entropy() => throw new NotSupportedException($"{GetType().Name} has no closed-form entropy");

    /// <summary>Whether the support is finite and can be enumerated (exact enumeration of discrete sites).</summary>
    public virtual bool HasEnumerateSupport => false;

    /// <summary>Every value of the support, stacked on a new leading axis: shape [n] ++ BatchShape ++ EventShape.</summary>
    public virtual Tensor EnumerateSupport() =>
        throw new NotSupportedException($"{GetType().Name} cannot enumerate its support");

    /// <summary>sampleShape ++ Shape.</summary>
    protected int[] ExtendedShape(int[]? sampleShape) => sampleShape is null or { Length: 0 } ? Shape : [.. sampleShape, .. Shape];
}
