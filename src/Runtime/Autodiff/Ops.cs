using Ppl.Runtime.Tensors;

namespace Ppl.Runtime.Autodiff;

/// <summary>
/// Differentiable operations on <see cref="Var"/>. Each op computes its forward value with the span kernels and,
/// when an input requires a gradient, records its backward rule (the derivative is stated beside it) on the
/// inputs' tape. This file holds the plumbing; the ops are grouped by kind in the other <c>Ops.*.cs</c> files.
/// </summary>
public static partial class Ops
{
    static Tape? TapeOf(Var a) => a.Tape;
    static Tape? TapeOf(Var a, Var b) => a.Tape ?? b.Tape;
    static Tape? TapeOf(Var a, Var b, Var c) => a.Tape ?? b.Tape ?? c.Tape;

    /// <summary>An output buffer: pooled when a tape is at hand, fresh otherwise.</summary>
    static Tensor Alloc(Tape? tape, int[] shape, bool clear = false) =>
        tape is not null ? tape.Alloc(shape, clear) : Tensor.Zeros(shape);

    /// <summary>Wraps a forward value as a constant or a recorded node.</summary>
    static Var Result(Tape? tape, Tensor value, bool requiresGrad, Action<Var> backward)
    {
        if (!requiresGrad) return tape is null ? Var.Const(value) : tape.Const(value);
        if (tape is null)
            throw new InvalidOperationException("a parameter is used without being attached to a tape (Tape.Attach)");
        return tape.Record(value, backward);
    }

    /// <summary>A temporary for backward rules, pooled on the node's tape.</summary>
    static Tensor Temp(Var y, int[] shape, bool clear = false) => y.Tape!.Alloc(shape, clear);

    static void Acc(Var y, Var x, Tensor g, bool owned = false) => y.Tape!.AccumulateGrad(x, g, owned);

    /// <summary>The same value, cut from the graph: no gradient flows through it (stop-gradient).</summary>
    public static Var Detach(Var x) => x.Tape is null ? Var.Const(x.Value) : x.Tape.Const(x.Value);
}
