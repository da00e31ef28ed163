using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Distributions;
using Ppl.Runtime.Distributions.Constraints;
using Ppl.Runtime.Random;
using Ppl.Runtime.Tensors;

namespace Ppl.Inference.Guides;

/// <summary>
/// The same draws as <see cref="Base"/> with its rightmost <see cref="Reinterpreted"/> batch axes read as event axes:
/// log p sums over them. A guide uses it so its site has the model site's batch and event shapes (a mean-field
/// normal over a Dirichlet's unconstrained coordinates must give one log q per batch element, like the prior).
/// </summary>
public sealed class Independent : Distribution
{
    /// <summary>Reinterprets <paramref name="reinterpreted"/> rightmost batch axes of <paramref name="baseDistribution"/>.</summary>
    public Independent(Distribution baseDistribution, int reinterpreted)
    {
        if (reinterpreted < 0 || reinterpreted > baseDistribution.BatchShape.Length)
            throw new ShapeException($"cannot reinterpret {reinterpreted} of the batch axes {Shapes.Format(baseDistribution.BatchShape)}");
        Base = baseDistribution;
        Reinterpreted = reinterpreted;
    }

    /// <summary>The distribution whose axes are reinterpreted.</summary>
    public Distribution Base { get; }
    /// <summary>How many batch axes became event axes.</summary>
    public int Reinterpreted { get; }

    /// <inheritdoc/>
    public override int[] BatchShape => Base.BatchShape[..^Reinterpreted];
    /// <inheritdoc/>
    public override int[] EventShape => [.. Base.BatchShape[^Reinterpreted..], .. Base.EventShape];
    /// <inheritdoc/>
    public override Constraint Support => Base.Support;
    /// <inheritdoc/>
    public override bool HasRSample => Base.HasRSample;
    /// <inheritdoc/>
    public override Var LogProb(Var value)
    {
        var lp = Base.LogProb(value);
        if (Reinterpreted == 0) return lp;
        var s = lp.Shape;
        int lead = s.Length - Reinterpreted;
        return Ops.Sum(Ops.Reshape(lp, [.. s[..lead], Shapes.Size(s[lead..])]), -1);
    }
    /// <inheritdoc/>
    public override Tensor Sample(Rng rng, int[]? sampleShape = null) => Base.Sample(rng, sampleShape);
    /// <inheritdoc/>
    public override Var RSample(Rng rng, int[]? sampleShape = null) => Base.RSample(rng, sampleShape);
    /// <inheritdoc/>
    public override Distribution Expand(int[] batchShape) => new Independent(Base.Expand([.. batchShape, .. Base.BatchShape[^Reinterpreted..]]), Reinterpreted);
    /// <inheritdoc/>
    public override Var Mean => Base.Mean;
    /// <inheritdoc/>
    public override Var Variance => Base.Variance;
}
