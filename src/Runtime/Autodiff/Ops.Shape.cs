using Ppl.Runtime.Tensors;

namespace Ppl.Runtime.Autodiff;

public static partial class Ops
{
    /// <summary>The same elements in another shape (a view; one −1 is inferred). The adjoint is reshaped back.</summary>
    public static Var Reshape(Var x, params int[] shape)
    {
        shape = Tensor.ResolveReshape(shape, x.Size);
        if (Shapes.Equal(shape, x.Shape)) return x;
        var tape = TapeOf(x);
        var v = new Tensor(x.Value.Storage, x.Value.Offset, shape);
        return Result(tape, v, In(x), static y => Acc(y, y.In0!, y.Grad!.Reshape(y.In0!.Shape)), x);
    }

    /// <summary>x broadcast to a larger shape (copied). The adjoint is summed back over the broadcast axes.</summary>
    public static Var BroadcastTo(Var x, params int[] shape)
    {
        if (Shapes.Equal(shape, x.Shape)) return x;
        if (!Shapes.BroadcastsTo(x.Shape, shape))
            throw new ShapeException($"shape {Shapes.Format(x.Shape)} cannot be broadcast to {Shapes.Format(shape)}");
        var tape = TapeOf(x);
        var v = Alloc(tape, shape);
        BinaryKernels.BroadcastInto(x.Value, v);
        return Result(tape, v, In(x), static y => Acc(y, y.In0!, y.Grad!), x);
    }

    /// <summary>Elements start..end−1 along an axis (the .ppl slice <c>x[a:b]</c>). The adjoint scatters back.</summary>
    public static Var Slice(Var x, int axis, int start, int end)
    {
        axis = Shapes.Axis(axis, x.Rank);
        var (outer, n, inner) = Around(x.Shape, axis);
        if (start < 0 || end > n || start > end)
            throw new ShapeException($"slice {start}:{end} is out of range for axis {axis} of size {n}");
        if (start == 0 && end == n) return x;   // the whole axis: the same values
        var shape = (int[])x.Shape.Clone();
        shape[axis] = end - start;
        var tape = TapeOf(x);
        int len = (end - start) * inner;
        Tensor v;
        if (outer == 1) v = new Tensor(x.Value.Storage, x.Value.Offset + start * inner, shape); // contiguous: a view
        else
        {
            v = Alloc(tape, shape);
            var xs = x.Value.Span; var vs = v.Span;
            for (int o = 0; o < outer; o++) xs.Slice((o * n + start) * inner, len).CopyTo(vs.Slice(o * len, len));
        }
        // The rule reads the start from K and finds the axis as the one whose size changed: no closure per slice.
        return WithK(Result(tape, v, In(x), static y =>
        {
            var x = y.In0!;
            int axis = 0;
            while (y.Shape[axis] == x.Shape[axis]) axis++;
            var (outer, n, inner) = Around(x.Shape, axis);
            int start = (int)y.K, len = y.Shape[axis] * inner;
            var t = Temp(y, x.Shape, clear: true);
            var g = y.Grad!.Span; var ts = t.Span;
            for (int o = 0; o < outer; o++) g.Slice(o * len, len).CopyTo(ts.Slice((o * n + start) * inner, len));
            Acc(y, x, t, owned: true);
        }, x), start);
    }

    /// <summary>Sets an op's integer argument (an axis, a start) on a node its static backward rule reads it from.</summary>
    static Var WithK(Var y, int k)
    {
        if (y.RequiresGrad) y.K = k;
        return y;
    }

    /// <summary>Element i along an axis, dropping the axis (<c>x[i]</c>; negative i counts from the end).</summary>
    public static Var Index(Var x, int axis, int i)
    {
        axis = Shapes.Axis(axis, x.Rank);
        int n = x.Shape[axis];
        int j = i < 0 ? i + n : i;
        if (j < 0 || j >= n) throw new IndexOutOfRangeException($"index {i} is out of range for axis {axis} of size {n}");
        var s = Slice(x, axis, j, j + 1);
        return Reshape(s, Reduced(x.Shape, axis, keepDims: false));
    }

    /// <summary>
    /// Picks entries along an axis by an int index tensor: out.shape = x.shape[..axis] + idx.shape +
    /// x.shape[axis+1..] (<c>b[spray]</c>, <c>mu[z]</c>, <c>x[n]</c> in a plate). The adjoint is a scatter-add.
    /// </summary>
    public static Var Gather(Var x, IntTensor idx, int axis = 0)
    {
        axis = Shapes.Axis(axis, x.Rank);
        var (outer, n, inner) = Around(x.Shape, axis);
        var shape = new int[x.Rank - 1 + idx.Rank];
        x.Shape.AsSpan(0, axis).CopyTo(shape);
        idx.Shape.CopyTo(shape, axis);
        x.Shape.AsSpan(axis + 1).CopyTo(shape.AsSpan(axis + idx.Rank));
        var ids = idx.Data;
        foreach (int k in ids)
            if ((uint)k >= (uint)n) throw new IndexOutOfRangeException($"index {k} is out of range for axis {axis} of size {n}");
        var tape = TapeOf(x);
        var v = Alloc(tape, shape);
        var xs = x.Value.Span; var vs = v.Span;
        int m = ids.Length;
        for (int o = 0; o < outer; o++)
            for (int r = 0; r < m; r++)
                xs.Slice((o * n + ids[r]) * inner, inner).CopyTo(vs.Slice((o * m + r) * inner, inner));
        return WithK(Result(tape, v, In(x), static y =>
        {
            var x = y.In0!;
            var (outer, n, inner) = Around(x.Shape, (int)y.K);
            var t = Temp(y, x.Shape, clear: true);
            ScatterAddInto(y.Grad!.Span, (int[])y.Extra!, outer, n, inner, t.Span);
            Acc(y, x, t, owned: true);
        }, x, extra: ids), axis);
    }

    /// <summary>
    /// Gathers by the values of a discrete Var (ints stored as floats, e.g. a Categorical site's draw): <c>mu[z]</c>.
    /// No gradient flows into the index; its provenance does.
    /// </summary>
    public static Var Gather(Var x, Var index, int axis = 0) => WithProvenanceOf(Gather(x, IntTensor.FromFloat(index.Value), axis), index);

    /// <summary>
    /// The adjoint of <see cref="Gather(Var, IntTensor, int)"/> as an op: out has <paramref name="size"/> entries along the axis, entry k
    /// the sum of the src entries whose index is k. Its own adjoint is a gather.
    /// </summary>
    public static Var ScatterAdd(Var src, IntTensor idx, int size, int axis = 0)
    {
        axis = Shapes.Axis(axis, src.Rank - idx.Rank + 1);
        int outer = 1, inner = 1;
        for (int i = 0; i < axis; i++) outer *= src.Shape[i];
        for (int i = axis + idx.Rank; i < src.Rank; i++) inner *= src.Shape[i];
        var shape = new int[src.Rank - idx.Rank + 1];
        src.Shape.AsSpan(0, axis).CopyTo(shape);
        shape[axis] = size;
        src.Shape.AsSpan(axis + idx.Rank).CopyTo(shape.AsSpan(axis + 1));
        foreach (int k in idx.Data)
            if ((uint)k >= (uint)size) throw new IndexOutOfRangeException($"index {k} is out of range for size {size}");
        var tape = TapeOf(src);
        var v = Alloc(tape, shape, clear: true);
        ScatterAddInto(src.Value.Span, idx.Data, outer, size, inner, v.Span);
        return Result(tape, v, In(src), y =>
        {
            var g = y.Grad!.Span;
            var t = Temp(y, src.Shape);
            var ts = t.Span; var ids = idx.Data; int m = ids.Length;
            for (int o = 0; o < outer; o++)
                for (int r = 0; r < m; r++)
                    g.Slice((o * size + ids[r]) * inner, inner).CopyTo(ts.Slice((o * m + r) * inner, inner));
            Acc(y, src, t, owned: true);
        });
    }

    static void ScatterAddInto(ReadOnlySpan<float> src, int[] ids, int outer, int n, int inner, Span<float> dst)
    {
        int m = ids.Length;
        for (int o = 0; o < outer; o++)
            for (int r = 0; r < m; r++)
                Kernels.AddInPlace(dst.Slice((o * n + ids[r]) * inner, inner), src.Slice((o * m + r) * inner, inner));
    }

    /// <summary>
    /// Joins same-shaped values along a new axis. One op rather than a reshape per part and a concatenation: enumerated
    /// discrete sites stack two or three scalars hundreds of times a step (an HMM's factor tables), where the per-op
    /// cost, not the copying, is the time.
    /// </summary>
    public static Var Stack(IReadOnlyList<Var> parts, int axis = 0)
    {
        if (parts.Count == 0) throw new ArgumentException("Stack needs at least one value");
        var s0 = parts[0].Shape;
        Tape? tape = null;
        bool grad = false;
        SiteSet? provenance = null;
        foreach (var p in parts)
        {
            if (!Shapes.Equal(p.Shape, s0)) throw new ShapeException($"Stack: shapes {Shapes.Format(s0)} and {Shapes.Format(p.Shape)} differ");
            tape ??= p.Tape;
            grad |= p.RequiresGrad;
            provenance = SiteSet.Union(provenance, p.Provenance);
        }
        axis = Shapes.Axis(axis, s0.Length + 1);
        int n = parts.Count, outer = 1, inner = 1;
        var shape = new int[s0.Length + 1];
        for (int i = 0; i < axis; i++) outer *= shape[i] = s0[i];
        shape[axis] = n;
        for (int i = axis; i < s0.Length; i++) inner *= shape[i + 1] = s0[i];
        var v = Alloc(tape, shape);
        var vs = v.Span;
        for (int i = 0; i < n; i++)
        {
            var ps = parts[i].Value.Span;
            for (int o = 0; o < outer; o++) ps.Slice(o * inner, inner).CopyTo(vs.Slice((o * n + i) * inner, inner));
        }
        if (!grad) return Result(tape, v, new Inputs(false, provenance), NoBackward);
        return WithK(Result(tape, v, new Inputs(grad, provenance), static y =>
        {
            var captured = (Var[])y.Extra!;
            int n = captured.Length, axis = (int)y.K, outer = 1, inner = 1;
            var s0 = captured[0].Shape;
            for (int i = 0; i < axis; i++) outer *= s0[i];
            for (int i = axis; i < s0.Length; i++) inner *= s0[i];
            var g = y.Grad!.Span;
            for (int i = 0; i < n; i++)
            {
                var p = captured[i];
                if (!p.RequiresGrad) continue;
                var t = Temp(y, p.Shape);
                var ts = t.Span;
                for (int o = 0; o < outer; o++) g.Slice((o * n + i) * inner, inner).CopyTo(ts.Slice(o * inner, inner));
                Acc(y, p, t, owned: true);
            }
        }, parts[0], extra: parts.ToArray()), axis);
    }

    /// <summary>Joins values along an existing axis (other axes must match).</summary>
    public static Var Concat(IReadOnlyList<Var> parts, int axis = 0)
    {
        if (parts.Count == 0) throw new ArgumentException("Concat needs at least one value");
        if (parts.Count == 1) return parts[0];
        int rank = parts[0].Rank;
        axis = Shapes.Axis(axis, rank);
        var shape = (int[])parts[0].Shape.Clone();
        shape[axis] = 0;
        Tape? tape = null;
        bool grad = false;
        foreach (var p in parts)
        {
            for (int i = 0; i < rank; i++)
                if (i != axis && (p.Rank != rank || p.Shape[i] != parts[0].Shape[i]))
                    throw new ShapeException($"Concat: shapes {Shapes.Format(parts[0].Shape)} and {Shapes.Format(p.Shape)} differ off axis {axis}");
            shape[axis] += p.Shape[axis];
            tape ??= p.Tape;
            grad |= p.RequiresGrad;
        }
        var (outer, total, inner) = Around(shape, axis);
        var v = Alloc(tape, shape);
        var vs = v.Span;
        int start = 0;
        foreach (var p in parts)
        {
            int len = p.Shape[axis] * inner;
            var ps = p.Value.Span;
            for (int o = 0; o < outer; o++) ps.Slice(o * len, len).CopyTo(vs.Slice((o * total) * inner + start * inner, len));
            start += p.Shape[axis];
        }
        SiteSet? provenance = null;
        foreach (var p in parts) provenance = SiteSet.Union(provenance, p.Provenance);
        if (!grad) return Result(tape, v, new Inputs(false, provenance), NoBackward);
        return WithK(Result(tape, v, new Inputs(grad, provenance), static y =>
        {
            int axis = (int)y.K;
            var (outer, total, inner) = Around(y.Shape, axis);
            int st = 0;
            foreach (var p in (Var[])y.Extra!)
            {
                int len = p.Shape[axis] * inner;
                if (p.RequiresGrad)
                {
                    var t = Temp(y, p.Shape);
                    var g = y.Grad!.Span; var ts = t.Span;
                    for (int o = 0; o < outer; o++) g.Slice((o * total) * inner + st * inner, len).CopyTo(ts.Slice(o * len, len));
                    Acc(y, p, t, owned: true);
                }
                st += p.Shape[axis];
            }
        }, parts[0], extra: parts.ToArray()), axis);
    }

    /// <summary>cond ? a : b elementwise (cond is a 0/1 tensor; all three broadcast). Gradients follow the choice.</summary>
    public static Var Where(Tensor cond, Var a, Var b)
    {
        // a·c + b·(1 − c) is exact for 0/1 masks and gives the right gradients; but inf·0 = NaN, so pick directly.
        var shape = Shapes.BroadcastShared(Shapes.BroadcastShared(cond.Shape, a.Shape), b.Shape);
        var tape = TapeOf(a, b);
        var av = Alloc(tape, shape); BinaryKernels.BroadcastInto(a.Value, av);
        var bv = Alloc(tape, shape); BinaryKernels.BroadcastInto(b.Value, bv);
        var cv = Alloc(tape, shape); BinaryKernels.BroadcastInto(cond, cv);
        var v = Alloc(tape, shape);
        var vs = v.Span; var avs = av.Span; var bvs = bv.Span; var cs = cv.Span;
        for (int i = 0; i < vs.Length; i++) vs[i] = cs[i] != 0f ? avs[i] : bvs[i];
        return Result(tape, v, In(a, b), static y =>
        {
            var (a, b, cv, shape) = (y.In0!, y.In1!, (Tensor)y.Extra!, y.Shape);
            var g = y.Grad!.Span;
            if (a.RequiresGrad)
            {
                var t = Temp(y, shape); var ts = t.Span; var cc = cv.Span;
                for (int i = 0; i < ts.Length; i++) ts[i] = cc[i] != 0f ? g[i] : 0f;
                Acc(y, a, t, owned: t.Size == a.Size);
            }
            if (b.RequiresGrad)
            {
                var t = Temp(y, shape); var ts = t.Span; var cc = cv.Span;
                for (int i = 0; i < ts.Length; i++) ts[i] = cc[i] != 0f ? 0f : g[i];
                Acc(y, b, t, owned: t.Size == b.Size);
            }
        }, a, b, cv);
    }

    /// <summary>cond ? a : b with a Var condition: as <see cref="Where(Tensor, Var, Var)"/>, and the output also
    /// carries the condition's provenance.</summary>
    public static Var Where(Var cond, Var a, Var b) => WithProvenanceOf(Where(cond.Value, a, b), cond);

    /// <summary>Comparison a OP b as a 0/1 constant (no gradient), broadcast.</summary>
    public static Var Compare(Var a, Var b, Func<float, float, bool> op)
    {
        var shape = Shapes.BroadcastShared(a.Shape, b.Shape);
        var tape = TapeOf(a, b);
        var av = Alloc(tape, shape); BinaryKernels.BroadcastInto(a.Value, av);
        var bv = Alloc(tape, shape); BinaryKernels.BroadcastInto(b.Value, bv);
        var s = av.Span; var bs = bv.Span;
        for (int i = 0; i < s.Length; i++) s[i] = op(s[i], bs[i]) ? 1f : 0f;
        var c = tape is null ? Var.Const(av) : tape.Const(av);
        c.Provenance = SiteSet.Union(a.Provenance, b.Provenance);
        return c;
    }
}
