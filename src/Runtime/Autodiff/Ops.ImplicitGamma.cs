using System.Buffers;
using Ppl.Runtime.Numerics;
using Ppl.Runtime.Random;
using Ppl.Runtime.Tensors;

namespace Ppl.Runtime.Autodiff;

/// <summary>
/// Reparameterized Gamma and Dirichlet draws by implicit differentiation (Figurnov, Mohamed &amp; Mnih, "Implicit
/// reparameterization gradients", NeurIPS 2018). A draw x ~ Gamma(α, 1) made by any sampler (here the Rng's
/// Marsaglia–Tsang with the U^(1/α) boost) satisfies F(x; α) = u for the CDF F, so along the sample path
/// dx/dα = −(∂F/∂α)/(∂F/∂x) = −(∂P(α, x)/∂α)/p(x; α), with P the regularized lower incomplete gamma. The derivative
/// comes from <see cref="ImplicitReparameterization.GammaSampleDerivative(double, double)"/>, accurate for every
/// shape (no α ≥ 1 approximation). Scale and rate parameters are then pathwise (x/β), and Beta and Dirichlet draws
/// are normalised gammas, differentiated through the normalisation.
/// </summary>
public static partial class Ops
{
    const float SmallestNormalFloat = 1.17549435E-38f;

    /// <summary>1 − 2⁻²⁴, the largest float below 1.</summary>
    const float BelowOne = 0.99999994f;

    /// <summary>
    /// x ~ Gamma(α, 1) of the given shape (α broadcast to it), drawn from <paramref name="rng"/>, with the implicit
    /// reparameterization gradient: ∂x/∂α = −(∂P(α, x)/∂α)/p(x; α) elementwise, summed over the axes α was broadcast
    /// along. Draws are clamped below at the smallest normal float (as the Rng and PyTorch do), so log densities stay
    /// finite; the derivative there is the (tiny) limit.
    /// </summary>
    public static Var StandardGamma(Var alpha, int[] shape, Rng rng)
    {
        CheckBroadcast(alpha, shape);
        var tape = TapeOf(alpha);
        var a = Broadcast(tape, alpha.Value, shape);
        var x = Alloc(tape, shape);
        rng.FillGamma(a.Span, x.Span);
        return Result(tape, x, In(alpha), y =>
        {
            var t = Temp(y, shape);
            var d = t.Span; var g = y.Grad!.Span;
            ImplicitReparameterization.GammaSampleDerivative(y.Value.Span, a.Span, d);
            for (int i = 0; i < d.Length; i++) d[i] = g[i] == 0 ? 0f : g[i] * d[i];
            Acc(y, alpha, t, owned: t.Size == alpha.Size);
        });
    }

    /// <summary>
    /// log x for x ~ Gamma(α, 1) of the given shape (α broadcast to it), drawn in log space
    /// (<see cref="Rng.LogGammaVariate"/>, so shapes far below 1 lose nothing to underflow), with the implicit gradient
    /// ∂log x/∂α = (dx/dα)/x. Where a quantity divides by the draw (an inverse gamma, y = β/x), going through log x keeps
    /// the chain rule in range: ∂y/∂x = −β/x² overflows a float once x &lt; 10⁻¹⁹ although ∂y/∂α = −y·∂log x/∂α does
    /// not. Values are clamped below at log of the smallest normal float (−87.34), the same convention as
    /// <see cref="StandardGamma"/>; the derivative is taken at the value returned.
    /// </summary>
    public static Var LogStandardGamma(Var alpha, int[] shape, Rng rng)
    {
        CheckBroadcast(alpha, shape);
        var tape = TapeOf(alpha);
        var a = Broadcast(tape, alpha.Value, shape);
        var v = Alloc(tape, shape);
        var aS = a.Span; var vS = v.Span;
        float floor = MathF.Log(SmallestNormalFloat);
        for (int i = 0; i < vS.Length; i++) vS[i] = MathF.Max((float)rng.LogGammaVariate(aS[i]), floor);
        return Result(tape, v, In(alpha), y =>
        {
            var t = Temp(y, shape);
            var d = t.Span; var g = y.Grad!.Span; var lx = y.Value.Span; var al = a.Span;
            for (int i = 0; i < d.Length; i++) d[i] = g[i] == 0 ? 0f : (float)(g[i] * LogGammaSampleDerivative(lx[i], al[i]));
            Acc(y, alpha, t, owned: t.Size == alpha.Size);
        });
    }

    /// <summary>
    /// z ~ Dirichlet(α) along the last axis, of the given shape (which ends with K; α, shape [..., K], is broadcast to
    /// it), as normalised gammas zⱼ = Xⱼ/S, S = Σᵢ Xᵢ, Xⱼ ~ Gamma(αⱼ, 1). The gammas are drawn as logarithms
    /// (<see cref="Rng.LogGammaVariate"/>) and normalised by a log-sum-exp in double, so tiny concentrations still
    /// give a point of the simplex. Components are clamped into [smallest normal float, 1 − 2⁻²⁴] so that
    /// log zⱼ and log(1 − zⱼ) stay finite in float.
    /// Backward: ∂zᵢ/∂αⱼ = (δᵢⱼ − zᵢ)·(dXⱼ/dαⱼ)/S, so ∂L/∂αⱼ = wⱼ·(gⱼ − Σᵢ gᵢzᵢ) with wⱼ = (dXⱼ/dαⱼ)/S = zⱼ·(dXⱼ/dαⱼ)/Xⱼ,
    /// computed in the forward pass from the double draws; the bracket is summed without forming 1 − zₘ (see the code),
    /// so draws within float rounding of a vertex keep accurate gradients. When Xⱼ underflows a double (αⱼ ≲ 0.01),
    /// (dX/dα)/X = −(log X − ψ(α + 1))/α, the first term of the series, exact to double there.
    /// </summary>
    public static Var StandardDirichlet(Var alpha, int[] shape, Rng rng)
    {
        CheckBroadcast(alpha, shape);
        if (shape.Length == 0) throw new ShapeException("a Dirichlet draw needs a category axis");
        int k = shape[^1];
        var tape = TapeOf(alpha);
        var a = Broadcast(tape, alpha.Value, shape);
        var z = Alloc(tape, shape);
        var w = alpha.RequiresGrad ? Alloc(tape, shape) : null;
        double[]? rented = null;
        Span<double> logs = k <= 128 ? stackalloc double[k] : (rented = ArrayPool<double>.Shared.Rent(k)).AsSpan(0, k);
        try
        {
            var aS = a.Span; var zS = z.Span; var wS = w is null ? default : w.Span;
            for (int e = 0; e < zS.Length; e += k)
            {
                for (int j = 0; j < k; j++) logs[j] = rng.LogGammaVariate(aS[e + j]);
                double lse = SpecialFunctions.LogSumExp(logs);
                for (int j = 0; j < k; j++)
                {
                    double zj = Math.Exp(logs[j] - lse);
                    zS[e + j] = Math.Clamp((float)zj, SmallestNormalFloat, BelowOne);
                    if (w is not null) wS[e + j] = (float)(zj * LogGammaSampleDerivative(logs[j], aS[e + j]));
                }
            }
        }
        finally
        {
            if (rented is not null) ArrayPool<double>.Shared.Return(rented);
        }
        return Result(tape, z, In(alpha), y =>
        {
            var t = Temp(y, shape);
            var d = t.Span; var g = y.Grad!.Span; var zs = y.Value.Span; var ws = w!.Span;
            for (int e = 0; e < d.Length; e += k)
            {
                // gⱼ − Σᵢ gᵢzᵢ = (gⱼ − gₘ) + Σ_{i≠m} (gₘ − gᵢ)zᵢ with m the largest component (Σ z = 1): no 1 − zₘ is
                // formed, so a draw with zₘ within float rounding of 1 keeps the digits of its other components.
                int m = 0;
                for (int i = 1; i < k; i++) if (zs[e + i] > zs[e + m]) m = i;
                double gm = g[e + m], c = 0;
                for (int i = 0; i < k; i++) if (i != m) c += (gm - g[e + i]) * zs[e + i];
                for (int j = 0; j < k; j++) d[e + j] = (float)(ws[e + j] * (g[e + j] - gm + c));
            }
            Acc(y, alpha, t, owned: t.Size == alpha.Size);
        });
    }

    /// <summary>(dX/dα)/X for X = e^(logX) ~ Gamma(α, 1): the log-derivative of the draw.</summary>
    static double LogGammaSampleDerivative(double logX, double alpha)
    {
        double x = Math.Exp(logX);
        if (x >= 1e-300) return ImplicitReparameterization.GammaSampleDerivative(x, alpha) / x;
        // Series of ∂P/∂α for x → 0: (dX/dα)/X = −(1/α)·Σₙ rₙ(log x − ψ(α + n + 1)) with rₙ = O(xⁿ); only n = 0 is left.
        return -(logX - SpecialFunctions.Digamma(alpha + 1)) / alpha;
    }

    static void CheckBroadcast(Var alpha, int[] shape)
    {
        if (!Shapes.BroadcastsTo(alpha.Shape, shape))
            throw new ShapeException($"a parameter of shape {Shapes.Format(alpha.Shape)} cannot be broadcast to the draw shape {Shapes.Format(shape)}");
    }
}
