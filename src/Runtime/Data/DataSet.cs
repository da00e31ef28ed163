using System.Globalization;
using Ppl.Runtime.Distributions.Constraints;
using Ppl.Runtime.Tensors;

namespace Ppl.Runtime.Data;

/// <summary>
/// The named inputs of a model, as read from data files. Generated model constructors read each declared
/// <c>data</c> item through the typed accessors, which check type, shape and bounds and name the item in the
/// error, so a bad file fails before any fitting starts.
/// </summary>
public sealed class DataSet
{
    readonly Dictionary<string, (Tensor Values, bool IsInteger, string? Source)> items = new(StringComparer.Ordinal);

    /// <summary>The names present.</summary>
    public IEnumerable<string> Names => items.Keys;

    /// <summary>Adds or replaces an item; integer items hold whole numbers; <paramref name="source"/> (a file) is named in errors.</summary>
    public DataSet Add(string name, Tensor values, bool isInteger = false, string? source = null)
    {
        items[name] = (values, isInteger, source);
        return this;
    }

    /// <summary>Adds an integer scalar.</summary>
    public DataSet Add(string name, int value) => Add(name, Tensor.Scalar(value), isInteger: true);

    /// <summary>Adds a real scalar.</summary>
    public DataSet Add(string name, double value) => Add(name, Tensor.Scalar((float)value));

    /// <summary>Adds an integer array.</summary>
    public DataSet Add(string name, IntTensor values) => Add(name, values.ToFloat(), isInteger: true);

    /// <summary>Whether the item is present.</summary>
    public bool Contains(string name) => items.ContainsKey(name);

    /// <summary>The shape of a present item.</summary>
    public int[] ShapeOf(string name) => Get(name).Values.Shape;

    /// <summary>The file a present item was read from, or null when it was added in code.</summary>
    public string? SourceOf(string name) => Get(name).Source;

    /// <summary>The items present that are not among <paramref name="declared"/> (a model ignores them; worth a warning).</summary>
    public IReadOnlyList<string> Undeclared(IEnumerable<string> declared)
    {
        var known = declared.ToHashSet(StringComparer.Ordinal);
        return [.. items.Keys.Where(n => !known.Contains(n)).Order(StringComparer.Ordinal)];
    }

    (Tensor Values, bool IsInteger, string? Source) Get(string name) =>
        items.TryGetValue(name, out var v) ? v : throw new DataException(name, $"data '{name}' is missing (no data file has it)");

    /// <summary>An int scalar (<c>data N: int</c>), optionally bounded.</summary>
    public int Int(string name, int lower = int.MinValue, int upper = int.MaxValue)
    {
        var t = Scalar(name, "an int");
        return CheckInt(name, "", t.ToScalar(), lower, upper);
    }

    /// <summary>An int scalar with a fallback when absent (a default, or a size taken from another item's shape).</summary>
    public int IntOr(string name, Func<int> fallback, int lower = int.MinValue, int upper = int.MaxValue) =>
        Contains(name) ? Int(name, lower, upper) : fallback();

    /// <summary>A real scalar, finite, optionally bounded.</summary>
    public float Real(string name, float lower = float.NegativeInfinity, float upper = float.PositiveInfinity)
    {
        var t = Scalar(name, "a real");
        float v = t.ToScalar();
        CheckReal(name, "", v, lower, upper);
        return v;
    }

    /// <summary>A real array of the declared shape, every element finite and within the bounds.</summary>
    public Tensor Reals(string name, int[] shape, float lower = float.NegativeInfinity, float upper = float.PositiveInfinity)
    {
        var (t, _, _) = Get(name);
        CheckShape(name, t, shape);
        var s = t.Span;
        for (int i = 0; i < s.Length; i++)
            if (!float.IsFinite(s[i]) || s[i] < lower || s[i] > upper) CheckReal(name, ElementName(shape, i), s[i], lower, upper);
        return t.Rank == shape.Length ? t : t.Reshape(shape);
    }

    /// <summary>
    /// <paramref name="values"/> (item <paramref name="name"/>, already read with its declared shape) checked against a
    /// constraint on whole events (<c>simplex[K]</c>, <c>ordered[K]</c>, <c>cov_matrix[K]</c>, <c>cholesky_corr[K]</c>):
    /// the first event outside it is named with its index, e.g. <c>data 'c'[2] = (1, 0.5, 3) is not ordered</c>.
    /// </summary>
    public Tensor Constrained(string name, Tensor values, Constraint constraint)
    {
        var shape = values.Shape;
        int e = constraint.FirstEventOutside(values.Span, shape);
        if (e < 0) return values;
        int eventSize = constraint.EventSize(shape);
        var ev = values.Span.Slice(e * eventSize, eventSize);
        var batch = shape[..(shape.Length - constraint.EventDim)];
        string index = batch.Length == 0 ? "" : ElementName(batch, e);
        string shown = eventSize <= 8 ? $" = ({string.Join(", ", ev.ToArray().Select(Format))})" : "";
        throw Fail(name, $"data '{name}'{index}{shown} is not {constraint.Name}");
    }

    /// <summary>An int array of the declared shape, every element a whole number within the bounds.</summary>
    public IntTensor Ints(string name, int[] shape, int lower = int.MinValue, int upper = int.MaxValue)
    {
        var (t, _, _) = Get(name);
        CheckShape(name, t, shape);
        var s = t.Span;
        var d = new int[s.Length];
        for (int i = 0; i < s.Length; i++) d[i] = CheckInt(name, ElementName(shape, i), s[i], lower, upper);
        return new IntTensor(d, shape);
    }

    Tensor Scalar(string name, string what)
    {
        var (t, _, _) = Get(name);
        if (t.Size != 1 || t.Rank > 1) throw Fail(name, $"data '{name}' is an array of shape {Shapes.Format(t.Shape)}, the model declares {what}");
        return t;
    }

    int CheckInt(string name, string index, float v, int lower, int upper)
    {
        if (!float.IsFinite(v)) CheckReal(name, index, v, float.NegativeInfinity, float.PositiveInfinity);
        if (v != MathF.Round(v)) throw Fail(name, $"{Element(name, index, v)} is not an integer (the model declares int)");
        // Compared as floats so a value beyond int's range is reported, not wrapped.
        if (v < lower) throw Fail(name, $"{Element(name, index, v)} is below its lower bound {lower}");
        if (v > upper) throw Fail(name, $"{Element(name, index, v)} is above its upper bound {upper}");
        return (int)v;
    }

    void CheckReal(string name, string index, float v, float lower, float upper)
    {
        if (float.IsNaN(v)) throw Fail(name, $"data '{name}'{index} is NaN (data must be finite)");
        if (!float.IsFinite(v)) throw Fail(name, $"{Element(name, index, v)} is not finite (data must be finite)");
        if (v < lower) throw Fail(name, $"{Element(name, index, v)} is below its lower bound {Format(lower)}");
        if (v > upper) throw Fail(name, $"{Element(name, index, v)} is above its upper bound {Format(upper)}");
    }

    void CheckShape(string name, Tensor t, int[] shape)
    {
        // Accepted besides an exact match: the same dimensions up to size-1 axes, and rows flattened
        // (IDX images [N, 28, 28] read as real[N, 784]).
        bool same = Shapes.Equal(t.Shape, shape)
            || (t.Size == Shapes.Size(shape) && StripOnes(t.Shape).SequenceEqual(StripOnes(shape)))
            || (t.Size == Shapes.Size(shape) && t.Rank > shape.Length && shape.Length >= 2 && t.Shape[0] == shape[0]);
        if (!same)
            throw Fail(name, $"data '{name}' has shape {Shapes.Format(t.Shape)}, the model declares {Shapes.Format(shape)}");
    }

    DataException Fail(string name, string message) =>
        new(name, items.TryGetValue(name, out var item) && item.Source is { } source ? $"{source}: {message}" : message);

    static int[] StripOnes(int[] s) => s.Where(d => d != 1).ToArray();

    static string Element(string name, string index, float v) => $"data '{name}'{index} = {Format(v)}";

    static string Format(float v) => float.IsPositiveInfinity(v) ? "inf" : float.IsNegativeInfinity(v) ? "-inf" : v.ToString(CultureInfo.InvariantCulture);

    /// <summary>A flat position as the language indexes it, 0-based: <c>[3]</c>, <c>[1, 2]</c>.</summary>
    static string ElementName(int[] shape, int flat)
    {
        var idx = new int[shape.Length];
        for (int i = shape.Length - 1; i >= 0; i--) { idx[i] = flat % Math.Max(shape[i], 1); flat /= Math.Max(shape[i], 1); }
        return "[" + string.Join(", ", idx) + "]";
    }
}
