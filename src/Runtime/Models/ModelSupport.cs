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

    /// <summary>a == b as 0/1.</summary>
    public static Var Eq(Var a, Var b) => Ops.Compare(a, b, static (x, y) => x == y);
    /// <summary>a != b as 0/1.</summary>
    public static Var Ne(Var a, Var b) => Ops.Compare(a, b, static (x, y) => x != y);
    /// <summary>a &lt; b as 0/1.</summary>
    public static Var Lt(Var a, Var b) => Ops.Compare(a, b, static (x, y) => x < y);
    /// <summary>a ≤ b as 0/1.</summary>
    public static Var Le(Var a, Var b) => Ops.Compare(a, b, static (x, y) => x <= y);
    /// <summary>c ? a : b elementwise.</summary>
    public static Var Where(Var c, Var a, Var b) => Ops.Where(c.Value, a, b);
    /// <summary>A scalar condition's truth (non-zero).</summary>
    public static bool Truth(Var c) => c.ToScalar() != 0f;
    /// <summary>A scalar value as an int (discrete values are stored as floats).</summary>
    public static int Int(Var v) => (int)MathF.Round(v.ToScalar());
    /// <summary>A scalar value as a float.</summary>
    public static float Float(Var v) => v.ToScalar();

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
        : throw new DataException(name, $"is absent, and its default at {at} has shape {Shapes.Format(value.Shape)}, which does not fit the declared shape {Shapes.Format(shape)}");

    /// <summary>Pushes <paramref name="d"/> through flows built for its last dimension (flows act on vectors).</summary>
    public static Distribution Flow(Distribution d, Func<int, Transform[]> flows) => new TransformedDistribution(d, flows(d.Shape[^1]));

    /// <summary>The distribution broadcast to a site's full shape (batch ++ event).</summary>
    public static Distribution ExpandTo(Distribution d, int[] shape) =>
        Shapes.Equal(d.Shape, shape) ? d : d.Expand(shape[..(shape.Length - d.EventShape.Length)]);
}
