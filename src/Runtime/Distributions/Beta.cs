using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Distributions.Constraints;
using Ppl.Runtime.Numerics;
using Ppl.Runtime.Random;
using Ppl.Runtime.Tensors;

namespace Ppl.Runtime.Distributions;

/// <summary>
/// Beta(a, b): p(x) = xᵃ⁻¹(1 − x)ᵇ⁻¹/B(a, b) on [0, 1]. Reparameterized as x = X/(X + Y) with X ~ Gamma(a, 1),
/// Y ~ Gamma(b, 1), each differentiated implicitly (Figurnov, Mohamed &amp; Mnih 2018) and then through the ratio:
/// it is the two-category case of <see cref="Ops.StandardDirichlet"/>, which draws the gammas as logarithms so small
/// a and b cannot give 0/0, and keeps x within [smallest normal float, 1 − 2⁻²⁴] so that log x and log(1 − x) are
/// finite. The log density is one fused double op, with log(1 − x) as log1p(−x).
/// </summary>
public sealed class Beta : Distribution
{
    /// <summary>Beta with concentrations <paramref name="a"/> &gt; 0 (of x) and <paramref name="b"/> &gt; 0 (of 1 − x), broadcast.</summary>
    public Beta(Var a, Var b)
    {
        A = a;
        B = b;
        BatchShape = DistributionParams.BatchShape(a, b);
    }

    /// <summary>The concentration a (PyTorch's concentration1).</summary>
    public Var A { get; }
    /// <summary>The concentration b (PyTorch's concentration0).</summary>
    public Var B { get; }

    /// <inheritdoc/>
    public override int[] BatchShape { get; }
    /// <inheritdoc/>
    public override Constraint Support => Constraint.UnitInterval;
    /// <inheritdoc/>
    public override bool HasRSample => true;

    /// <summary>log p(x) = (a − 1)·log x + (b − 1)·log1p(−x) − log B(a, b); −∞ outside [0, 1].</summary>
    public override Var LogProb(Var value) => Ops.Elementwise<LogDensity>(value, A, B);

    /// <inheritdoc/>
    public override Var RSample(Rng rng, int[]? sampleShape = null) => Draw(A, B, rng, sampleShape);

    /// <inheritdoc/>
    public override Tensor Sample(Rng rng, int[]? sampleShape = null) =>
        Draw(Ops.Detach(A), Ops.Detach(B), rng, sampleShape).Value;

    Var Draw(Var a, Var b, Rng rng, int[]? sampleShape)
    {
        var alpha = Ops.Stack([Ops.BroadcastTo(a, BatchShape), Ops.BroadcastTo(b, BatchShape)], -1);
        var z = Ops.StandardDirichlet(alpha, [.. ExtendedShape(sampleShape), 2], rng);
        return Ops.Index(z, -1, 0);
    }

    /// <inheritdoc/>
    public override Distribution Expand(int[] batchShape) =>
        new Beta(DistributionParams.Expand(A, batchShape), DistributionParams.Expand(B, batchShape));

    /// <summary>E[x] = a/(a + b).</summary>
    public override Var Mean => Ops.BroadcastTo(A / (A + B), BatchShape);

    /// <summary>Var[x] = ab/((a + b)²(a + b + 1)).</summary>
    public override Var Variance
    {
        get
        {
            var s = A + B;
            return Ops.BroadcastTo(A * B / (Ops.Square(s) * (s + 1f)), BatchShape);
        }
    }

    /// <summary>H = log B(a, b) − (a − 1)ψ(a) − (b − 1)ψ(b) + (a + b − 2)ψ(a + b).</summary>
    public override Var Entropy() => Ops.Elementwise<EntropyFunction>(A, B);

    /// <summary>
    /// f(x, a, b) = (a − 1)·log x + (b − 1)·log1p(−x) − log B(a, b);
    /// ∂x = (a − 1)/x − (b − 1)/(1 − x), ∂a = log x − ψ(a) + ψ(a + b), ∂b = log1p(−x) − ψ(b) + ψ(a + b).
    /// </summary>
    readonly struct LogDensity : IScalarFunction3
    {
        public static double Value(double x, double a, double b) => !(x >= 0 && x <= 1) ? double.NegativeInfinity
            : DensityMath.XLogY(a - 1, x) + DensityMath.XLog1pY(b - 1, -x) - SpecialFunctions.LogBeta(a, b);
        public static (double Da, double Db, double Dc) Gradient(double x, double a, double b)
        {
            if (!(x >= 0 && x <= 1)) return (0, 0, 0);
            double psiAb = DensityMath.Digamma(a + b);
            return (DensityMath.XOverY(a - 1, x) - DensityMath.XOverY(b - 1, 1 - x),
                    Math.Log(x) - DensityMath.Digamma(a) + psiAb,
                    DensityMath.Log1p(-x) - DensityMath.Digamma(b) + psiAb);
        }
    }

    /// <summary>
    /// H(a, b) = log B(a, b) − (a − 1)ψ(a) − (b − 1)ψ(b) + (a + b − 2)ψ(a + b);
    /// ∂a = (a + b − 2)ψ′(a + b) − (a − 1)ψ′(a), ∂b = (a + b − 2)ψ′(a + b) − (b − 1)ψ′(b).
    /// </summary>
    readonly struct EntropyFunction : IScalarFunction2
    {
        public static double Value(double a, double b) => SpecialFunctions.LogBeta(a, b)
            - (a - 1) * DensityMath.Digamma(a) - (b - 1) * DensityMath.Digamma(b) + (a + b - 2) * DensityMath.Digamma(a + b);
        public static (double Da, double Db) Gradient(double a, double b)
        {
            double t = (a + b - 2) * SpecialFunctions.Trigamma(a + b);
            return (t - (a - 1) * SpecialFunctions.Trigamma(a), t - (b - 1) * SpecialFunctions.Trigamma(b));
        }
    }
}
