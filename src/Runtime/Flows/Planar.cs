using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Random;
using Ppl.Runtime.Tensors;

namespace Ppl.Runtime.Flows;

/// <summary>
/// The planar flow of Rezende &amp; Mohamed 2015 ("Variational inference with normalizing flows", §4.1 and
/// appendix A.1): f(z) = z + û·tanh(wᵀz + b), with
/// log|det ∂f/∂z| = log|1 + ûᵀψ(z)|, ψ(z) = (1 − tanh²(wᵀz + b))·w.
/// Invertibility needs wᵀû ≥ −1, which the paper's reparameterization guarantees for any free u:
/// û = u + (m(wᵀu) − wᵀu)·w/‖w‖², m(a) = −1 + softplus(a), so that wᵀû = m(wᵀu) &gt; −1 and
/// 1 + ûᵀψ = 1 + (1 − tanh²)·m(wᵀu) &gt; 0.
/// <para>
/// There is no closed-form inverse. Given y, α = wᵀz solves the scalar equation α + m·tanh(α + b) = wᵀy, whose
/// left side is increasing (its slope 1 + m(1 − tanh²) is positive), so <see cref="Inverse(Var, Var?)"/> finds α
/// by safeguarded Newton iteration in double precision and returns z = y − û·tanh(α + b). To make that inverse
/// differentiable it takes one symbolic Newton step from the root, α − (g(α) − wᵀy)/g′(α) with α and g′ held
/// constant: the value is unchanged (the residual is zero) and, by the implicit function theorem, so are the
/// first derivatives in y and in the parameters.
/// </para>
/// </summary>
public sealed class Planar : Flow
{
    readonly Var u, w, b;
    readonly Var? cu, cw, cb;

    /// <summary>A planar layer on ℝ^<paramref name="dim"/>, parameters drawn U(−1/√D, 1/√D) from <paramref name="rng"/>.</summary>
    public Planar(int dim, Rng rng, int contextDim = 0) : base(dim, contextDim)
    {
        float a = 1f / MathF.Sqrt(dim);
        u = Var.Parameter(UniformTensor(rng, a, dim), "u");
        w = Var.Parameter(UniformTensor(rng, a, dim), "w");
        b = Var.Parameter(UniformTensor(rng, a, 1), "b");
        cu = ContextWeight(dim, "context_u");
        cw = ContextWeight(dim, "context_w");
        cb = ContextWeight(1, "context_b");
    }

    /// <summary><paramref name="layers"/> planar layers in sequence (the .ppl <c>Planar(K)</c>).</summary>
    public static FlowSequence Stack(int dim, int layers, Rng rng, int contextDim = 0) =>
        new(Enumerable.Range(0, layers).Select(_ => (Flow)new Planar(dim, rng.Split(), contextDim)));

    /// <inheritdoc/>
    public override IEnumerable<(string Name, Var Parameter)> NamedParameters()
    {
        yield return ("u", u);
        yield return ("w", w);
        yield return ("b", b);
        if (cu is not null) { yield return ("context_u", cu); yield return ("context_w", cw!); yield return ("context_b", cb!); }
    }

    /// <summary>(û, w, b, m = wᵀû) for the context, each [..., n] (n = D or 1).</summary>
    (Var UHat, Var W, Var B, Var M) Parameters(Var? context)
    {
        var uc = Shift(u, cu, context);
        var wc = Shift(w, cw, context);
        var bc = Shift(b, cb, context);
        var wu = Ops.Sum(wc * uc, -1, keepDims: true);
        var ww = Ops.Sum(Ops.Square(wc), -1, keepDims: true);
        var m = Ops.Softplus(wu) - 1f;
        var uHat = uc + (m - wu) * wc / ww;
        return (uHat, wc, bc, m);
    }

    /// <inheritdoc/>
    public override (Var Y, Var LogDet) ForwardWithLogDet(Var x, Var? context)
    {
        var (uHat, wc, bc, m) = Parameters(context);
        var t = Ops.Tanh(Ops.Sum(wc * x, -1, keepDims: true) + bc);
        var y = x + uHat * t;
        var logDet = Ops.Log1p((1f - Ops.Square(t)) * m);
        return (y, DropLast(logDet));
    }

    /// <inheritdoc/>
    public override Var Inverse(Var y, Var? context)
    {
        var (uHat, wc, bc, m) = Parameters(context);
        var wy = Ops.Sum(wc * y, -1, keepDims: true);
        var shape = Shapes.Broadcast(Shapes.Broadcast(wy.Shape, m.Shape), bc.Shape);
        var s = Ops.BroadcastTo(Ops.Detach(wy), shape).Value.Span;
        var mv = Ops.BroadcastTo(Ops.Detach(m), shape).Value.Span;
        var bv = Ops.BroadcastTo(Ops.Detach(bc), shape).Value.Span;
        var root = Tensor.Zeros(shape);
        var slope = Tensor.Zeros(shape);
        for (int i = 0; i < s.Length; i++)
        {
            double r = SolveForAlpha(s[i], mv[i], bv[i]);
            root.Span[i] = (float)r;
            double th = Math.Tanh(r + bv[i]);
            slope.Span[i] = (float)(1 + mv[i] * (1 - th * th));
        }
        var alpha0 = Var.Const(root);
        var residual = alpha0 + m * Ops.Tanh(alpha0 + bc) - wy;
        var alpha = alpha0 - residual / Var.Const(slope);
        return y - uHat * Ops.Tanh(alpha + bc);
    }

    /// <summary>
    /// The root of g(α) = α + m·tanh(α + b) − s. Since |m·tanh| ≤ |m| the root lies in [s − |m|, s + |m|]; Newton
    /// steps that leave the bracket (or meet a flat slope, possible only for m near −1) fall back to bisection.
    /// </summary>
    static double SolveForAlpha(double s, double m, double b)
    {
        double lo = s - Math.Abs(m), hi = s + Math.Abs(m);
        double a = s - m * Math.Tanh(s + b);
        for (int it = 0; it < 200; it++)
        {
            double th = Math.Tanh(a + b);
            double g = a + m * th - s;
            if (g == 0) return a;
            if (g > 0) hi = a; else lo = a;
            double gp = 1 + m * (1 - th * th);
            double next = gp > 1e-12 ? a - g / gp : double.NaN;
            if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
            if (Math.Abs(next - a) <= 1e-13 * (1 + Math.Abs(a))) return next;
            a = next;
        }
        return a;
    }
}
