using System.Numerics;
using System.Numerics.Tensors;

namespace Ppl.Runtime.Tensors;

/// <summary>
/// Elementwise and reduction kernels over spans. The one place (with <see cref="Gemm"/>) that touches SIMD:
/// TensorPrimitives where it is accurate, our own Vector&lt;float&gt; loops where float32 needs care
/// (log1p, expm1, softplus near zero and for large negative arguments).
/// </summary>
public static class Kernels
{
    /// <summary>d = exp(x).</summary>
    public static void Exp(ReadOnlySpan<float> x, Span<float> d) => TensorPrimitives.Exp(x, d);
    /// <summary>d = log(x).</summary>
    public static void Log(ReadOnlySpan<float> x, Span<float> d) => TensorPrimitives.Log(x, d);
    /// <summary>d = tanh(x).</summary>
    public static void Tanh(ReadOnlySpan<float> x, Span<float> d) => TensorPrimitives.Tanh(x, d);
    /// <summary>d = 1 / (1 + exp(−x)).</summary>
    public static void Sigmoid(ReadOnlySpan<float> x, Span<float> d) => TensorPrimitives.Sigmoid(x, d);
    /// <summary>d = √x.</summary>
    public static void Sqrt(ReadOnlySpan<float> x, Span<float> d) => TensorPrimitives.Sqrt(x, d);
    /// <summary>d = |x|.</summary>
    public static void Abs(ReadOnlySpan<float> x, Span<float> d) => TensorPrimitives.Abs(x, d);
    /// <summary>d = −x.</summary>
    public static void Negate(ReadOnlySpan<float> x, Span<float> d) => TensorPrimitives.Negate(x, d);
    /// <summary>d = max(x, 0).</summary>
    public static void Relu(ReadOnlySpan<float> x, Span<float> d) => TensorPrimitives.Max(x, 0f, d);
    /// <summary>d = a·x + b, elementwise with scalars.</summary>
    public static void Affine(ReadOnlySpan<float> x, float a, float b, Span<float> d)
    {
        TensorPrimitives.Multiply(x, a, d);
        TensorPrimitives.Add(d, b, d);
    }
    /// <summary>d = x·y + z, elementwise (fused).</summary>
    public static void MultiplyAdd(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> z, Span<float> d) => TensorPrimitives.FusedMultiplyAdd(x, y, z, d);
    /// <summary>d = x·s + z (fused).</summary>
    public static void MultiplyAdd(ReadOnlySpan<float> x, float s, ReadOnlySpan<float> z, Span<float> d) => TensorPrimitives.FusedMultiplyAdd(x, s, z, d);
    /// <summary>d += x.</summary>
    public static void AddInPlace(Span<float> d, ReadOnlySpan<float> x) => TensorPrimitives.Add(d, x, d);
    /// <summary>d = x · s.</summary>
    public static void Scale(ReadOnlySpan<float> x, float s, Span<float> d) => TensorPrimitives.Multiply(x, s, d);

    /// <summary>Σ x (vectorised with several accumulators).</summary>
    public static float Sum(ReadOnlySpan<float> x) => TensorPrimitives.Sum(x);
    /// <summary>max x (NaN if any is NaN).</summary>
    public static float Max(ReadOnlySpan<float> x) => TensorPrimitives.Max(x);
    /// <summary>min x.</summary>
    public static float Min(ReadOnlySpan<float> x) => TensorPrimitives.Min(x);
    /// <summary>Σ x·y.</summary>
    public static float Dot(ReadOnlySpan<float> x, ReadOnlySpan<float> y) => TensorPrimitives.Dot(x, y);
    /// <summary>Σ x².</summary>
    public static float SumOfSquares(ReadOnlySpan<float> x) => TensorPrimitives.SumOfSquares(x);

    /// <summary>
    /// Whether every x is finite. x − x is 0 for a finite x and NaN for ±∞ or NaN, and NaN survives a sum, so one
    /// vector accumulator and one test at the end check a whole gradient (650K floats for a VAE) at memory speed,
    /// where a scalar loop with a branch per element took 3% of a training step.
    /// </summary>
    public static bool AllFinite(ReadOnlySpan<float> x)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated && x.Length >= Vector<float>.Count)
        {
            int w = Vector<float>.Count;
            Vector<float> a0 = Vector<float>.Zero, a1 = Vector<float>.Zero;
            for (; i <= x.Length - 2 * w; i += 2 * w)
            {
                var u = new Vector<float>(x.Slice(i));
                var v = new Vector<float>(x.Slice(i + w));
                a0 += u - u;
                a1 += v - v;
            }
            if (!Vector.EqualsAll(a0 + a1, Vector<float>.Zero)) return false;
        }
        for (; i < x.Length; i++) if (!float.IsFinite(x[i])) return false;
        return true;
    }

    /// <summary>Σ x accumulated in double: for log densities summed over many terms.</summary>
    public static double SumDouble(ReadOnlySpan<float> x)
    {
        // Four double accumulators: exact enough for sums of millions of terms, and not the bottleneck of any
        // log density (which spends its time in exp/log).
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int i = 0;
        for (; i <= x.Length - 4; i += 4) { s0 += x[i]; s1 += x[i + 1]; s2 += x[i + 2]; s3 += x[i + 3]; }
        for (; i < x.Length; i++) s0 += x[i];
        return (s0 + s1) + (s2 + s3);
    }

    /// <summary>
    /// d = log(1 + x), accurate for tiny x: with u = 1 + x rounded, log1p(x) = log(u)·x/(u − 1)
    /// (Goldberg 1991, "What every computer scientist should know about floating-point arithmetic", thm. 4).
    /// </summary>
    public static void Log1p(ReadOnlySpan<float> x, Span<float> d)
    {
        // Works block by block through a stack buffer so x and d may be the same span.
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            int w = Vector<float>.Count;
            Span<float> buf = stackalloc float[w];
            for (; i <= x.Length - w; i += w)
            {
                var xv = new Vector<float>(x.Slice(i));
                var u = xv + Vector<float>.One;
                u.CopyTo(buf);
                TensorPrimitives.Log(buf, buf);
                var lv = new Vector<float>(buf);
                var um1 = u - Vector<float>.One;
                var exact = Vector.Equals(um1, Vector<float>.Zero);
                var r = Vector.ConditionalSelect(exact, xv, lv * xv / Vector.ConditionalSelect(exact, Vector<float>.One, um1));
                // u = +inf: log(u)·x/(u−1) is inf/inf; the answer is log(u).
                r = Vector.ConditionalSelect(Vector.Equals(u, new Vector<float>(float.PositiveInfinity)), lv, r);
                r.CopyTo(d.Slice(i));
            }
        }
        for (; i < x.Length; i++) d[i] = Log1p(x[i]);
    }

    /// <summary>Scalar log(1 + x), accurate for tiny x.</summary>
    public static float Log1p(float x)
    {
        float u = 1f + x;
        if (u == 1f) return x;
        if (float.IsPositiveInfinity(u)) return MathF.Log(u);
        return MathF.Log(u) * x / (u - 1f);
    }

    /// <summary>
    /// d = exp(x) − 1, accurate for tiny x: with u = exp(x), expm1(x) = (u − 1)·x / log(u) (Kahan's trick).
    /// </summary>
    public static void Expm1(ReadOnlySpan<float> x, Span<float> d)
    {
        for (int i = 0; i < x.Length; i++) d[i] = Expm1(x[i]);
    }

    /// <summary>Scalar exp(x) − 1, accurate for tiny x.</summary>
    public static float Expm1(float x)
    {
        if (MathF.Abs(x) < 1e-5f) return x + 0.5f * x * x;
        return (float)(Math.Exp(x) - 1.0);
    }

    /// <summary>
    /// d = log(1 + exp(x)) = max(x, 0) + log1p(exp(−|x|)), exact in float32 for large |x| of either sign.
    /// </summary>
    public static void Softplus(ReadOnlySpan<float> x, Span<float> d)
    {
        // Blocks through a stack copy of x, so x and d may be the same span.
        const int Block = 256;
        Span<float> xb = stackalloc float[Block];
        for (int start = 0; start < x.Length; start += Block)
        {
            int n = Math.Min(Block, x.Length - start);
            var xs = xb[..n];
            x.Slice(start, n).CopyTo(xs);
            var ds = d.Slice(start, n);
            TensorPrimitives.Abs(xs, ds);
            TensorPrimitives.Negate(ds, ds);
            TensorPrimitives.Exp(ds, ds);
            Log1p(ds, ds);
            TensorPrimitives.Max(xs, 0f, xs);
            TensorPrimitives.Add(ds, xs, ds);
        }
    }

    /// <summary>Scalar softplus.</summary>
    public static float Softplus(float x) => MathF.Max(x, 0f) + Log1p(MathF.Exp(-MathF.Abs(x)));

    /// <summary>d = softmax(x) over the whole span, shifted by the maximum.</summary>
    public static void Softmax(ReadOnlySpan<float> x, Span<float> d)
    {
        float m = TensorPrimitives.Max(x);
        TensorPrimitives.Subtract(x, m, d);
        TensorPrimitives.Exp(d, d);
        float s = TensorPrimitives.Sum(d);
        TensorPrimitives.Multiply(d, 1f / s, d);
    }

    /// <summary>
    /// Sums <paramref name="g"/> (of a broadcast shape) down to <paramref name="dst"/>'s shape: the adjoint of
    /// broadcasting, used by every binary op's backward. Accumulates into <paramref name="dst"/>.
    /// </summary>
    public static void SumToShapeAccumulate(Tensor g, Tensor dst)
    {
        if (g.Size == dst.Size) { AddInPlace(dst.Span, g.Span); return; }
        if (dst.Size == 1) { dst.Storage[dst.Offset] += (float)SumDouble(g.Span); return; }
        var layout = new BroadcastLayout(g.Shape, dst.Shape, g.Shape);
        var gS = g.Span; var dS = dst.Span;
        int run = layout.Run;
        for (int outer = 0, o = 0; o < gS.Length; outer++, o += run)
        {
            layout.Offsets(outer, out int di, out _);
            if (layout.AConstant) dS[di] += TensorPrimitives.Sum(gS.Slice(o, run));
            else AddInPlace(dS.Slice(di, run), gS.Slice(o, run));
        }
    }

    /// <summary>
    /// Sums x of shape [outer, n, inner] over the middle axis into d of shape [outer, inner].
    /// </summary>
    public static void SumAxis(ReadOnlySpan<float> x, int outer, int n, int inner, Span<float> d)
    {
        for (int o = 0; o < outer; o++)
        {
            var dst = d.Slice(o * inner, inner);
            if (inner == 1) { dst[0] = TensorPrimitives.Sum(x.Slice(o * n, n)); continue; }
            x.Slice(o * n * inner, inner).CopyTo(dst);
            for (int k = 1; k < n; k++) AddInPlace(dst, x.Slice((o * n + k) * inner, inner));
        }
    }

    /// <summary>
    /// Reduces x of shape [outer, n, inner] over the middle axis with max, writing the values and the argmax.
    /// </summary>
    public static void MaxAxis(ReadOnlySpan<float> x, int outer, int n, int inner, Span<float> d, Span<int> arg)
    {
        for (int o = 0; o < outer; o++)
            for (int j = 0; j < inner; j++)
            {
                int best = 0; float bv = x[o * n * inner + j];
                for (int k = 1; k < n; k++)
                {
                    float v = x[(o * n + k) * inner + j];
                    if (v > bv || float.IsNaN(v)) { bv = v; best = k; }
                }
                d[o * inner + j] = bv; arg[o * inner + j] = best;
            }
    }
}
