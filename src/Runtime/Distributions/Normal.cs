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

    /// <summary>log p(x) = −½((x − μ)/σ)² − log σ − ½ log 2π, one fused node evaluated in double.</summary>
    public override Var LogProb(Var value) => Ops.Elementwise<LogDensity>(value, Loc, Scale);

    /// <summary>
    /// log p(x; μ, σ) with z = (x − μ)/σ: ∂/∂x = −z/σ, ∂/∂μ = z/σ, ∂/∂σ = (z² − 1)/σ. One node instead of seven
    /// composed ones: the log density of a scalar or small site costs one op on the tape.
    /// </summary>
    readonly struct LogDensity : IScalarFunction3
    {
        public static double Value(double x, double mu, double sigma)
        {
            double z = (x - mu) / sigma;
            return -0.5 * z * z - Math.Log(sigma) - HalfLog2Pi;
        }

        public static (double Da, double Db, double Dc) Gradient(double x, double mu, double sigma)
        {
            double z = (x - mu) / sigma;
            return (-z / sigma, z / sigma, (z * z - 1) / sigma);
        }
    }

    const double HalfLog2Pi = 0.918938533204672742;

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
