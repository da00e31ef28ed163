using Ppl.Runtime.Tensors;

namespace Ppl.Runtime.Autodiff;

/// <summary>
/// The append-only record of one step's differentiable operations. Every op that depends on a parameter appends
/// its output node; <see cref="Backward"/> walks the list in reverse, so each node's adjoint is complete before its
/// rule runs (nodes are appended after their inputs). Intermediate values and adjoints live in pooled buffers that
/// <see cref="Reset"/> recycles, and so are the <see cref="Var"/> objects of nodes and constants made on the tape: a
/// steady-state training step allocates almost nothing. One tape per thread.
/// </summary>
public sealed class Tape
{
    readonly TensorPool pool = new();
    readonly List<Var> nodes = new();
    readonly List<Var> made = new();     // every node and constant made this step, recycled by Reset
    readonly Stack<Var> spare = new();
    SiteSet? escaped;

    /// <summary>Number of recorded nodes (for tests and diagnostics).</summary>
    public int Count => nodes.Count;

    /// <summary>Pooled buffers currently in use (for allocation tests).</summary>
    public int PooledBuffers => pool.RentedCount;

    /// <summary>A tensor from the pool, valid until <see cref="Reset"/>.</summary>
    public Tensor Alloc(int[] shape, bool clear = false) => pool.Rent(shape, clear);

    /// <summary>Binds a parameter to this tape so ops on it are recorded here.</summary>
    public Var Attach(Var parameter)
    {
        if (!parameter.IsParameter) throw new ArgumentException("only parameters are attached to a tape", nameof(parameter));
        parameter.Tape = this;
        return parameter;
    }

    /// <summary>A constant whose later ops draw buffers from this tape's pool.</summary>
    public Var Const(Tensor value) => Make(value, false);

    internal Var Record(Tensor value, Action<Var> backward)
    {
        var v = Make(value, true);
        v.BackwardFn = backward;
        nodes.Add(v);
        return v;
    }

    Var Make(Tensor value, bool requiresGrad)
    {
        if (spare.TryPop(out var v)) v.Reuse(value, requiresGrad);
        else v = new Var(value, requiresGrad, false, this);
        made.Add(v);
        return v;
    }

    /// <summary>
    /// Reverse pass: seeds ∂loss/∂loss = <paramref name="seed"/> (loss must be a scalar) and accumulates adjoints into
    /// every parameter the loss depends on. Parameter gradients add to what they held (call sites zero them).
    /// </summary>
    public void Backward(Var loss, float seed = 1f)
    {
        if (loss.Size != 1) throw new ShapeException($"Backward needs a scalar loss, got shape {Shapes.Format(loss.Shape)}");
        if (!loss.RequiresGrad) return;
        var s = Alloc(Shapes.Scalar);
        s.Storage[s.Offset] = seed;
        AccumulateGrad(loss, s, owned: true);
        for (int i = nodes.Count - 1; i >= 0; i--)
        {
            var n = nodes[i];
            if (n.Grad is not null) n.BackwardFn!(n);
        }
    }

    /// <summary>
    /// Forgets the recorded nodes and recycles every pooled buffer and every <see cref="Var"/> made on this tape
    /// (nodes and <see cref="Const"/> values): values from this step become invalid, and so do the Var objects.
    /// </summary>
    public void Reset()
    {
        for (int i = made.Count - 1; i >= 0; i--) { made[i].Clear(); spare.Push(made[i]); }
        made.Clear();
        nodes.Clear();
        pool.ReturnAll();
        escaped = null;
    }

    /// <summary>
    /// The sites whose provenance was lost since the last call: values read out as plain numbers (an int index, a
    /// branch condition) carry no provenance onward, so whatever the program computed next may depend on them unseen.
    /// An ELBO takes this set per run and gives those sites their whole downstream cost. Clears the set.
    /// </summary>
    public SiteSet? TakeEscaped()
    {
        var e = escaped;
        escaped = null;
        return e;
    }

    /// <summary>Records that a value of this provenance left the tape as a plain number.</summary>
    public void NoteEscaped(SiteSet? provenance)
    {
        if (provenance is not null) escaped = SiteSet.Union(escaped, provenance);
    }

    /// <summary>
    /// Adds <paramref name="g"/> into <paramref name="v"/>'s adjoint, summing over broadcast axes when
    /// <paramref name="g"/> has the broadcast shape of an op's output.
    /// </summary>
    /// <param name="v">the value receiving the adjoint</param>
    /// <param name="g">the adjoint contribution</param>
    /// <param name="owned">the caller hands over <paramref name="g"/>, a fresh pooled buffer nothing else reads:
    /// when it is the first contribution of the right size it becomes the adjoint without a copy</param>
    internal void AccumulateGrad(Var v, Tensor g, bool owned = false)
    {
        if (!v.RequiresGrad) return;
        if (v.Grad is null)
        {
            if (g.Size == v.Size)
            {
                if (owned) { v.Grad = g.Rank == v.Rank ? g : g.Reshape(v.Shape); return; }
                var own = Alloc(v.Shape);
                g.Span.CopyTo(own.Span);
                v.Grad = own;
                return;
            }
            v.Grad = Alloc(v.Shape, clear: true);
        }
        else if (v.GradStale)
        {
            v.GradStale = false;
            if (g.Size == v.Size) { g.Span.CopyTo(v.Grad.Span); return; }
            v.Grad.Span.Clear();
        }
        Kernels.SumToShapeAccumulate(g, v.Grad);
    }
}
