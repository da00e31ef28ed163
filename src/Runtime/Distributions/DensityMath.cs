using Ppl.Runtime.Numerics;

namespace Ppl.Runtime.Distributions;

/// <summary>
/// Double-precision scalar pieces of log densities, shared by the fused log-density kernels of the distributions
/// (see <see cref="Autodiff.Ops.Elementwise{TF}(Autodiff.Var, Autodiff.Var)"/>). The conventions are those of a
/// density at the edge of its support: 0·log 0 = 0, so a Bernoulli with p = 0 gives log p(0) = 0 rather than NaN.
/// </summary>
internal static class DensityMath
{
    /// <summary>x·log y, 0 when x = 0 (whatever y is).</summary>
    public static double XLogY(double x, double y) => x == 0 ? 0 : x * Math.Log(y);

    /// <summary>x·log(1 + y), 0 when x = 0; accurate for small |y|.</summary>
    public static double XLog1pY(double x, double y) => x == 0 ? 0 : x * Log1p(y);

    /// <summary>x·v, 0 when x = 0 even for infinite v (the 0·log 0 convention applied to a precomputed log).</summary>
    public static double XTimes(double x, double v) => x == 0 ? 0 : x * v;

    /// <summary>x/y, 0 when x = 0: the derivative of <see cref="XLogY"/> in y, with the same convention.</summary>
    public static double XOverY(double x, double y) => x == 0 ? 0 : x / y;

    /// <summary>log(1 + x).</summary>
    public static double Log1p(double x) => SpecialFunctions.Log1p(x);

    /// <summary>log σ(x) = −softplus(−x), without overflow or loss at either end.</summary>
    public static double LogSigmoid(double x) => SpecialFunctions.LogSigmoid(x);

    /// <summary>σ(x).</summary>
    public static double Sigmoid(double x) => SpecialFunctions.Sigmoid(x);

    /// <summary>log Γ(x).</summary>
    public static double LogGamma(double x) => SpecialFunctions.LogGamma(x);

    /// <summary>ψ(x).</summary>
    public static double Digamma(double x) => SpecialFunctions.Digamma(x);

    /// <summary>
    /// log C(n, k) = log Γ(n + 1) − log Γ(k + 1) − log Γ(n − k + 1) for real 0 ≤ k ≤ n (the three terms in double,
    /// so the cancellation between terms of size n·log n loses nothing a float result would keep).
    /// </summary>
    public static double LogChoose(double n, double k) => LogGamma(n + 1) - LogGamma(k + 1) - LogGamma(n - k + 1);

    /// <summary>(∂/∂n, ∂/∂k) log C(n, k) = (ψ(n + 1) − ψ(n − k + 1), ψ(n − k + 1) − ψ(k + 1)).</summary>
    public static (double Dn, double Dk) LogChooseGradient(double n, double k)
    {
        double m = Digamma(n - k + 1);
        return (Digamma(n + 1) - m, m - Digamma(k + 1));
    }
}
