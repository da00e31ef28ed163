using System.Globalization;
using Ppl.Runtime.Tensors;

namespace Ppl.Runtime.Data;

/// <summary>
/// The named inputs of a model, as read from data files. Generated model constructors read each declared
/// <c>data</c> item through the typed accessors, which check type, shape and bounds and name the item in the
/// error, so a bad file fails before any fitting starts.
/// </summary>
public sealed class DataSet
{
    readonly Dictionary<string, (Tensor Values, bool IsInteger)> items = new(StringComparer.Ordinal);

    /// <summary>The names present.</summary>
    public IEnumerable<string> Names => items.Keys;

    /// <summary>Adds or replaces an item; integer items hold whole numbers.</summary>
    public DataSet Add(string name, Tensor values, bool isInteger = false)
    {
        items[name] = (values, isInteger);
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

    (Tensor Values, bool IsInteger) Get(string name) =>
        items.TryGetValue(name, out var v) ? v : throw new DataException(name, "is missing from the data");

    /// <summary>An int scalar (<c>data N: int</c>), optionally bounded.</summary>
    public int Int(string name, int lower = int.MinValue, int upper = int.MaxValue)
    {
        var (t, _) = Get(name);
        if (t.Size != 1 || t.Rank > 1) throw new DataException(name, $"expected an int, got an array of shape {Shapes.Format(t.Shape)}");
        float v = t.ToScalar();
        if (v != MathF.Round(v)) throw new DataException(name, $"expected an int, got {v.ToString(CultureInfo.InvariantCulture)}");
        CheckBounds(name, (int)v, lower, upper);
        return (int)v;
    }

    /// <summary>An int scalar with a fallback when absent (a default, or a size taken from another item's shape).</summary>
    public int IntOr(string name, Func<int> fallback, int lower = int.MinValue, int upper = int.MaxValue) =>
        Contains(name) ? Int(name, lower, upper) : fallback();

    /// <summary>A real scalar, optionally bounded.</summary>
    public float Real(string name, float lower = float.NegativeInfinity, float upper = float.PositiveInfinity)
    {
        var (t, _) = Get(name);
        if (t.Size != 1 || t.Rank > 1) throw new DataException(name, $"expected a real, got an array of shape {Shapes.Format(t.Shape)}");
        float v = t.ToScalar();
        CheckBounds(name, v, lower, upper);
        return v;
    }

    /// <summary>A real array of the declared shape, every element within the bounds.</summary>
    public Tensor Reals(string name, int[] shape, float lower = float.NegativeInfinity, float upper = float.PositiveInfinity)
    {
        var (t, _) = Get(name);
        CheckShape(name, t, shape);
        var s = t.Span;
        for (int i = 0; i < s.Length; i++)
        {
            if (float.IsNaN(s[i])) throw new DataException(name, $"element {ElementName(shape, i)} is NaN");
            if (s[i] < lower || s[i] > upper)
                throw new DataException(name, $"element {ElementName(shape, i)} = {s[i].ToString(CultureInfo.InvariantCulture)} is outside its bounds {BoundsText(lower, upper)}");
        }
        return t.Rank == shape.Length ? t : t.Reshape(shape);
    }

    /// <summary>An int array of the declared shape, every element within the bounds.</summary>
    public IntTensor Ints(string name, int[] shape, int lower = int.MinValue, int upper = int.MaxValue)
    {
        var (t, _) = Get(name);
        CheckShape(name, t, shape);
        var s = t.Span;
        var d = new int[s.Length];
        for (int i = 0; i < s.Length; i++)
        {
            if (s[i] != MathF.Round(s[i])) throw new DataException(name, $"element {ElementName(shape, i)} = {s[i].ToString(CultureInfo.InvariantCulture)} is not an integer");
            d[i] = (int)s[i];
            if (d[i] < lower || d[i] > upper)
                throw new DataException(name, $"element {ElementName(shape, i)} = {d[i]} is outside its bounds {BoundsText(lower, upper)}");
        }
        return new IntTensor(d, shape);
    }

    static void CheckShape(string name, Tensor t, int[] shape)
    {
        // Accepted besides an exact match: the same dimensions up to size-1 axes, and rows flattened
        // (IDX images [N, 28, 28] read as real[N, 784]).
        bool same = Shapes.Equal(t.Shape, shape)
            || (t.Size == Shapes.Size(shape) && StripOnes(t.Shape).SequenceEqual(StripOnes(shape)))
            || (t.Size == Shapes.Size(shape) && t.Rank > shape.Length && shape.Length >= 2 && t.Shape[0] == shape[0]);
        if (!same)
            throw new DataException(name, $"expected shape {Shapes.Format(shape)}, got {Shapes.Format(t.Shape)}");
    }

    static int[] StripOnes(int[] s) => s.Where(d => d != 1).ToArray();

    static void CheckBounds<T>(string name, T v, T lower, T upper) where T : IComparable<T>
    {
        if (v.CompareTo(lower) < 0 || v.CompareTo(upper) > 0)
            throw new DataException(name, $"value {Convert.ToString(v, CultureInfo.InvariantCulture)} is outside its bounds {BoundsText(lower, upper)}");
    }

    static string BoundsText<T>(T lower, T upper)
    {
        string lo = Convert.ToString(lower, CultureInfo.InvariantCulture)!, hi = Convert.ToString(upper, CultureInfo.InvariantCulture)!;
        bool noLo = lo is "-∞" or "-Infinity" || lower is int.MinValue, noHi = hi is "∞" or "Infinity" || upper is int.MaxValue;
        return noLo ? $"<upper={hi}>" : noHi ? $"<lower={lo}>" : $"<lower={lo}, upper={hi}>";
    }

    static string ElementName(int[] shape, int flat)
    {
        var idx = new int[shape.Length];
        for (int i = shape.Length - 1; i >= 0; i--) { idx[i] = flat % Math.Max(shape[i], 1); flat /= Math.Max(shape[i], 1); }
        return "[" + string.Join(", ", idx) + "]";
    }
}
