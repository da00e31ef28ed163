using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Distributions.Constraints;
using Ppl.Runtime.Random;
using Ppl.Runtime.Tensors;

namespace Ppl.Runtime.Distributions;

/// <summary>
/// A family x = μ + σ·ε over the real line, with ε drawn from a fixed standard member: the draw is pathwise in
/// μ and σ for free, so a family only states its standard sampler and its density.
/// </summary>
public abstract class LocationScaleDistribution : Distribution
{
    /// <summary>Location μ.</summary>
    public Var Loc { get; }
    /// <summary>Scale σ &gt; 0.</summary>
    public Var Scale { get; }

    /// <summary>Stores the (broadcast) parameters.</summary>
    protected LocationScaleDistribution(Var loc, Var scale)
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

    /// <summary>Fills <paramref name="destination"/> with draws of the standard member (μ = 0, σ = 1).</summary>
    protected abstract void FillStandard(Rng rng, Span<float> destination);

    /// <summary>The same family with other parameters (for <see cref="Expand"/>).</summary>
    protected abstract LocationScaleDistribution With(Var loc, Var scale);

    /// <summary>x = μ + σ·ε, one fused node (∂x/∂μ = 1, ∂x/∂σ = ε).</summary>
    public override Var RSample(Rng rng, int[]? sampleShape = null)
    {
        var eps = DistributionParams.Noise(Loc.Tape is null ? Scale : Loc, ExtendedShape(sampleShape));
        FillStandard(rng, eps.Value.Span);
        return Ops.Elementwise<Shift>(Loc, Scale, eps);
    }

    /// <summary>μ + σ·ε in double, rounded once: ∂/∂μ = 1, ∂/∂σ = ε, ∂/∂ε = σ.</summary>
    readonly struct Shift : IScalarFunction3
    {
        public static double Value(double mu, double sigma, double eps) => mu + sigma * eps;
        public static (double Da, double Db, double Dc) Gradient(double mu, double sigma, double eps) => (1, eps, sigma);
    }

    /// <inheritdoc/>
    public override Tensor Sample(Rng rng, int[]? sampleShape = null) => Ops.Detach(RSample(rng, sampleShape)).Value;

    /// <inheritdoc/>
    public override Distribution Expand(int[] batchShape) =>
        With(DistributionParams.Expand(Loc, batchShape), DistributionParams.Expand(Scale, batchShape));

    /// <summary>(x − μ)/σ.</summary>
    protected Var Standardize(Var value) => (value - Loc) / Scale;
}
