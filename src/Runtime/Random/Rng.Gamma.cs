using System.Buffers;
using Ppl.Runtime.Numerics;

namespace Ppl.Runtime.Random;

public sealed partial class Rng
{
    /// <summary>
    /// A Gamma(shape, 1) draw. shape ≥ 1: Marsaglia &amp; Tsang, "A simple method for generating gamma
    /// variables", ACM TOMS 26(3), 2000 — d·v with d = shape − ⅓, v = (1 + x/√(9d))³, x normal, accepted by a
    /// squeeze (1 − 0.0331x⁴) and then the exact log test; about 1.05 normals per draw for any shape.
    /// shape &lt; 1: their boost Gamma(a) = Gamma(a + 1)·U^(1/a), done in log space by
    /// <see cref="LogGammaVariate"/> so small shapes do not lose the draw to underflow before the end.
    /// </summary>
    public double Gamma(double shape)
    {
        CheckShape(shape);
        return shape >= 1 ? MarsagliaTsang(shape) : Math.Exp(LogGammaVariate(shape));
    }

    /// <summary>A Gamma(shape, rate) draw: Gamma(shape, 1)/rate.</summary>
    public double Gamma(double shape, double rate)
    {
        if (!(rate > 0) || double.IsPositiveInfinity(rate)) throw new ArgumentOutOfRangeException(nameof(rate), rate, "need 0 < rate < ∞");
        return Gamma(shape) / rate;
    }

    /// <summary>
    /// The logarithm of a Gamma(shape, 1) draw, finite even when the draw itself underflows (shape 0.01
    /// gives values below 10⁻³⁰⁰ about once in 600): ln Gamma(a + 1) + ln(U)/a for a &lt; 1.
    /// </summary>
    public double LogGammaVariate(double shape)
    {
        CheckShape(shape);
        if (shape >= 1) return Math.Log(MarsagliaTsang(shape));
        return Math.Log(MarsagliaTsang(shape + 1)) + Math.Log(NextDoubleOpen()) / shape;
    }

    /// <summary>
    /// dst[i] ~ Gamma(shape[i], 1) in float. Batched Marsaglia–Tsang: each chunk of 256 takes its normals and
    /// squeeze uniforms from the 8-lane stream (<see cref="FillNormal(Span{float})"/>,
    /// <see cref="FillUniformOpen"/>), so the common case costs a square root and a few multiplies; the
    /// ~2–5% of candidates that are rejected are redrawn by the scalar sampler. Results are clamped below at
    /// the smallest normal float (1.2·10⁻³⁸), as PyTorch does, so that log-densities and implicit-
    /// reparameterization gradients of tiny shapes stay finite; the clamp moves only the probability mass
    /// below 1.2·10⁻³⁸.
    /// </summary>
    public void FillGamma(ReadOnlySpan<float> shape, Span<float> dst)
    {
        if (shape.Length != dst.Length)
            throw new ArgumentException($"shape length {shape.Length} differs from destination length {dst.Length}");
        FillGammaCore(shape, broadcast: false, dst);
    }

    /// <summary>dst[i] ~ Gamma(shape, 1), batched and clamped like <see cref="FillGamma(ReadOnlySpan{float}, Span{float})"/>.</summary>
    public void FillGamma(float shape, Span<float> dst)
    {
        ReadOnlySpan<float> one = [shape];
        FillGammaCore(one, broadcast: true, dst);
    }

    private const int GammaChunk = 256;

    private void FillGammaCore(ReadOnlySpan<float> shape, bool broadcast, Span<float> dst)
    {
        Span<float> z = stackalloc float[GammaChunk];
        Span<float> u = stackalloc float[GammaChunk];
        for (int start = 0; start < dst.Length; start += GammaChunk)
        {
            int len = Math.Min(GammaChunk, dst.Length - start);
            FillNormal(z[..len]);
            FillUniformOpen(u[..len]);
            double a = shape[0], aa = 0, d = 0, c = 0;
            float df = 0, cf = 0;
            if (broadcast)
            {
                GammaConstants(a, out aa, out d, out c);
                (df, cf) = ((float)d, (float)c);
            }
            for (int j = 0; j < len; j++)
            {
                if (!broadcast)
                {
                    a = shape[start + j];
                    GammaConstants(a, out aa, out d, out c);
                    (df, cf) = ((float)d, (float)c);
                }
                // One Marsaglia–Tsang trial with the pre-drawn normal and uniform. The squeeze runs in float
                // (float↔double conversions carry a false register dependency in the JIT's code that
                // serialises the loop, costing 5×); the exact log test, needed by ~1–5% of trials and
                // prone to cancellation in 1 − v + ln v, is redone in double. On rejection the scalar
                // sampler continues from the scalar stream (still a deterministic function of the state).
                float x = z[j];
                float v = 1f + cf * x;
                float g;
                if (v > 0f)
                {
                    float v3 = v * v * v, uu = u[j], x2 = x * x;
                    if (uu < 1f - 0.0331f * x2 * x2)
                    {
                        g = df * v3;
                    }
                    else
                    {
                        double vd = 1.0 + c * x;
                        vd = vd * vd * vd;
                        g = Math.Log(uu) < 0.5 * x2 + d * (1.0 - vd + Math.Log(vd)) ? (float)(d * vd) : (float)MarsagliaTsang(aa);
                    }
                }
                else
                {
                    g = (float)MarsagliaTsang(aa);
                }
                // Boost for a < 1, in log space so the product cannot underflow before the clamp. Its uniform is
                // a 52-bit double: U^(1/a) magnifies the float grid's 2⁻²³ steps by 1/a near U's small values.
                if (a < 1) g = (float)Math.Exp(Math.Log(g) + Math.Log(NextDoubleOpen()) / a);
                dst[start + j] = MathF.Max(g, SmallestNormalFloat);
            }
        }
    }

    /// <summary>A Beta(a, b) draw as G_a/(G_a + G_b) from two gammas; in log space (a logistic of the
    /// difference of log-gammas) when a shape is below 1, so both underflowing cannot give 0/0.</summary>
    public double Beta(double a, double b)
    {
        CheckShape(a);
        CheckShape(b);
        if (a >= 1 && b >= 1)
        {
            double x = MarsagliaTsang(a), y = MarsagliaTsang(b);
            return x / (x + y);
        }
        return SpecialFunctions.Sigmoid(LogGammaVariate(a) - LogGammaVariate(b));
    }

    /// <summary>
    /// dst ~ Dirichlet(alpha) as normalised gammas; when some αᵢ &lt; 1 the gammas are drawn as logarithms and
    /// normalised by a log-sum-exp, so tiny concentrations still give a point of the simplex (never 0/0).
    /// </summary>
    public void Dirichlet(ReadOnlySpan<float> alpha, Span<float> dst)
    {
        if (alpha.Length != dst.Length)
            throw new ArgumentException($"alpha length {alpha.Length} differs from destination length {dst.Length}");
        if (alpha.IsEmpty) return;
        double[]? rented = null;
        Span<double> logs = alpha.Length <= 128 ? stackalloc double[alpha.Length] : (rented = ArrayPool<double>.Shared.Rent(alpha.Length));
        logs = logs[..alpha.Length];
        try
        {
            for (int i = 0; i < alpha.Length; i++) logs[i] = LogGammaVariate(alpha[i]);
            double lse = SpecialFunctions.LogSumExp(logs);
            for (int i = 0; i < alpha.Length; i++) dst[i] = (float)Math.Exp(logs[i] - lse);
        }
        finally
        {
            if (rented is not null) ArrayPool<double>.Shared.Return(rented);
        }
    }

    /// <summary>A χ²(k) draw, 2·Gamma(k/2).</summary>
    public double ChiSquared(double k) => 2 * Gamma(0.5 * k);

    /// <summary>A Student-t(ν) draw, Z/√(χ²ᵥ/ν).</summary>
    public double StudentT(double df)
    {
        double z = Normal();
        return z / Math.Sqrt(Gamma(0.5 * df) / (0.5 * df));
    }

    // Marsaglia–Tsang's d = a′ − ⅓ and c = 1/√(9d) for a′ = a (or a + 1 when boosting).
    private static void GammaConstants(double a, out double aa, out double d, out double c)
    {
        CheckShape(a);
        aa = a < 1 ? a + 1 : a;
        d = aa - 1.0 / 3.0;
        c = 1.0 / Math.Sqrt(9.0 * d);
    }

    private double MarsagliaTsang(double a)
    {
        double d = a - 1.0 / 3.0, c = 1.0 / Math.Sqrt(9.0 * d);
        while (true)
        {
            double x, v;
            do
            {
                x = Normal();
                v = 1.0 + c * x;
            } while (v <= 0);
            v = v * v * v;
            double u = NextDoubleOpen();
            double x2 = x * x;
            if (u < 1.0 - 0.0331 * x2 * x2) return d * v;
            if (Math.Log(u) < 0.5 * x2 + d * (1.0 - v + Math.Log(v))) return d * v;
        }
    }

    private const float SmallestNormalFloat = 1.17549435E-38f;


    private static void CheckShape(double shape)
    {
        if (!(shape > 0) || double.IsPositiveInfinity(shape))
            throw new ArgumentOutOfRangeException(nameof(shape), shape, "need 0 < shape < ∞");
    }
}
