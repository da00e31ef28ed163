using System.Text;

namespace Ppl.Runtime.Tensors;

/// <summary>Shape arithmetic shared by every tensor kernel: sizes, strides and NumPy broadcasting.</summary>
public static class Shapes
{
    /// <summary>The shape of a scalar (rank 0).</summary>
    public static readonly int[] Scalar = [];

    /// <summary>Number of elements of a shape (1 for a scalar).</summary>
    public static int Size(ReadOnlySpan<int> shape)
    {
        int n = 1;
        foreach (int d in shape)
        {
            if (d < 0) throw new ArgumentException($"negative dimension in shape {Format(shape)}");
            n = checked(n * d);
        }
        return n;
    }

    /// <summary>Row-major strides, in elements.</summary>
    public static int[] Strides(ReadOnlySpan<int> shape)
    {
        var s = new int[shape.Length];
        int acc = 1;
        for (int i = shape.Length - 1; i >= 0; i--) { s[i] = acc; acc *= shape[i]; }
        return s;
    }

    /// <summary>Whether two shapes are equal.</summary>
    public static bool Equal(ReadOnlySpan<int> a, ReadOnlySpan<int> b) => a.SequenceEqual(b);

    /// <summary>
    /// <see cref="Broadcast(ReadOnlySpan{int}, ReadOnlySpan{int})"/> that returns one of the arrays when it is the
    /// broadcast (no allocation on the common path of an op), so the result is shared: for tensor shapes only, which
    /// are never mutated.
    /// </summary>
    public static int[] BroadcastShared(int[] a, int[] b)
    {
        if (ReferenceEquals(a, b) || a.AsSpan().SequenceEqual(b)) return a;
        if (b.Length <= a.Length && BroadcastsTo(b, a)) return a;
        if (a.Length <= b.Length && BroadcastsTo(a, b)) return b;
        return Broadcast((ReadOnlySpan<int>)a, (ReadOnlySpan<int>)b);
    }

    /// <summary>
    /// The NumPy broadcast of two shapes: align trailing dimensions; each pair must be equal or contain a 1.
    /// </summary>
    public static int[] Broadcast(ReadOnlySpan<int> a, ReadOnlySpan<int> b)
    {
        if (a.SequenceEqual(b)) return a.ToArray();
        int r = Math.Max(a.Length, b.Length);
        var o = new int[r];
        for (int i = 0; i < r; i++)
        {
            int da = i < r - a.Length ? 1 : a[i - (r - a.Length)];
            int db = i < r - b.Length ? 1 : b[i - (r - b.Length)];
            if (da != db && da != 1 && db != 1)
                throw new ShapeException($"shapes {Format(a)} and {Format(b)} cannot be broadcast together");
            o[i] = da == 1 ? db : da;
        }
        return o;
    }

    /// <summary>Whether <paramref name="from"/> broadcasts to exactly <paramref name="to"/>.</summary>
    public static bool BroadcastsTo(ReadOnlySpan<int> from, ReadOnlySpan<int> to)
    {
        if (from.Length > to.Length) return false;
        int off = to.Length - from.Length;
        for (int i = 0; i < from.Length; i++)
            if (from[i] != 1 && from[i] != to[i + off]) return false;
        return true;
    }

    /// <summary>Strides of <paramref name="shape"/> seen as broadcast to <paramref name="outShape"/>: 0 on broadcast axes.</summary>
    internal static int[] BroadcastStrides(ReadOnlySpan<int> shape, int[] outShape)
    {
        int r = outShape.Length, off = r - shape.Length;
        var s = new int[r];
        int acc = 1;
        for (int i = shape.Length - 1; i >= 0; i--)
        {
            s[i + off] = shape[i] == 1 && outShape[i + off] != 1 ? 0 : acc;
            acc *= shape[i];
        }
        return s;
    }

    /// <summary>Normalises a possibly negative axis against a rank.</summary>
    public static int Axis(int axis, int rank)
    {
        int a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) throw new ShapeException($"axis {axis} is out of range for rank {rank}");
        return a;
    }

    /// <summary>Formats a shape as <c>[2, 3]</c>.</summary>
    public static string Format(ReadOnlySpan<int> shape)
    {
        var sb = new StringBuilder("[");
        for (int i = 0; i < shape.Length; i++) { if (i > 0) sb.Append(", "); sb.Append(shape[i]); }
        return sb.Append(']').ToString();
    }
}

/// <summary>Shapes that do not fit an operation (broadcasting, matrix product, indexing).</summary>
public sealed class ShapeException(string message) : Exception(message);
