using Ppl.Runtime.Tensors;

namespace Ppl.Runtime.Autodiff;

public static partial class Ops
{
    /// <summary>Splits a shape around an axis into (outer, n, inner) for axis kernels.</summary>
    static (int Outer, int N, int Inner) Around(int[] shape, int axis)
    {
        int outer = 1, inner = 1;
        for (int i = 0; i < axis; i++) outer *= shape[i];
        for (int i = axis + 1; i < shape.Length; i++) inner *= shape[i];
        return (outer, shape[axis], inner);
    }

    static int[] Reduced(int[] shape, int axis, bool keepDims)
    {
        if (keepDims) { var s = (int[])shape.Clone(); s[axis] = 1; return s; }
        var r = new int[shape.Length - 1];
        for (int i = 0, j = 0; i < shape.Length; i++) if (i != axis) r[j++] = shape[i];
        return r;
    }

    /// <summary>d[o, k, j] = g[o, j]: the adjoint of a sum over the middle axis.</summary>
    static void ExpandAxis(ReadOnlySpan<float> g, int outer, int n, int inner, Span<float> d)
    {
        for (int o = 0; o < outer; o++)
            for (int k = 0; k < n; k++)
                g.Slice(o * inner, inner).CopyTo(d.Slice((o * n + k) * inner, inner));
    }

    /// <summary>Σ of all elements (accumulated in double). ∂/∂xᵢ = 1.</summary>
    public static Var Sum(Var x)
    {
        var tape = TapeOf(x);
        var v = Alloc(tape, Shapes.Scalar);
        v.Storage[v.Offset] = (float)Kernels.SumDouble(x.Value.Span);
        return Result(tape, v, In(x), static y =>
        {
            var x = y.In0!;
            var t = Temp(y, x.Shape);
            t.Span.Fill(y.Grad!.ToScalar());
            Acc(y, x, t, owned: true);
        }, x);
    }

    /// <summary>
    /// acc + w·Σx (w·Σx when <paramref name="acc"/> is null) as one node, Σ accumulated in double: how a sum of
    /// weighted log-density terms is built without a product, a sum and an addition per term. acc is a scalar.
    /// ∂/∂acc = 1, ∂/∂xᵢ = w.
    /// </summary>
    public static Var AddWeightedSum(Var? acc, Var x, float w)
    {
        if (acc is not null && acc.Size != 1) throw new ShapeException($"AddWeightedSum accumulates into a scalar, got shape {Shapes.Format(acc.Shape)}");
        var tape = acc is null ? TapeOf(x) : TapeOf(acc, x);
        var v = Alloc(tape, Shapes.Scalar);
        float s = (float)(w * Kernels.SumDouble(x.Value.Span));
        v.Storage[v.Offset] = acc is null ? s : acc.Value.ToScalar() + s;
        var y = Result(tape, v, acc is null ? In(x) : In(acc, x), static y =>
        {
            var (x, acc) = (y.In0!, y.In1);
            float g = y.Grad!.ToScalar();
            if (acc is not null) Acc(y, acc, y.Grad!);
            if (!x.RequiresGrad) return;
            var t = Temp(y, x.Shape);
            t.Span.Fill(g * y.K);
            Acc(y, x, t, owned: true);
        }, x, acc);
        y.K = w;
        return y;
    }

    /// <summary>Σ over one axis. ∂/∂x = the adjoint broadcast back along the axis.</summary>
    public static Var Sum(Var x, int axis, bool keepDims = false)
    {
        axis = Shapes.Axis(axis, x.Rank);
        var (outer, n, inner) = Around(x.Shape, axis);
        var tape = TapeOf(x);
        var v = Alloc(tape, Reduced(x.Shape, axis, keepDims));
        Kernels.SumAxis(x.Value.Span, outer, n, inner, v.Span);
        return WithK(Result(tape, v, In(x), static y =>
        {
            var x = y.In0!;
            var (outer, n, inner) = Around(x.Shape, (int)y.K);
            var t = Temp(y, x.Shape);
            ExpandAxis(y.Grad!.Span, outer, n, inner, t.Span);
            Acc(y, x, t, owned: true);
        }, x), axis);
    }

    /// <summary>Mean of all elements.</summary>
    public static Var Mean(Var x) => Mul(Sum(x), 1f / Math.Max(x.Size, 1));

    /// <summary>Mean over one axis.</summary>
    public static Var Mean(Var x, int axis, bool keepDims = false) =>
        Mul(Sum(x, axis, keepDims), 1f / x.Shape[Shapes.Axis(axis, x.Rank)]);

    /// <summary>Maximum over all elements; the gradient goes to the (first) argmax.</summary>
    public static Var Max(Var x) => Max(Reshape(x, x.Size), 0);

    /// <summary>Minimum over all elements.</summary>
    public static Var Min(Var x) => Neg(Max(Neg(x)));

    /// <summary>Minimum over one axis.</summary>
    public static Var Min(Var x, int axis, bool keepDims = false) => Neg(Max(Neg(x), axis, keepDims));

    /// <summary>Maximum over one axis; the gradient goes to the (first) argmax.</summary>
    public static Var Max(Var x, int axis, bool keepDims = false)
    {
        axis = Shapes.Axis(axis, x.Rank);
        var (outer, n, inner) = Around(x.Shape, axis);
        var tape = TapeOf(x);
        var v = Alloc(tape, Reduced(x.Shape, axis, keepDims));
        var arg = new int[outer * inner];
        Kernels.MaxAxis(x.Value.Span, outer, n, inner, v.Span, arg);
        return WithK(Result(tape, v, In(x), static y =>
        {
            var x = y.In0!;
            var (outer, n, inner) = Around(x.Shape, (int)y.K);
            var arg = (int[])y.Extra!;
            var t = Temp(y, x.Shape, clear: true);
            var g = y.Grad!.Span; var ts = t.Span;
            for (int o = 0; o < outer; o++)
                for (int j = 0; j < inner; j++)
                    ts[(o * n + arg[o * inner + j]) * inner + j] = g[o * inner + j];
            Acc(y, x, t, owned: true);
        }, x, extra: arg), axis);
    }

    /// <summary>
    /// log Σ exp over one axis, shifted by the maximum. ∂/∂xₖ = softmax(x)ₖ = exp(xₖ − y).
    /// </summary>
    public static Var LogSumExp(Var x, int axis = -1, bool keepDims = false)
    {
        axis = Shapes.Axis(axis, x.Rank);
        var (outer, n, inner) = Around(x.Shape, axis);
        var tape = TapeOf(x);
        var v = Alloc(tape, Reduced(x.Shape, axis, keepDims));
        var xs = x.Value.Span; var vs = v.Span;
        for (int o = 0; o < outer; o++)
            for (int j = 0; j < inner; j++)
            {
                float m = float.NegativeInfinity;
                for (int k = 0; k < n; k++) m = MathF.Max(m, xs[(o * n + k) * inner + j]);
                if (float.IsInfinity(m)) { vs[o * inner + j] = m; continue; }
                double s = 0;
                for (int k = 0; k < n; k++) s += Math.Exp(xs[(o * n + k) * inner + j] - m);
                vs[o * inner + j] = m + (float)Math.Log(s);
            }
        return WithK(Result(tape, v, In(x), static y =>
        {
            var x = y.In0!;
            var (outer, n, inner) = Around(x.Shape, (int)y.K);
            var t = Temp(y, x.Shape);
            var ts = t.Span; var g = y.Grad!.Span; var ys = y.Value.Span; var xv = x.Value.Span;
            for (int o = 0; o < outer; o++)
                for (int k = 0; k < n; k++)
                    for (int j = 0; j < inner; j++)
                    {
                        int i = (o * n + k) * inner + j;
                        float yv = ys[o * inner + j];
                        ts[i] = float.IsNegativeInfinity(yv) ? 0f : g[o * inner + j] * MathF.Exp(xv[i] - yv);
                    }
            Acc(y, x, t, owned: true);
        }, x), axis);
    }

    /// <summary>log softmax over one axis: x − logsumexp(x). ∂/∂x = g − softmax·Σg.</summary>
    public static Var LogSoftmax(Var x, int axis = -1)
    {
        axis = Shapes.Axis(axis, x.Rank);
        return Sub(x, LogSumExp(x, axis, keepDims: true));
    }

    /// <summary>softmax over one axis: exp(log softmax).</summary>
    public static Var Softmax(Var x, int axis = -1) => Exp(LogSoftmax(x, axis));
}
