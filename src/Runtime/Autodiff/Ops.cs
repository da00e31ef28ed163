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

    /// <summary>What an op's output inherits from its inputs: whether it needs a gradient, and its provenance.</summary>
    readonly record struct Inputs(bool RequiresGrad, SiteSet? Provenance);

    static Inputs In(Var a) => new(a.RequiresGrad, a.Provenance);
    static Inputs In(Var a, Var b) => new(a.RequiresGrad || b.RequiresGrad, SiteSet.Union(a.Provenance, b.Provenance));
    static Inputs In(Var a, Var b, Var c) =>
        new(a.RequiresGrad || b.RequiresGrad || c.RequiresGrad, SiteSet.Union(SiteSet.Union(a.Provenance, b.Provenance), c.Provenance));

    /// <summary>
    /// Wraps a forward value as a constant or a recorded node. Every op goes through here, so the output's provenance
    /// (the non-reparameterized sites it was computed from) is the union of its inputs', with or without a gradient.
    /// </summary>
    static Var Result(Tape? tape, Tensor value, Inputs inputs, Action<Var> backward)
    {
        Var y;
        if (!inputs.RequiresGrad) y = tape is null ? Var.Const(value) : tape.Const(value);
        else if (tape is null)
            throw new InvalidOperationException("a parameter is used without being attached to a tape (Tape.Attach)");
        else y = tape.Record(value, backward);
        y.Provenance = inputs.Provenance;
        return y;
    }

    /// <summary>
    /// <see cref="Result(Tape?, Tensor, Inputs, Action{Var})"/> for a rule that reads its inputs from the node
    /// (<see cref="Var.In0"/>, <see cref="Var.In1"/>, <see cref="Var.Extra"/>): a static lambda, so recording the op
    /// allocates no closure. The hot ops of a step use this form.
    /// </summary>
    static Var Result(Tape? tape, Tensor value, Inputs inputs, Action<Var> backward, Var in0, Var? in1 = null, object? extra = null, Var? in2 = null)
    {
        var y = Result(tape, value, inputs, backward);
        if (inputs.RequiresGrad) { y.In0 = in0; y.In1 = in1; y.In2 = in2; y.Extra = extra; }
        return y;
    }

    /// <summary>The rule of a node that records nothing (never run: no input needs a gradient).</summary>
    static readonly Action<Var> NoBackward = static _ => { };

    /// <summary>A temporary for backward rules, pooled on the node's tape.</summary>
    static Tensor Temp(Var y, int[] shape, bool clear = false) => y.Tape!.Alloc(shape, clear);

    static void Acc(Var y, Var x, Tensor g, bool owned = false) => y.Tape!.AccumulateGrad(x, g, owned);

    /// <summary>The same value, cut from the graph: no gradient flows through it (stop-gradient).</summary>
    /// <remarks>Provenance is kept: a detached value still depends on the same random choices.</remarks>
    public static Var Detach(Var x)
    {
        var y = x.Tape is null ? Var.Const(x.Value) : x.Tape.Const(x.Value);
        y.Provenance = x.Provenance;
        return y;
    }

    /// <summary>
    /// The same value, detached, whose provenance adds <paramref name="sites"/>: how an ELBO marks a
    /// non-reparameterized draw as coming from its site so the terms computed from it can be found.
    /// </summary>
    public static Var Tag(Var x, SiteSet sites)
    {
        var y = Detach(x);
        y.Provenance = SiteSet.Union(x.Provenance, sites);
        return y;
    }

    /// <summary>
    /// x with the provenance of <paramref name="from"/> added, for computations that read a Var as plain numbers
    /// (an index tensor) and would otherwise drop the sites it came from. The gradient passes through unchanged.
    /// </summary>
    public static Var WithProvenanceOf(Var x, Var from)
    {
        if (from.Provenance is null || ReferenceEquals(x.Provenance, SiteSet.Union(x.Provenance, from.Provenance))) return x;
        if (x.Tape is not null && x.RequiresGrad)
            return Result(x.Tape, x.Value, new Inputs(true, SiteSet.Union(x.Provenance, from.Provenance)), y => Acc(y, x, y.Grad!));
        var c = x.Tape is null ? Var.Const(x.Value) : x.Tape.Const(x.Value);
        c.Provenance = SiteSet.Union(x.Provenance, from.Provenance);
        return c;
    }
}
