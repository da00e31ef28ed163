using System.Numerics;
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
                BernoulliLogMassLogitGradInto(x.Value.Span, l, g, t.Span);
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
        // One fused pass: per element one exp and one log (a VAE step spends a fifth of its time here when the
        // steps go through TensorPrimitives one by one over blocks).
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            int w = Vector<float>.Count;
            var one = Vector<float>.One;
            var zero = Vector<float>.Zero;
            for (; i <= d.Length - w; i += w)
            {
                var lv = new Vector<float>(l.Slice(i));
                var xv = new Vector<float>(x.Slice(i));
                var e = Vector.Exp(-Vector.Abs(lv));
                // L = log1p(e) = log(u)·e/(u − 1) with u = 1 + e rounded, exact for tiny e (Kernels.Log1p's trick).
                var u = one + e;
                var um1 = u - one;
                var exact = Vector.Equals(um1, zero);
                var shared = Vector.ConditionalSelect(exact, e, Vector.Log(u) * e / Vector.ConditionalSelect(exact, one, um1));
                var r = -(xv * (Vector.Max(-lv, zero) + shared) + (one - xv) * (Vector.Max(lv, zero) + shared));
                r.CopyTo(d.Slice(i));
                if (!Vector.EqualsAll(r, r))
                    for (int j = i; j < i + w; j++) d[j] = BernoulliLogMassOf(x[j], l[j]);
            }
        }
        for (; i < d.Length; i++) d[i] = BernoulliLogMassOf(x[i], l[i]);
    }

    /// <summary>
    /// d = (x − σ(l))·ḡ in one pass, σ(l) = 1/(1 + e) for l ≥ 0 and e/(1 + e) below, e = exp(−|l|), so no exp
    /// overflows. Three TensorPrimitives passes (sigmoid, subtract, multiply) over a VAE's 100K pixels took a seventh of
    /// a training step.
    /// </summary>
    static void BernoulliLogMassLogitGradInto(ReadOnlySpan<float> x, ReadOnlySpan<float> l, ReadOnlySpan<float> g, Span<float> d)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            int w = Vector<float>.Count;
            var one = Vector<float>.One;
            for (; i <= d.Length - w; i += w)
            {
                var lv = new Vector<float>(l.Slice(i));
                var e = Vector.Exp(-Vector.Abs(lv));
                var sigmoid = Vector.ConditionalSelect(Vector.GreaterThanOrEqual(lv, Vector<float>.Zero), one, e) / (one + e);
                ((new Vector<float>(x.Slice(i)) - sigmoid) * new Vector<float>(g.Slice(i))).CopyTo(d.Slice(i));
            }
        }
        for (; i < d.Length; i++)
        {
            float e = MathF.Exp(-MathF.Abs(l[i]));
            d[i] = (x[i] - (l[i] >= 0 ? 1f : e) / (1f + e)) * g[i];
        }
    }

    /// <summary>Scalar f(x, l); 0·∞ (an infinite logit) is 0: the term whose weight is 0 contributes nothing.</summary>
    static float BernoulliLogMassOf(float x, float l)
    {
        float shared = Kernels.Log1p(MathF.Exp(-MathF.Abs(l)));
        float logSigmoid = -(MathF.Max(-l, 0f) + shared), logSigmoidNeg = -(MathF.Max(l, 0f) + shared);
        return (x == 0 ? 0f : x * logSigmoid) + (x == 1 ? 0f : (1 - x) * logSigmoidNeg);
    }
}
