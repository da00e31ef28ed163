using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Distributions.Constraints;
using Ppl.Runtime.Numerics;
using Ppl.Runtime.Random;
using Ppl.Runtime.Tensors;

namespace Ppl.Runtime.Distributions;

/// <summary>
/// StudentT(df, loc, scale): p(x) = Γ((ν+1)/2) / (Γ(ν/2)√(νπ)σ) · (1 + z²/ν)^{−(ν+1)/2}, z = (x − μ)/σ (Johnson, Kotz
/// &amp; Balakrishnan vol. 2, ch. 28). Reparameterized as x = μ + σ·ε·√(α/g) with ε ~ N(0, 1) and g ~ Gamma(α, 1),
/// α = ν/2 (g/α = 2g/ν is the χ²_ν/ν of the textbook construction): pathwise in μ and σ, and in ν through the implicit
/// reparameterization gradient of the gamma draw (Figurnov, Mohamed &amp; Mnih 2018; <see cref="Ops.StandardGamma"/>).
/// </summary>
public sealed class StudentT : Distribution
{
    /// <summary>Degrees of freedom ν &gt; 0.</summary>
    public Var Df { get; }
    /// <summary>Location μ.</summary>
    public Var Loc { get; }
    /// <summary>Scale σ &gt; 0.</summary>
    public Var Scale { get; }

    /// <summary>StudentT with <paramref name="df"/> degrees of freedom, location <paramref name="loc"/> and scale <paramref name="scale"/>.</summary>
    public StudentT(Var df, Var loc, Var scale)
    {
        Df = df;
        Loc = loc;
        Scale = scale;
        BatchShape = DistributionParams.BatchShape(df, loc, scale);
    }

    /// <inheritdoc/>
    public override int[] BatchShape { get; }
    /// <inheritdoc/>
    public override Constraint Support => Constraint.Real;
    /// <inheritdoc/>
    public override bool HasRSample => true;

    /// <summary>
    /// log p(x) = c(ν) − log σ − ((ν + 1)/2)·log1p(z²/ν), where c(ν) = log Γ((ν+1)/2) − log Γ(ν/2) − ½ log(νπ) is one
    /// double-precision op: its log-gamma terms grow like ν log ν and cancel to ≈ −½ log 2π for large ν.
    /// </summary>
    public override Var LogProb(Var value)
    {
        var z = (value - Loc) / Scale;
        var tail = Ops.Mul(Df + 1f, 0.5f) * Ops.Log1p(Ops.Square(z) / Df);
        return Ops.Elementwise<LogNormaliser>(Df) - Ops.Log(Scale) - tail;
    }

    /// <inheritdoc/>
    public override Var RSample(Rng rng, int[]? sampleShape = null)
    {
        var shape = ExtendedShape(sampleShape);
        var eps = DistributionParams.Noise(Loc.Tape is null ? (Scale.Tape is null ? Df : Scale) : Loc, shape, rng.FillNormal);
        var alpha = Ops.Mul(Df, 0.5f);
        var g = Ops.StandardGamma(alpha, shape, rng);
        return Loc + Scale * eps * Ops.Sqrt(alpha / g);
    }

    /// <inheritdoc/>
    public override Tensor Sample(Rng rng, int[]? sampleShape = null) =>
        new StudentT(Ops.Detach(Df), Ops.Detach(Loc), Ops.Detach(Scale)).RSample(rng, sampleShape).Value;

    /// <inheritdoc/>
    public override Distribution Expand(int[] batchShape) =>
        new StudentT(DistributionParams.Expand(Df, batchShape), DistributionParams.Expand(Loc, batchShape), DistributionParams.Expand(Scale, batchShape));

    /// <summary>E[x] = μ for ν &gt; 1; NaN (undefined) for ν ≤ 1.</summary>
    public override Var Mean
    {
        get
        {
            var defined = Ops.Compare(Ops.BroadcastTo(Df, BatchShape), 1f, static (v, one) => v > one).Value;
            return Ops.Where(defined, Ops.BroadcastTo(Loc, BatchShape), float.NaN);
        }
    }

    /// <summary>Var[x] = σ²ν/(ν − 2) for ν &gt; 2; +∞ for 1 &lt; ν ≤ 2; NaN (undefined) for ν ≤ 1.</summary>
    public override Var Variance
    {
        get
        {
            var df = Ops.BroadcastTo(Df, BatchShape);
            var finite = Ops.Compare(df, 2f, static (v, two) => v > two).Value;
            var infinite = Ops.Compare(df, 1f, static (v, one) => v > one).Value;
            var v = Ops.BroadcastTo(Ops.Square(Scale) * Df / (Df - 2f), BatchShape);
            return Ops.Where(finite, v, Ops.Where(infinite, float.PositiveInfinity, float.NaN));
        }
    }

    /// <summary>
    /// H = ((ν + 1)/2)(ψ((ν + 1)/2) − ψ(ν/2)) + ½ log ν + log B(ν/2, ½) + log σ, the ν part in double (it tends to the
    /// normal's ½(1 + log 2π) through cancelling terms of size log ν).
    /// </summary>
    public override Var Entropy() => Ops.BroadcastTo(Ops.Elementwise<EntropyOfStandard>(Df) + Ops.Log(Scale), BatchShape);

    /// <summary>c(ν) = log Γ((ν+1)/2) − log Γ(ν/2) − ½ log(νπ); c′(ν) = ½ψ((ν+1)/2) − ½ψ(ν/2) − 1/(2ν).</summary>
    readonly struct LogNormaliser : IScalarFunction1
    {
        public static double Value(double v) =>
            SpecialFunctions.LogGamma(0.5 * (v + 1)) - SpecialFunctions.LogGamma(0.5 * v) - 0.5 * Math.Log(v * Math.PI);
        public static double Derivative(double v) =>
            0.5 * (SpecialFunctions.Digamma(0.5 * (v + 1)) - SpecialFunctions.Digamma(0.5 * v)) - 0.5 / v;
    }

    /// <summary>
    /// h(ν) = ((ν+1)/2)(ψ((ν+1)/2) − ψ(ν/2)) + ½ log ν + log Γ(ν/2) + log Γ(½) − log Γ((ν+1)/2);
    /// h′(ν) = ((ν+1)/4)(ψ′((ν+1)/2) − ψ′(ν/2)) + 1/(2ν).
    /// </summary>
    readonly struct EntropyOfStandard : IScalarFunction1
    {
        const double LogGammaHalf = 0.57236494292470008707; // log √π
        public static double Value(double v)
        {
            double a0 = 0.5 * v, a1 = 0.5 * (v + 1);
            return a1 * (SpecialFunctions.Digamma(a1) - SpecialFunctions.Digamma(a0)) + 0.5 * Math.Log(v)
                + SpecialFunctions.LogGamma(a0) + LogGammaHalf - SpecialFunctions.LogGamma(a1);
        }
        public static double Derivative(double v) =>
            0.25 * (v + 1) * (SpecialFunctions.Trigamma(0.5 * (v + 1)) - SpecialFunctions.Trigamma(0.5 * v)) + 0.5 / v;
    }
}
