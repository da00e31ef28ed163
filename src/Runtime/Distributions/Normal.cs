using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Distributions.Constraints;
using Ppl.Runtime.Random;
using Ppl.Runtime.Tensors;

namespace Ppl.Runtime.Distributions;

/// <summary>
/// Normal(loc, scale): p(x) = exp(−(x − μ)²/(2σ²)) / (σ√(2π)). Reparameterized as x = μ + σ·ε, ε ~ N(0, 1).
/// </summary>
public sealed class Normal : LocationScaleDistribution
{
    /// <summary>Normal with mean <paramref name="loc"/> and standard deviation <paramref name="scale"/> (broadcast).</summary>
    public Normal(Var loc, Var scale) : base(loc, scale) { }

    /// <summary>log p(x) = −½((x − μ)/σ)² − log σ − ½ log 2π.</summary>
    public override Var LogProb(Var value)
    {
        var z = Standardize(value);
        return Ops.Mul(Ops.Square(z), -0.5f) - Ops.Log(Scale) - DistributionParams.HalfLog2Pi;
    }

    /// <inheritdoc/>
    protected override void FillStandard(Rng rng, Span<float> destination) => rng.FillNormal(destination);

    /// <inheritdoc/>
    protected override LocationScaleDistribution With(Var loc, Var scale) => new Normal(loc, scale);

    /// <inheritdoc/>
    public override Var Mean => Ops.BroadcastTo(Loc, BatchShape);
    /// <inheritdoc/>
    public override Var Variance => Ops.BroadcastTo(Ops.Square(Scale), BatchShape);

    /// <summary>H = ½ + ½ log 2π + log σ.</summary>
    public override Var Entropy() => Ops.BroadcastTo(Ops.Log(Scale) + (0.5f + DistributionParams.HalfLog2Pi), BatchShape);
}
