using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Distributions;
using Ppl.Runtime.Distributions.Constraints;
using Ppl.Runtime.Random;
using Ppl.Runtime.Tensors;

namespace Ppl.Inference.Guides;

/// <summary>
/// A point mass at <see cref="Value"/> (the MAP guide's site distribution): every draw is the value itself, still
/// differentiable in the parameter it is computed from, and log q = 0 per batch element, so the ELBO of a delta
/// guide is the log joint at the point. A flow guide gives its sites a point mass carrying a log density instead
/// (the Jacobian correction of the site's bijection), so that the sites' terms and the flow's auxiliary draw add up to
/// log q of the constrained values.
/// </summary>
public sealed class PointMass : Distribution
{
    readonly int eventDims;
    readonly Var? logDensity;

    /// <summary>A point mass at <paramref name="value"/> whose last <paramref name="eventDims"/> axes form one event.</summary>
    /// <param name="value">where the mass sits</param>
    /// <param name="support">the set the value lies in</param>
    /// <param name="eventDims">how many rightmost axes form one event</param>
    /// <param name="logDensity">what <see cref="LogProb"/> returns (batch-shaped); null for zeros</param>
    public PointMass(Var value, Constraint support, int eventDims, Var? logDensity = null)
    {
        Value = value;
        Support = support;
        this.eventDims = eventDims;
        this.logDensity = logDensity;
    }

    /// <summary>Where the mass sits.</summary>
    public Var Value { get; }

    /// <inheritdoc/>
    public override int[] BatchShape => Value.Shape[..^eventDims];
    /// <inheritdoc/>
    public override int[] EventShape => Value.Shape[^eventDims..];
    /// <inheritdoc/>
    public override Constraint Support { get; }
    /// <inheritdoc/>
    public override bool HasRSample => true;
    /// <inheritdoc/>
    public override Var Mean => Value;

    /// <summary>Zero per batch element (the density with respect to the point's own counting measure), or the given log density.</summary>
    public override Var LogProb(Var value) => logDensity ?? Var.Const(Tensor.Zeros(BatchShape));

    /// <inheritdoc/>
    public override Var RSample(Rng rng, int[]? sampleShape = null) =>
        sampleShape is null or { Length: 0 } ? Value : Ops.BroadcastTo(Value, ExtendedShape(sampleShape));

    /// <inheritdoc/>
    public override Tensor Sample(Rng rng, int[]? sampleShape = null) => RSample(rng, sampleShape).Value.Clone();

    /// <inheritdoc/>
    public override Distribution Expand(int[] batchShape) => new PointMass(Ops.BroadcastTo(Value, [.. batchShape, .. EventShape]), Support, eventDims);
}
