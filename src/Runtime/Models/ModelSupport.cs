using System.Globalization;
using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Data;
using Ppl.Runtime.Distributions;
using Ppl.Runtime.Sites;
using Ppl.Runtime.Tensors;
using Ppl.Runtime.Transforms;

namespace Ppl.Runtime.Models;

/// <summary>
/// The shape utilities that code generated from .ppl calls (as <c>__Ppl.*</c>, through a using alias): plate-axis
/// alignment, reductions over trailing axes, comparisons and site names in loops (observations go through
/// <see cref="ModelContext.Observe(string, Distribution, Var, int[], SiteLocation)"/>, beside samples). Kept here, compiled and tested once, rather than pasted into every generated file.
/// </summary>
public static class ModelSupport
{
    /// <summary>Inserts <paramref name="count"/> size-1 axes at <paramref name="axis"/> (lines plate axes up for broadcasting).</summary>
    public static Var Unsqueeze(Var x, int axis, int count)
    {
        if (count == 0) return x;
        var s = x.Shape;
        var n = new int[s.Length + count];
        for (int i = 0; i < n.Length; i++) n[i] = i < axis ? s[i] : i < axis + count ? 1 : s[i - count];
        return Ops.Reshape(x, n);
    }

    /// <summary>Adds <paramref name="axes"/> leading size-1 axes (a plate-free value used inside plates).</summary>
    public static Var Lift(Var x, int axes) => Unsqueeze(x, 0, axes);

    /// <summary>A plate's indices as a value on its own axis (the plate variable used in arithmetic).</summary>
    public static Var PlateIndex(Plate p, int depth) => Unsqueeze(Var.Const(p.Indices.ToFloat()), 0, depth);

    /// <summary><c>x[a:b]</c> along an axis; an open end runs to the axis' size.</summary>
    public static Var Slice(Var x, int axis, int start, int? end) => Ops.Slice(x, axis, start, end ?? x.Shape[axis]);

    /// <summary>Merges the last <paramref name="count"/> axes into one.</summary>
    static Var Flatten(Var x, int count)
    {
        var s = x.Shape;
        int lead = s.Length - count, size = 1;
        var n = new int[lead + 1];
        for (int i = 0; i < lead; i++) n[i] = s[i];
        for (int i = lead; i < s.Length; i++) size *= s[i];
        n[lead] = size;
        return Ops.Reshape(x, n);
    }

    /// <summary>
    /// <c>reshape(x, ...)</c> per plate element: the last <paramref name="rank"/> axes of <paramref name="x"/> (one
    /// element's value) become <paramref name="shape"/>; the leading plate axes stay.
    /// </summary>
    public static Var ReshapeLast(Var x, int rank, int[] shape)
    {
        var s = x.Shape;
        int lead = s.Length - rank, from = 1, to = 1;
        for (int i = lead; i < s.Length; i++) from *= s[i];
        foreach (int d in shape) to *= d;
        if (from != to) throw new ShapeException($"reshape cannot make {from} elements {Shapes.Format(s[lead..])} into {Shapes.Format(shape)} ({to} elements)");
        return Ops.Reshape(x, [.. s[..lead], .. shape]);
    }

    /// <summary>Σ over the last <paramref name="count"/> axes (a reduction over a value's own elements, not its plates).</summary>
    public static Var SumLast(Var x, int count) => count == 0 ? x : Ops.Sum(Flatten(x, count), -1);
    /// <summary>Mean over the last <paramref name="count"/> axes.</summary>
    public static Var MeanLast(Var x, int count) => count == 0 ? x : Ops.Mean(Flatten(x, count), -1);
    /// <summary>Maximum over the last <paramref name="count"/> axes.</summary>
    public static Var MaxLast(Var x, int count) => count == 0 ? x : Ops.Max(Flatten(x, count), -1);
    /// <summary>Minimum over the last <paramref name="count"/> axes.</summary>
    public static Var MinLast(Var x, int count) => count == 0 ? x : Ops.Min(Flatten(x, count), -1);
    /// <summary>log Σ exp over the last <paramref name="count"/> axes.</summary>
    public static Var LogSumExpLast(Var x, int count) => count == 0 ? x : Ops.LogSumExp(Flatten(x, count), -1);

    /// <summary>
    /// <c>a @ b</c> per plate element: <paramref name="a"/> is a vector or matrix (<paramref name="aRank"/> 1 or 2)
    /// after its leading plate axes, likewise <paramref name="b"/>; a side without plates is shared by every element.
    /// Both sides varying must have the same number of plate axes (size 1 where a side does not vary), which
    /// broadcast. A shared right side is one GEMM over all rows ([P, K] @ [K, N]); a shared left side becomes one
    /// through transposes, (A Bₚ)ᵀ = Bₚᵀ Aᵀ; two varying sides a batched GEMM over the broadcast plate axes.
    /// </summary>
    public static Var MatMul(Var a, int aRank, Var b, int bRank)
    {
        int aPlates = a.Rank - aRank, bPlates = b.Rank - bRank;
        if (bPlates == 0) return Ops.MatMul(a, b);
        if (aPlates == 0)
            return (aRank, bRank) switch
            {
                (1, 1) => Ops.MatMul(b, a),                                    // [P, K] @ [K] → [P]
                (2, 1) => Ops.MatMul(b, Ops.Transpose(a)),                     // [P, K] @ [K, M] → [P, M]
                (1, _) => Ops.MatMul(Ops.Transpose(b), a),                     // [P, N, K] @ [K] → [P, N]
                _ => Ops.Transpose(Ops.MatMul(Ops.Transpose(b), Ops.Transpose(a))),   // ([P, N, K] @ [K, M])ᵀ
            };
        if (aPlates != bPlates)
            throw new ShapeException($"matrix product per plate element of {Shapes.Format(a.Shape)} and {Shapes.Format(b.Shape)}: {aPlates} and {bPlates} plate axes");
        var am = aRank == 1 ? Unsqueeze(a, a.Rank - 1, 1) : a;   // [P, 1, K]
        var bm = bRank == 1 ? Unsqueeze(b, b.Rank, 1) : b;       // [P, K, 1]
        var plates = Shapes.Broadcast(am.Shape.AsSpan(0, aPlates), bm.Shape.AsSpan(0, bPlates));
        am = Ops.BroadcastTo(am, Concat(plates, am.Shape[aPlates..]));
        bm = Ops.BroadcastTo(bm, Concat(plates, bm.Shape[bPlates..]));
        var y = Ops.MatMul(am, bm);                                 // [P, M, N]
        var shape = new List<int>(plates);
        if (aRank == 2) shape.Add(a.Shape[^2]);
        if (bRank == 2) shape.Add(b.Shape[^1]);
        return Ops.Reshape(y, [.. shape]);
    }

    /// <summary>
    /// <c>x[..., index, ...]</c> per plate element, when the index varies over plates and picks from a value that
    /// does too (<c>theta[z[n]]</c> with <c>theta</c> per element) or from past its first axis (<c>mu[n, z[n]]</c>).
    /// <paramref name="x"/> is [P, A, D, R] (P its <paramref name="plateAxes"/> plate axes, D at
    /// <paramref name="axis"/>), <paramref name="index"/> [P', I] with as many plate axes; the result is
    /// [broadcast(P, P'), A, I, R], each plate element taking its own entries. Gradients reach x through a gather.
    /// </summary>
    public static Var TakeAlong(Var x, int plateAxes, int axis, Var index)
    {
        var plates = Shapes.Broadcast(x.Shape.AsSpan(0, plateAxes), index.Shape.AsSpan(0, plateAxes));
        var before = x.Shape[plateAxes..axis];
        var after = x.Shape[(axis + 1)..];
        var perElement = index.Shape[plateAxes..];
        x = Ops.BroadcastTo(x, Concat(plates, x.Shape[plateAxes..]));
        var ids = IntTensor.FromFloat(Ops.BroadcastTo(Var.Const(index.Value), Concat(plates, perElement)).Value).Data;
        int batch = Shapes.Size(plates), a = Shapes.Size(before), d = x.Shape[axis], r = Shapes.Size(after), j = Shapes.Size(perElement);
        // Row (b, a, k) of the result is row (b, a, ids[b, k]) of x seen as [batch·a·d, r].
        var rows = new int[batch * a * j];
        for (int bi = 0; bi < batch; bi++)
            for (int ai = 0; ai < a; ai++)
                for (int k = 0; k < j; k++)
                {
                    int v = ids[bi * j + k];
                    if ((uint)v >= (uint)d) throw new IndexOutOfRangeException($"index {v} is out of range for a dimension of size {d}");
                    rows[(bi * a + ai) * j + k] = (bi * a + ai) * d + v;
                }
        var picked = Ops.Gather(Ops.Reshape(x, batch * a * d, r), new IntTensor(rows, rows.Length), 0);
        // The index is read as ints: its provenance (a discrete site's draw) is carried over explicitly.
        return Ops.WithProvenanceOf(Ops.Reshape(picked, [.. plates, .. before, .. perElement, .. after]), index);
    }

    /// <summary>a == b as 0/1.</summary>
    public static Var Eq(Var a, Var b) => Ops.Compare(a, b, static (x, y) => x == y);
    /// <summary>a != b as 0/1.</summary>
    public static Var Ne(Var a, Var b) => Ops.Compare(a, b, static (x, y) => x != y);
    /// <summary>a &lt; b as 0/1.</summary>
    public static Var Lt(Var a, Var b) => Ops.Compare(a, b, static (x, y) => x < y);
    /// <summary>a ≤ b as 0/1.</summary>
    public static Var Le(Var a, Var b) => Ops.Compare(a, b, static (x, y) => x <= y);
    /// <summary>c ? a : b elementwise.</summary>
    public static Var Where(Var c, Var a, Var b) => Ops.Where(c, a, b);
    /// <summary>A scalar condition's truth (non-zero).</summary>
    public static bool Truth(Var c) => Escape(c).ToScalar() != 0f;
    /// <summary>A scalar value as an int (discrete values are stored as floats).</summary>
    public static int Int(Var v) => (int)MathF.Round(Escape(v).ToScalar());
    /// <summary>A scalar value as a float.</summary>
    public static float Float(Var v) => Escape(v).ToScalar();

    /// <summary>
    /// A value about to become a plain number (control flow, an int index) loses its provenance here; the tape
    /// records the sites it came from so the ELBO gives them their whole downstream cost instead of dropping terms.
    /// </summary>
    static Var Escape(Var v)
    {
        if (v.Provenance is not null) v.Tape?.NoteEscaped(v.Provenance);
        return v;
    }

    /// <summary>The name of a site inside sequential loops: <c>theta[3]</c>, <c>z[1, 2]</c>.</summary>
    public static string Name(string name, params int[] index) =>
        name + "[" + string.Join(", ", Array.ConvertAll(index, i => i.ToString(CultureInfo.InvariantCulture))) + "]";

    /// <summary>a ++ b.</summary>
    public static int[] Concat(int[] a, int[] b)
    {
        var r = new int[a.Length + b.Length];
        a.CopyTo(r, 0);
        b.CopyTo(r, a.Length);
        return r;
    }

    /// <summary>The last <paramref name="count"/> dimensions of a shape.</summary>
    public static int[] Trailing(int[] shape, int count) => shape[(shape.Length - count)..];

    /// <summary>An initial value (a param's or a data default) broadcast to its declared shape, as a fresh tensor.</summary>
    public static Tensor Init(Var v, int[] shape) => Ops.BroadcastTo(v, shape).Value.Clone();

    /// <summary>
    /// The default of data item <paramref name="name"/> (<c>data w: real[K] = [1, 2, 3]</c>), used when the data
    /// lack it, broadcast to the declared shape. Sizes given by the data can make the default not fit (K = 2): that
    /// is the data's error, reported with the item and where the default is written, not a bare shape error.
    /// </summary>
    public static Tensor DataDefault(string name, Var value, int[] shape, SiteLocation at) =>
        Shapes.BroadcastsTo(value.Shape, shape) ? Init(value, shape)
        : throw new DataException(name, $"data '{name}' is absent, and its default at {at} has shape {Shapes.Format(value.Shape)}, which does not fit the declared shape {Shapes.Format(shape)}");

    /// <summary>Pushes <paramref name="d"/> through flows built for its last dimension (flows act on vectors).</summary>
    public static Distribution Flow(Distribution d, Func<int, Transform[]> flows) => new TransformedDistribution(d, flows(d.Shape[^1]));

    /// <summary>
    /// A site declared <c>ordered[K]</c>: the order statistics of <paramref name="d"/> broadcast to the site's full
    /// shape <paramref name="shape"/> (plates ++ [K]), sorted along the last axis (<see cref="OrderStatistics"/>).
    /// </summary>
    public static Distribution Ordered(Distribution d, int[] shape) => new OrderStatistics(ExpandTo(d, shape));

    /// <summary>0, 1, ..., <paramref name="k"/> − 1: the default start of an ordered parameter.</summary>
    public static Var Range(int k)
    {
        var t = Tensor.Zeros(k);
        for (int i = 0; i < k; i++) t.Span[i] = i;
        return Var.Const(t);
    }

    /// <summary>The distribution broadcast to a site's full shape (batch ++ event).</summary>
    public static Distribution ExpandTo(Distribution d, int[] shape) =>
        Shapes.Equal(d.Shape, shape) ? d : d.Expand(shape[..(shape.Length - d.EventShape.Length)]);
}
