using Ppl.Runtime.Numerics;
using Ppl.Runtime.Tensors;

namespace Ppl.Runtime.Autodiff;

public static partial class Ops
{
    /// <summary>d = f(x) over spans.</summary>
    delegate void SpanMap(ReadOnlySpan<float> x, Span<float> d);

    /// <summary>d = g · f′(x), given x, y = f(x) and the output adjoint g.</summary>
    delegate void SpanGrad(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> g, Span<float> d);

    static Var Unary(Var x, SpanMap f, SpanGrad df)
    {
        var tape = TapeOf(x);
        var v = Alloc(tape, x.Shape);
        f(x.Value.Span, v.Span);
        return Result(tape, v, In(x), static y =>
        {
            var t = Temp(y, y.Shape);
            ((SpanGrad)y.Extra!)(y.In0!.Value.Span, y.Value.Span, y.Grad!.Span, t.Span);
            Acc(y, y.In0!, t, owned: true);
        }, x, null, df);
    }

    /// <summary>eˣ. d/dx = y.</summary>
    public static Var Exp(Var x) => Unary(x, Kernels.Exp, static (_, y, g, d) => Multiply(g, y, d));

    /// <summary>log x. d/dx = 1/x.</summary>
    public static Var Log(Var x) => Unary(x, Kernels.Log, static (x, _, g, d) => Divide(g, x, d));

    /// <summary>log(1 + x), accurate near 0. d/dx = 1/(1 + x).</summary>
    public static Var Log1p(Var x) => Unary(x, Kernels.Log1p, static (x, _, g, d) =>
    {
        Kernels.Affine(x, 1f, 1f, d);
        Divide(g, d, d);
    });

    /// <summary>eˣ − 1, accurate near 0. d/dx = y + 1.</summary>
    public static Var Expm1(Var x) => Unary(x, Kernels.Expm1, static (_, y, g, d) =>
    {
        Kernels.Affine(y, 1f, 1f, d);
        Multiply(g, d, d);
    });

    /// <summary>√x. d/dx = 1/(2y).</summary>
    public static Var Sqrt(Var x) => Unary(x, Kernels.Sqrt, static (_, y, g, d) =>
    {
        Kernels.Scale(y, 2f, d);
        Divide(g, d, d);
    });

    /// <summary>|x|. d/dx = sign(x) (0 at 0).</summary>
    public static Var Abs(Var x) => Unary(x, Kernels.Abs, static (x, _, g, d) =>
    {
        for (int i = 0; i < d.Length; i++) d[i] = x[i] > 0 ? g[i] : x[i] < 0 ? -g[i] : 0f;
    });

    /// <summary>log(1 + eˣ), stable for large |x|. d/dx = σ(x).</summary>
    public static Var Softplus(Var x) => Unary(x, Kernels.Softplus, static (x, _, g, d) =>
    {
        Kernels.Sigmoid(x, d);
        Multiply(g, d, d);
    });

    /// <summary>σ(x) = 1/(1 + e⁻ˣ). d/dx = y(1 − y).</summary>
    public static Var Sigmoid(Var x) => Unary(x, Kernels.Sigmoid, static (_, y, g, d) =>
    {
        for (int i = 0; i < d.Length; i++) d[i] = g[i] * y[i] * (1f - y[i]);
    });

    /// <summary>log σ(x) = −softplus(−x), stable. d/dx = σ(−x).</summary>
    public static Var LogSigmoid(Var x) => Unary(x, static (x, d) =>
    {
        Kernels.Negate(x, d);
        Kernels.Softplus(d, d);
        Kernels.Negate(d, d);
    }, static (x, _, g, d) =>
    {
        Kernels.Negate(x, d);
        Kernels.Sigmoid(d, d);
        Multiply(g, d, d);
    });

    /// <summary>log(x/(1 − x)). d/dx = 1/(x(1 − x)).</summary>
    public static Var Logit(Var x) => Unary(x, static (x, d) =>
    {
        for (int i = 0; i < d.Length; i++) d[i] = MathF.Log(x[i]) - Kernels.Log1p(-x[i]);
    }, static (x, _, g, d) =>
    {
        for (int i = 0; i < d.Length; i++) d[i] = g[i] / (x[i] * (1f - x[i]));
    });

    /// <summary>tanh x. d/dx = 1 − y².</summary>
    public static Var Tanh(Var x) => Unary(x, Kernels.Tanh, static (_, y, g, d) =>
    {
        for (int i = 0; i < d.Length; i++) d[i] = g[i] * (1f - y[i] * y[i]);
    });

    /// <summary>max(x, 0). d/dx = [x &gt; 0].</summary>
    public static Var Relu(Var x) => Unary(x, Kernels.Relu, static (x, _, g, d) =>
    {
        for (int i = 0; i < d.Length; i++) d[i] = x[i] > 0 ? g[i] : 0f;
    });

    /// <summary>ELU: x for x &gt; 0, eˣ − 1 otherwise. d/dx = 1 or y + 1.</summary>
    public static Var Elu(Var x) => Unary(x, static (x, d) =>
    {
        for (int i = 0; i < d.Length; i++) d[i] = x[i] > 0 ? x[i] : Kernels.Expm1(x[i]);
    }, static (x, y, g, d) =>
    {
        for (int i = 0; i < d.Length; i++) d[i] = x[i] > 0 ? g[i] : g[i] * (y[i] + 1f);
    });

    /// <summary>log Γ(x) for x &gt; 0. d/dx = ψ(x).</summary>
    public static Var Lgamma(Var x) => Unary(x, static (x, d) =>
    {
        for (int i = 0; i < d.Length; i++) d[i] = (float)SpecialFunctions.LogGamma(x[i]);
    }, static (x, _, g, d) =>
    {
        for (int i = 0; i < d.Length; i++) d[i] = g[i] * (float)SpecialFunctions.Digamma(x[i]);
    });

    /// <summary>ψ(x) = d/dx log Γ(x). d/dx = ψ′(x) (trigamma).</summary>
    public static Var Digamma(Var x) => Unary(x, static (x, d) =>
    {
        for (int i = 0; i < d.Length; i++) d[i] = (float)SpecialFunctions.Digamma(x[i]);
    }, static (x, _, g, d) =>
    {
        for (int i = 0; i < d.Length; i++) d[i] = g[i] * (float)SpecialFunctions.Trigamma(x[i]);
    });

    static void Divide(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> d) =>
        BinaryKernels.Div.VV(a, b, d);
    static void Multiply(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> d) =>
        BinaryKernels.Mul.VV(a, b, d);
}
