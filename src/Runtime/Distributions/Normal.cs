using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Distributions.Constraints;
using Ppl.Runtime.Random;
using Ppl.Runtime.Tensors;

namespace Ppl.Runtime.Distributions;

/// <summary>
/// Normal(loc, scale): p(x) = exp(−(x − μ)²/(2σ²)) / (σ√(2π)). Reparameterized as x = μ + σ·ε, ε ~ N(0, 1).
/// </summary>
public sealed class Normal : Distribution
{
    /// <summary>Mean μ.</summary>
    public Var Loc { get; }
    /// <summary>Standard deviation σ &gt; 0.</summary>
    public Var Scale { get; }

    /// <summary>Normal with mean <paramref name="loc"/> and standard deviation <paramref name="scale"/> (broadcast).</summary>
    public Normal(Var loc, Var scale)
    {
        Loc = loc;
        Scale = scale;
        BatchShape = DistributionParams.BatchShape(loc, scale);
    }

    /// <inheritdoc/>
    public override int[] BatchShape { get; }
    /// <inheritdoc/>
    public override Constraint Support => Constraint.Real;
    /// <inheritdoc/>
    public override bool HasRSample => true;

    /// <summary>log p(x) = −½((x − μ)/σ)² − log σ − ½ log 2π.</summary>
    public override Var LogProb(Var value)
    {
        var z = (value - Loc) / Scale;
        return Ops.Mul(Ops.Square(z), -0.5f) - Ops.Log(Scale) - DistributionParams.HalfLog2Pi;
    }

    /// <inheritdoc/>
    public override Var RSample(Rng rng, int[]? sampleShape = null)
    {
        var eps = DistributionParams.Noise(Loc.Tape is null ? Scale : Loc, ExtendedShape(sampleShape), rng.FillNormal);
        return Loc + Scale * eps;
    }

    /// <inheritdoc/>
    public override Tensor Sample(Rng rng, int[]? sampleShape = null) => Ops.Detach(RSample(rng, sampleShape)).Value;

    /// <inheritdoc/>
    public override Distribution Expand(int[] batchShape) =>
        new Normal(DistributionParams.Expand(Loc, batchShape), DistributionParams.Expand(Scale, batchShape));

    /// <inheritdoc/>
    public override Var Mean => Ops.BroadcastTo(Loc, BatchShape);
    /// <inheritdoc/>
    public override Var Variance => Ops.BroadcastTo(Ops.Square(Scale), BatchShape);

    /// <summary>H = ½ + ½ log 2π + log σ.</summary>
    public override Var Entropy() => Ops.BroadcastTo(Ops.Log(Scale) + (0.5f + DistributionParams.HalfLog2Pi), BatchShape);
}
