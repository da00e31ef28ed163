using Ppl.Runtime.Tensors;

namespace Ppl.Runtime.Autodiff;

/// <summary>A scalar function of one argument with its derivative, evaluated in double precision.</summary>
public interface IScalarFunction1
{
    /// <summary>f(a).</summary>
    static abstract double Value(double a);
    /// <summary>f′(a).</summary>
    static abstract double Derivative(double a);
}

/// <summary>
/// A scalar function of two arguments with its partial derivatives, evaluated in double precision. Implemented by
/// small structs so <see cref="Ops.Elementwise{TF}(Var, Var)"/> inlines the calls (no delegate per element).
/// </summary>
public interface IScalarFunction2
{
    /// <summary>f(a, b).</summary>
    static abstract double Value(double a, double b);
    /// <summary>(∂f/∂a, ∂f/∂b) at (a, b).</summary>
    static abstract (double Da, double Db) Gradient(double a, double b);
}

/// <summary>A scalar function of three arguments with its partial derivatives, evaluated in double precision.</summary>
public interface IScalarFunction3
{
    /// <summary>f(a, b, c).</summary>
    static abstract double Value(double a, double b, double c);
    /// <summary>(∂f/∂a, ∂f/∂b, ∂f/∂c) at (a, b, c).</summary>
    static abstract (double Da, double Db, double Dc) Gradient(double a, double b, double c);
}

public static partial class Ops
{
    /// <summary>
    /// y = f(a) elementwise, f evaluated in double and rounded once. Backward: ∂/∂a = g·f′(a); a zero adjoint passes
    /// nothing back even where the partial is infinite (an unused entry at the edge of a support must not turn its
    /// neighbours' gradients into NaN), and likewise in the two- and three-argument forms.
    /// </summary>
    public static Var Elementwise<TF>(Var a) where TF : IScalarFunction1
    {
        var tape = TapeOf(a);
        var v = Alloc(tape, a.Shape);
        var vs = v.Span; var aS = a.Value.Span;
        for (int i = 0; i < vs.Length; i++) vs[i] = (float)TF.Value(aS[i]);
        return Result(tape, v, In(a), static y =>
        {
            var a = y.In0!;
            var t = Temp(y, y.Shape);
            var g = y.Grad!.Span; var xa = a.Value.Span; var d = t.Span;
            for (int i = 0; i < d.Length; i++) d[i] = g[i] == 0 ? 0f : (float)(g[i] * TF.Derivative(xa[i]));
            Acc(y, a, t, owned: true);
        }, a);
    }

    /// <summary>
    /// y = f(a, b) elementwise over the broadcast of the arguments, f evaluated in double and rounded once.
    /// Log densities use it where a float composition would lose digits: log Γ(k + 1) against k·log λ in a Poisson
    /// log-mass cancels to a small number from terms of size k·log k, so composing float ops leaves an error of
    /// ε₃₂·k·log k, while one double evaluation is exact to the last float bit. Backward: ∂/∂a = g·f_a,
    /// ∂/∂b = g·f_b (summed over broadcast axes), the partials re-evaluated from the inputs.
    /// </summary>
    public static Var Elementwise<TF>(Var a, Var b) where TF : IScalarFunction2
    {
        var tape = TapeOf(a, b);
        var shape = Shapes.BroadcastShared(a.Shape, b.Shape);
        var av = Broadcast(tape, a.Value, shape);
        var bv = Broadcast(tape, b.Value, shape);
        var v = Alloc(tape, shape);
        var vs = v.Span; var aS = av.Span; var bS = bv.Span;
        for (int i = 0; i < vs.Length; i++) vs[i] = (float)TF.Value(aS[i], bS[i]);
        return Result(tape, v, In(a, b), static y =>
        {
            var (a, b, shape) = (y.In0!, y.In1!, y.Shape);
            var av = Broadcast(y.Tape, a.Value, shape);
            var bv = Broadcast(y.Tape, b.Value, shape);
            var g = y.Grad!.Span; var xa = av.Span; var xb = bv.Span;
            var ta = a.RequiresGrad ? Temp(y, shape) : null;
            var tb = b.RequiresGrad ? Temp(y, shape) : null;
            var da = ta is null ? default : ta.Span;
            var db = tb is null ? default : tb.Span;
            for (int i = 0; i < g.Length; i++)
            {
                var (fa, fb) = TF.Gradient(xa[i], xb[i]);
                if (ta is not null) da[i] = g[i] == 0 ? 0f : (float)(g[i] * fa);
                if (tb is not null) db[i] = g[i] == 0 ? 0f : (float)(g[i] * fb);
            }
            if (ta is not null) Acc(y, a, ta, owned: ta.Size == a.Size);
            if (tb is not null) Acc(y, b, tb, owned: tb.Size == b.Size);
        }, a, b);
    }

    /// <summary>
    /// y = f(a, b, c) elementwise over the broadcast of the arguments, f evaluated in double and rounded once (see
    /// <see cref="Elementwise{TF}(Var, Var)"/> for why). Backward: ∂/∂a = g·f_a, ∂/∂b = g·f_b, ∂/∂c = g·f_c.
    /// </summary>
    public static Var Elementwise<TF>(Var a, Var b, Var c) where TF : IScalarFunction3
    {
        var tape = TapeOf(a, b, c);
        var shape = Shapes.BroadcastShared(Shapes.BroadcastShared(a.Shape, b.Shape), c.Shape);
        var av = Broadcast(tape, a.Value, shape);
        var bv = Broadcast(tape, b.Value, shape);
        var cv = Broadcast(tape, c.Value, shape);
        var v = Alloc(tape, shape);
        var vs = v.Span; var aS = av.Span; var bS = bv.Span; var cS = cv.Span;
        for (int i = 0; i < vs.Length; i++) vs[i] = (float)TF.Value(aS[i], bS[i], cS[i]);
        return Result(tape, v, In(a, b, c), static y =>
        {
            var (a, b, c, shape) = (y.In0!, y.In1!, y.In2!, y.Shape);
            var av = Broadcast(y.Tape, a.Value, shape);
            var bv = Broadcast(y.Tape, b.Value, shape);
            var cv = Broadcast(y.Tape, c.Value, shape);
            var g = y.Grad!.Span; var xa = av.Span; var xb = bv.Span; var xc = cv.Span;
            var ta = a.RequiresGrad ? Temp(y, shape) : null;
            var tb = b.RequiresGrad ? Temp(y, shape) : null;
            var tc = c.RequiresGrad ? Temp(y, shape) : null;
            var da = ta is null ? default : ta.Span;
            var db = tb is null ? default : tb.Span;
            var dc = tc is null ? default : tc.Span;
            for (int i = 0; i < g.Length; i++)
            {
                var (fa, fb, fc) = TF.Gradient(xa[i], xb[i], xc[i]);
                if (ta is not null) da[i] = g[i] == 0 ? 0f : (float)(g[i] * fa);
                if (tb is not null) db[i] = g[i] == 0 ? 0f : (float)(g[i] * fb);
                if (tc is not null) dc[i] = g[i] == 0 ? 0f : (float)(g[i] * fc);
            }
            if (ta is not null) Acc(y, a, ta, owned: ta.Size == a.Size);
            if (tb is not null) Acc(y, b, tb, owned: tb.Size == b.Size);
            if (tc is not null) Acc(y, c, tc, owned: tc.Size == c.Size);
        }, a, b, null, c);
    }

    /// <summary>x itself when it already has the shape, else a pooled copy broadcast to it.</summary>
    static Tensor Broadcast(Tape? tape, Tensor x, int[] shape)
    {
        if (Shapes.Equal(x.Shape, shape)) return x;
        var t = Alloc(tape, shape);
        BinaryKernels.BroadcastInto(x, t);
        return t;
    }
}
