using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Distributions.Constraints;
using Ppl.Runtime.Numerics;
using Ppl.Runtime.Random;
using Ppl.Runtime.Tensors;

namespace Ppl.Runtime.Distributions;

/// <summary>
/// Gamma(shape, rate): p(x) = βᵅ xᵅ⁻¹ e^(−βx)/Γ(α) for x &gt; 0. Reparameterized as x = g/β with g ~ Gamma(α, 1) and
/// the implicit gradient dg/dα = −(∂P(α, g)/∂α)/p(g; α) (Figurnov, Mohamed &amp; Mnih 2018; see
/// <see cref="Ops.StandardGamma"/>), exact for every shape, small α included; g/β is pathwise in β.
/// The log density is one fused double op (for α in the thousands its terms are of size α·log α and cancel).
/// </summary>
public sealed class Gamma : Distribution
{
    /// <summary>Gamma with shape <paramref name="shape"/> α &gt; 0 and rate <paramref name="rate"/> β &gt; 0 (broadcast).</summary>
    public Gamma(Var shape, Var rate)
    {
        Concentration = shape;
        Rate = rate;
        BatchShape = DistributionParams.BatchShape(shape, rate);
    }

    /// <summary>The shape α (PyTorch's concentration).</summary>
    public Var Concentration { get; }
    /// <summary>The rate β (inverse scale).</summary>
    public Var Rate { get; }

    /// <inheritdoc/>
    public override int[] BatchShape { get; }
    /// <inheritdoc/>
    public override Constraint Support => Constraint.Positive;
    /// <inheritdoc/>
    public override bool HasRSample => true;

    /// <summary>log p(x) = α·log β + (α − 1)·log x − βx − log Γ(α); −∞ for x &lt; 0.</summary>
    public override Var LogProb(Var value) => Ops.Elementwise<LogDensity>(value, Concentration, Rate);

    /// <inheritdoc/>
    public override Var RSample(Rng rng, int[]? sampleShape = null) =>
        Ops.StandardGamma(Concentration, ExtendedShape(sampleShape), rng) / Rate;

    /// <inheritdoc/>
    public override Tensor Sample(Rng rng, int[]? sampleShape = null) =>
        (Ops.StandardGamma(Ops.Detach(Concentration), ExtendedShape(sampleShape), rng) / Ops.Detach(Rate)).Value;

    /// <inheritdoc/>
    public override Distribution Expand(int[] batchShape) =>
        new Gamma(DistributionParams.Expand(Concentration, batchShape), DistributionParams.Expand(Rate, batchShape));

    /// <summary>E[x] = α/β.</summary>
    public override Var Mean => Ops.BroadcastTo(Concentration / Rate, BatchShape);
    /// <summary>Var[x] = α/β².</summary>
    public override Var Variance => Ops.BroadcastTo(Concentration / Ops.Square(Rate), BatchShape);

    /// <summary>H = α − log β + log Γ(α) + (1 − α)·ψ(α).</summary>
    public override Var Entropy() => Ops.Elementwise<EntropyFunction>(Concentration, Rate);

    /// <summary>
    /// f(x, α, β) = α·log β + (α − 1)·log x − βx − log Γ(α);
    /// ∂x = (α − 1)/x − β, ∂α = log β + log x − ψ(α), ∂β = α/β − x.
    /// </summary>
    readonly struct LogDensity : IScalarFunction3
    {
        public static double Value(double x, double a, double b) => x < 0 ? double.NegativeInfinity
            : a * Math.Log(b) + DensityMath.XLogY(a - 1, x) - b * x - DensityMath.LogGamma(a);
        public static (double Da, double Db, double Dc) Gradient(double x, double a, double b) => x < 0 ? (0, 0, 0)
            : (DensityMath.XOverY(a - 1, x) - b, Math.Log(b) + Math.Log(x) - DensityMath.Digamma(a), a / b - x);
    }

    /// <summary>H(α, β) = α − log β + log Γ(α) + (1 − α)ψ(α); ∂α = 1 + (1 − α)ψ′(α), ∂β = −1/β.</summary>
    readonly struct EntropyFunction : IScalarFunction2
    {
        public static double Value(double a, double b) =>
            a - Math.Log(b) + DensityMath.LogGamma(a) + (1 - a) * DensityMath.Digamma(a);
        public static (double Da, double Db) Gradient(double a, double b) =>
            (1 + (1 - a) * SpecialFunctions.Trigamma(a), -1 / b);
    }
}
