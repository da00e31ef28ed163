using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Distributions.Constraints;
using Ppl.Runtime.Numerics;
using Ppl.Runtime.Random;
using Ppl.Runtime.Tensors;

namespace Ppl.Runtime.Distributions;

/// <summary>
/// The law of K draws of a scalar distribution sorted increasingly along the last axis: what a site declared
/// <c>ordered[K]</c> gets (Stan's <c>ordered[K] mu; mu ~ normal(0, 10);</c>). When the base's K elements are
/// independent and identically distributed, this is exactly their order statistics, with density
/// K!·Πₖ p(yₖ) on increasing y. That is the usual way to identify the components of a mixture: its exchangeable
/// prior puts one copy of every mode in each of the K! orderings, and the order statistics keep one.
/// For a base whose elements differ it is the base restricted to increasing vectors, times K!: Stan's unnormalised
/// <c>ordered</c> prior; its log density is off by a constant, which moves no gradient.
/// The support is <see cref="Constraint.Ordered"/>, so an automatic guide reaches it through
/// <see cref="Transforms.OrderedTransform"/>. Drawn by sorting the base's draws; there is no reparameterized sampler.
/// </summary>
public sealed class OrderStatistics : Distribution
{
    /// <summary>The order statistics of <paramref name="base"/>'s elements along its last batch axis.</summary>
    public OrderStatistics(Distribution @base)
    {
        if (@base.EventShape.Length != 0) throw new ShapeException($"an ordered vector sorts scalar draws; {@base.GetType().Name} draws events of shape {Shapes.Format(@base.EventShape)}");
        if (@base.BatchShape.Length == 0) throw new ShapeException($"an ordered vector needs a vector of draws (shape [..., K]); {@base.GetType().Name} has a scalar shape");
        if (@base.Support != Constraint.Real) throw new ArgumentException($"an ordered vector needs draws on the whole real line; {@base.GetType().Name}'s support is {@base.Support.Name}");
        Base = @base;
        BatchShape = @base.BatchShape[..^1];
        EventShape = [@base.BatchShape[^1]];
        logFactorial = (float)SpecialFunctions.LogGamma(EventShape[0] + 1.0);
    }

    readonly float logFactorial;

    /// <summary>The distribution whose draws are sorted.</summary>
    public Distribution Base { get; }

    /// <inheritdoc/>
    public override int[] BatchShape { get; }
    /// <inheritdoc/>
    public override int[] EventShape { get; }
    /// <inheritdoc/>
    public override Constraint Support => Constraint.Ordered;

    /// <summary>log K! + Σₖ log p(yₖ): the base's log densities summed over the vector (y is assumed increasing, as its support says).</summary>
    public override Var LogProb(Var value) => Ops.Sum(Base.LogProb(value), -1) + logFactorial;

    /// <inheritdoc/>
    public override Tensor Sample(Rng rng, int[]? sampleShape = null)
    {
        var draws = Base.Sample(rng, sampleShape);
        var span = draws.Span;
        int k = EventShape[0];
        for (int i = 0; i < span.Length; i += k) span.Slice(i, k).Sort();
        return draws;
    }

    /// <inheritdoc/>
    public override Distribution Expand(int[] batchShape) => new OrderStatistics(Base.Expand([.. batchShape, EventShape[0]]));
}
