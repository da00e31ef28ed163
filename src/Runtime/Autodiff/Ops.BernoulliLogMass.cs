using System.Numerics.Tensors;
using Ppl.Runtime.Tensors;

namespace Ppl.Runtime.Autodiff;

public static partial class Ops
{
    /// <summary>
    /// The Bernoulli log mass from logits, elementwise, for x in [0, 1] (the cross-entropy form):
    /// f(x, l) = x·log σ(l) + (1 − x)·log σ(−l) = −x·softplus(−l) − (1 − x)·softplus(l), with both softplus terms
    /// built from one L = log1p(exp(−|l|)) (softplus(±l) = max(±l, 0) + L) in vectorized float. Each term is computed
    /// from its own softplus rather than as x·l − softplus(l), so a tiny result (x = 1, l = 40: −4.2e−18) keeps its
    /// relative accuracy; 0·∞ at infinite logits is taken as 0. The gradient is ∂f/∂l = x − σ(l), ∂f/∂x = l.
    /// It is the likelihood of every pixel of a VAE, so it avoids the per-element double evaluation of
    /// <see cref="Elementwise{TF}(Var, Var)"/>; <paramref name="x"/> and <paramref name="logits"/> have one shape.
    /// </summary>
    public static Var BernoulliLogMass(Var x, Var logits)
    {
        if (!Shapes.Equal(x.Shape, logits.Shape))
            throw new ShapeException($"Bernoulli log mass: shapes {Shapes.Format(x.Shape)} and {Shapes.Format(logits.Shape)} differ");
        var tape = TapeOf(x, logits);
        var v = Alloc(tape, x.Shape);
        BernoulliLogMassInto(x.Value.Span, logits.Value.Span, v.Span);
        return Result(tape, v, In(x, logits), y =>
        {
            var g = y.Grad!.Span;
            var l = logits.Value.Span;
            if (logits.RequiresGrad)
            {
                var t = Temp(y, y.Shape);
                TensorPrimitives.Sigmoid(l, t.Span);
                TensorPrimitives.Subtract(x.Value.Span, t.Span, t.Span);
                TensorPrimitives.Multiply(t.Span, g, t.Span);
                Acc(y, logits, t, owned: true);
            }
            if (x.RequiresGrad)
            {
                var t = Temp(y, y.Shape);
                TensorPrimitives.Multiply(l, g, t.Span);
                Acc(y, x, t, owned: true);
            }
        });
    }

    static void BernoulliLogMassInto(ReadOnlySpan<float> x, ReadOnlySpan<float> l, Span<float> d)
    {
        const int Block = 256;
        Span<float> shared = stackalloc float[Block], neg = stackalloc float[Block], rest = stackalloc float[Block];
        for (int start = 0; start < d.Length; start += Block)
        {
            int n = Math.Min(Block, d.Length - start);
            var ls = l.Slice(start, n); var xs = x.Slice(start, n); var ds = d.Slice(start, n);
            var e = shared[..n]; var a = neg[..n]; var r = rest[..n];
            TensorPrimitives.Abs(ls, e);
            TensorPrimitives.Negate(e, e);
            TensorPrimitives.Exp(e, e);
            Kernels.Log1p(e, e);                       // L = log1p(exp(−|l|))
            TensorPrimitives.Negate(ls, a);
            TensorPrimitives.Max(a, 0f, a);
            TensorPrimitives.Add(a, e, a);             // softplus(−l) = −log σ(l)
            TensorPrimitives.Max(ls, 0f, ds);
            TensorPrimitives.Add(ds, e, ds);           // softplus(l) = −log σ(−l)
            TensorPrimitives.Multiply(xs, a, a);
            TensorPrimitives.Subtract(1f, xs, r);
            TensorPrimitives.Multiply(r, ds, ds);
            TensorPrimitives.Add(a, ds, ds);
            TensorPrimitives.Negate(ds, ds);
            for (int i = 0; i < n; i++)
                if (float.IsNaN(ds[i])) ds[i] = InfiniteLogitMass(xs[i], ls[i]);
        }
    }

    /// <summary>The mass where 0·∞ made a NaN (an infinite logit): the term whose weight is 0 contributes 0.</summary>
    static float InfiniteLogitMass(float x, float l)
    {
        float logSigmoid = -Kernels.Softplus(-l), logSigmoidNeg = -Kernels.Softplus(l);
        return (x == 0 ? 0f : x * logSigmoid) + (x == 1 ? 0f : (1 - x) * logSigmoidNeg);
    }
}
