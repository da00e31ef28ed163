using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Distributions.Constraints;
using Ppl.Runtime.Random;
using Ppl.Runtime.Tensors;

namespace Ppl.Runtime.Distributions;

/// <summary>
/// Uniform(low, high): p(x) = 1/(b − a) on [a, b). Reparameterized as x = a + (b − a)·u, u ~ U[0, 1), which is
/// differentiable in both ends.
/// </summary>
public sealed class Uniform : Distribution
{
    /// <summary>Lower end a.</summary>
    public Var Low { get; }
    /// <summary>Upper end b &gt; a.</summary>
    public Var High { get; }

    /// <summary>Uniform on [<paramref name="low"/>, <paramref name="high"/>) (broadcast).</summary>
    public Uniform(Var low, Var high)
    {
        Low = low;
        High = high;
        BatchShape = DistributionParams.BatchShape(low, high);
    }

    /// <inheritdoc/>
    public override int[] BatchShape { get; }

    /// <summary>
    /// The interval [a, b]. A <see cref="Constraint"/> holds one pair of bounds, so this is only defined when every
    /// batch element has the same ends (the usual <c>Uniform(0, 1)</c> prior); per-element ends throw rather than
    /// return a wrong set that an automatic guide would then map onto.
    /// </summary>
    public override Constraint Support
    {
        get
        {
            var lo = Low.Value.Span; var hi = High.Value.Span;
            foreach (float v in lo) if (v != lo[0]) throw PerElement();
            foreach (float v in hi) if (v != hi[0]) throw PerElement();
            return Constraint.Between(lo[0], hi[0]);
        }
    }

    static NotSupportedException PerElement() =>
        new("Uniform with different bounds per batch element has no single interval constraint");

    /// <inheritdoc/>
    public override bool HasRSample => true;

    /// <summary>
    /// log p(x) = −log(b − a) for a ≤ x ≤ b, −∞ otherwise. The closed upper end (a null set) is accepted because
    /// a + (b − a)·u can round onto b in float even though u &lt; 1.
    /// </summary>
    public override Var LogProb(Var value)
    {
        var lp = -Ops.Log(High - Low);
        var inside = Ops.Mul(Ops.Compare(value, Low, static (x, a) => x >= a), Ops.Compare(value, High, static (x, b) => x <= b)).Value;
        return Ops.Where(inside, lp, float.NegativeInfinity);
    }

    /// <inheritdoc/>
    public override Var RSample(Rng rng, int[]? sampleShape = null)
    {
        var u = DistributionParams.Noise(Low.Tape is null ? High : Low, ExtendedShape(sampleShape), rng.FillUniform);
        return Low + (High - Low) * u;
    }

    /// <inheritdoc/>
    public override Tensor Sample(Rng rng, int[]? sampleShape = null) => Ops.Detach(RSample(rng, sampleShape)).Value;

    /// <inheritdoc/>
    public override Distribution Expand(int[] batchShape) =>
        new Uniform(DistributionParams.Expand(Low, batchShape), DistributionParams.Expand(High, batchShape));

    /// <summary>E[x] = (a + b)/2.</summary>
    public override Var Mean => Ops.BroadcastTo(Ops.Mul(Low + High, 0.5f), BatchShape);

    /// <summary>Var[x] = (b − a)²/12.</summary>
    public override Var Variance => Ops.BroadcastTo(Ops.Mul(Ops.Square(High - Low), 1f / 12f), BatchShape);

    /// <summary>H = log(b − a).</summary>
    public override Var Entropy() => Ops.BroadcastTo(Ops.Log(High - Low), BatchShape);
}
