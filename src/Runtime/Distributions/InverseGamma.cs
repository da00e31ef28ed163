using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Distributions.Constraints;
using Ppl.Runtime.Numerics;
using Ppl.Runtime.Random;
using Ppl.Runtime.Tensors;

namespace Ppl.Runtime.Distributions;

/// <summary>
/// InverseGamma(shape, scale): y = 1/x for x ~ Gamma(α, rate β), p(y) = βᵅ y^(−α−1) e^(−β/y)/Γ(α) for y &gt; 0 (Stan's
/// <c>inv_gamma(α, β)</c>; PyTorch's <c>InverseGamma(concentration, rate)</c> with rate = β). Reparameterized as
/// y = β/g with g ~ Gamma(α, 1) drawn as log g with its implicit gradient (<see cref="Ops.LogStandardGamma"/>), pathwise
/// in β. Draws are at most β·8.5·10³⁷ (g clamped at the smallest normal float, as for <see cref="Gamma"/>).
/// The log density is one fused double op.
/// </summary>
public sealed class InverseGamma : Distribution
{
    /// <summary>InverseGamma with shape <paramref name="shape"/> α &gt; 0 and scale <paramref name="scale"/> β &gt; 0 (broadcast).</summary>
    public InverseGamma(Var shape, Var scale)
    {
        Concentration = shape;
        Scale = scale;
        BatchShape = DistributionParams.BatchShape(shape, scale);
    }

    /// <summary>The shape α.</summary>
    public Var Concentration { get; }
    /// <summary>The scale β (the rate of the Gamma it inverts).</summary>
    public Var Scale { get; }

    /// <inheritdoc/>
    public override int[] BatchShape { get; }
    /// <inheritdoc/>
    public override Constraint Support => Constraint.Positive;
    /// <inheritdoc/>
    public override bool HasRSample => true;

    /// <summary>log p(y) = α·log β − log Γ(α) − (α + 1)·log y − β/y; −∞ for y ≤ 0.</summary>
    public override Var LogProb(Var value) => Ops.Elementwise<LogDensity>(value, Concentration, Scale);

    /// <inheritdoc/>
    public override Var RSample(Rng rng, int[]? sampleShape = null) => Draw(Concentration, Scale, rng, sampleShape);

    /// <inheritdoc/>
    public override Tensor Sample(Rng rng, int[]? sampleShape = null) =>
        Draw(Ops.Detach(Concentration), Ops.Detach(Scale), rng, sampleShape).Value;

    /// <summary>y = β·exp(−log g): through log g so the gradient in α does not overflow for tiny g (see
    /// <see cref="Ops.LogStandardGamma"/>).</summary>
    Var Draw(Var shape, Var scale, Rng rng, int[]? sampleShape) =>
        scale * Ops.Exp(-Ops.LogStandardGamma(shape, ExtendedShape(sampleShape), rng));

    /// <inheritdoc/>
    public override Distribution Expand(int[] batchShape) =>
        new InverseGamma(DistributionParams.Expand(Concentration, batchShape), DistributionParams.Expand(Scale, batchShape));

    /// <summary>E[y] = β/(α − 1) for α &gt; 1, +∞ otherwise.</summary>
    public override Var Mean => Ops.Elementwise<MeanFunction>(Concentration, Scale);

    /// <summary>Var[y] = β²/((α − 1)²(α − 2)) for α &gt; 2, +∞ otherwise.</summary>
    public override Var Variance => Ops.Elementwise<VarianceFunction>(Concentration, Scale);

    /// <summary>H = α + log β + log Γ(α) − (1 + α)·ψ(α).</summary>
    public override Var Entropy() => Ops.Elementwise<EntropyFunction>(Concentration, Scale);

    /// <summary>
    /// f(y, α, β) = α·log β − log Γ(α) − (α + 1)·log y − β/y;
    /// ∂y = β/y² − (α + 1)/y, ∂α = log β − ψ(α) − log y, ∂β = α/β − 1/y.
    /// </summary>
    readonly struct LogDensity : IScalarFunction3
    {
        public static double Value(double y, double a, double b) => y <= 0 ? double.NegativeInfinity
            : a * Math.Log(b) - DensityMath.LogGamma(a) - (a + 1) * Math.Log(y) - b / y;
        public static (double Da, double Db, double Dc) Gradient(double y, double a, double b) => y <= 0 ? (0, 0, 0)
            : (b / (y * y) - (a + 1) / y, Math.Log(b) - DensityMath.Digamma(a) - Math.Log(y), a / b - 1 / y);
    }

    /// <summary>m(α, β) = β/(α − 1); ∂α = −β/(α − 1)², ∂β = 1/(α − 1); +∞ (no gradient) for α ≤ 1.</summary>
    readonly struct MeanFunction : IScalarFunction2
    {
        public static double Value(double a, double b) => a > 1 ? b / (a - 1) : double.PositiveInfinity;
        public static (double Da, double Db) Gradient(double a, double b) =>
            a > 1 ? (-b / ((a - 1) * (a - 1)), 1 / (a - 1)) : (0, 0);
    }

    /// <summary>
    /// v(α, β) = β²/((α − 1)²(α − 2)); ∂α = −v·(2/(α − 1) + 1/(α − 2)), ∂β = 2v/β; +∞ (no gradient) for α ≤ 2.
    /// </summary>
    readonly struct VarianceFunction : IScalarFunction2
    {
        public static double Value(double a, double b) =>
            a > 2 ? b * b / ((a - 1) * (a - 1) * (a - 2)) : double.PositiveInfinity;
        public static (double Da, double Db) Gradient(double a, double b)
        {
            if (!(a > 2)) return (0, 0);
            double v = Value(a, b);
            return (-v * (2 / (a - 1) + 1 / (a - 2)), 2 * v / b);
        }
    }

    /// <summary>H(α, β) = α + log β + log Γ(α) − (1 + α)ψ(α); ∂α = 1 − (1 + α)ψ′(α), ∂β = 1/β.</summary>
    readonly struct EntropyFunction : IScalarFunction2
    {
        public static double Value(double a, double b) =>
            a + Math.Log(b) + DensityMath.LogGamma(a) - (1 + a) * DensityMath.Digamma(a);
        public static (double Da, double Db) Gradient(double a, double b) =>
            (1 - (1 + a) * SpecialFunctions.Trigamma(a), 1 / b);
    }
}
