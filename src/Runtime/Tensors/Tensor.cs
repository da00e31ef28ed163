using System.Globalization;
using System.Text;

namespace Ppl.Runtime.Tensors;

/// <summary>
/// A dense float32 tensor: a row-major contiguous window (<see cref="Offset"/>, <see cref="Size"/>) of a storage
/// array, with a shape. Reshape and slicing along the first axis are views sharing the storage; other layout
/// changes copy. Kept deliberately simple — every kernel can take <see cref="Span"/> and go.
/// </summary>
public sealed class Tensor
{
    /// <summary>The backing array (may be longer than the tensor and shared by views).</summary>
    public float[] Storage { get; }

    /// <summary>Index of the first element in <see cref="Storage"/>.</summary>
    public int Offset { get; }

    /// <summary>Dimensions, outermost first. Do not mutate.</summary>
    public int[] Shape { get; }

    /// <summary>Number of elements.</summary>
    public int Size { get; }

    /// <summary>Number of dimensions.</summary>
    public int Rank => Shape.Length;

    /// <summary>The elements, row-major.</summary>
    public Span<float> Span => Storage.AsSpan(Offset, Size);

    /// <summary>Wraps a storage window; no copy.</summary>
    public Tensor(float[] storage, int offset, int[] shape)
    {
        Storage = storage;
        Offset = offset;
        Shape = shape;
        Size = Shapes.Size(shape);
        if (offset < 0 || offset + Size > storage.Length)
            throw new ArgumentException($"storage of length {storage.Length} cannot hold shape {Shapes.Format(shape)} at offset {offset}");
    }

    /// <summary>Wraps a whole array as a tensor of the given shape; no copy.</summary>
    public Tensor(float[] data, params int[] shape) : this(data, 0, shape) { }

    /// <summary>A zero-filled tensor.</summary>
    public static Tensor Zeros(params int[] shape) => new(new float[Shapes.Size(shape)], 0, shape);

    /// <summary>A tensor filled with one value.</summary>
    public static Tensor Full(float value, params int[] shape)
    {
        var t = Zeros(shape);
        t.Span.Fill(value);
        return t;
    }

    /// <summary>A rank-0 tensor.</summary>
    public static Tensor Scalar(float value) => new([value], 0, Shapes.Scalar);

    /// <summary>A tensor over a copy of <paramref name="data"/>.</summary>
    public static Tensor FromArray(float[] data, params int[] shape)
    {
        if (data.Length != Shapes.Size(shape))
            throw new ShapeException($"{data.Length} values do not fill shape {Shapes.Format(shape)}");
        return new((float[])data.Clone(), 0, shape);
    }

    /// <summary>A vector from values.</summary>
    public static Tensor Vector(params float[] data) => new((float[])data.Clone(), 0, [data.Length]);

    /// <summary>A matrix from rows.</summary>
    public static Tensor Matrix(float[,] rows)
    {
        int r = rows.GetLength(0), c = rows.GetLength(1);
        var t = Zeros(r, c);
        for (int i = 0; i < r; i++) for (int j = 0; j < c; j++) t.Storage[i * c + j] = rows[i, j];
        return t;
    }

    /// <summary>The single value of a one-element tensor.</summary>
    public float ToScalar() => Size == 1 ? Storage[Offset] : throw new ShapeException($"ToScalar needs one element, the tensor has shape {Shapes.Format(Shape)}");

    /// <summary>Element at a full index.</summary>
    public float this[params int[] index]
    {
        get => Storage[Offset + FlatIndex(index)];
        set => Storage[Offset + FlatIndex(index)] = value;
    }

    int FlatIndex(int[] index)
    {
        if (index.Length != Rank) throw new ShapeException($"index of rank {index.Length} for a tensor of rank {Rank}");
        int flat = 0;
        for (int i = 0; i < index.Length; i++)
        {
            if ((uint)index[i] >= (uint)Shape[i]) throw new IndexOutOfRangeException($"index {index[i]} is out of range for axis {i} of size {Shape[i]}");
            flat = flat * Shape[i] + index[i];
        }
        return flat;
    }

    /// <summary>A view with another shape of the same size; <c>-1</c> in one place is inferred.</summary>
    public Tensor Reshape(params int[] shape)
    {
        shape = ResolveReshape(shape, Size);
        return new Tensor(Storage, Offset, shape);
    }

    internal static int[] ResolveReshape(int[] shape, int size)
    {
        int infer = Array.IndexOf(shape, -1);
        if (infer >= 0)
        {
            shape = (int[])shape.Clone();
            shape[infer] = 1;
            int rest = Shapes.Size(shape);
            if (rest == 0 || size % rest != 0) throw new ShapeException($"cannot reshape {size} elements to {Shapes.Format(shape)}");
            shape[infer] = size / rest;
        }
        if (Shapes.Size(shape) != size) throw new ShapeException($"cannot reshape {size} elements to {Shapes.Format(shape)}");
        return shape;
    }

    /// <summary>A view of rows <paramref name="start"/> to <paramref name="end"/> (exclusive) along the first axis.</summary>
    public Tensor SliceRows(int start, int end)
    {
        if (Rank == 0 || start < 0 || end > Shape[0] || start > end)
            throw new ShapeException($"rows {start}..{end} out of range for shape {Shapes.Format(Shape)}");
        var shape = (int[])Shape.Clone();
        shape[0] = end - start;
        int row = Rank == 0 ? 1 : Size / Math.Max(Shape[0], 1);
        return new Tensor(Storage, Offset + start * row, shape);
    }

    /// <summary>An independent copy.</summary>
    public Tensor Clone() => new(Span.ToArray(), 0, (int[])Shape.Clone());

    /// <summary>Copies values from a tensor of the same size.</summary>
    public void CopyFrom(Tensor src)
    {
        if (src.Size != Size) throw new ShapeException($"cannot copy {Shapes.Format(src.Shape)} into {Shapes.Format(Shape)}");
        src.Span.CopyTo(Span);
    }

    /// <summary>The elements as a new array.</summary>
    public float[] ToArray() => Span.ToArray();

    /// <summary>A short human-readable form: shape and (up to 8) values.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder("Tensor").Append(Shapes.Format(Shape)).Append(" {");
        var s = Span;
        for (int i = 0; i < Math.Min(s.Length, 8); i++)
        {
            if (i > 0) sb.Append(", ");
            sb.Append(s[i].ToString("G6", CultureInfo.InvariantCulture));
        }
        if (s.Length > 8) sb.Append(", ...");
        return sb.Append('}').ToString();
    }
}
