namespace Ppl.Runtime.Tensors;

/// <summary>
/// A dense int32 tensor, row-major: indices for gathers and scatters, and the values of discrete data.
/// </summary>
public sealed class IntTensor
{
    /// <summary>The elements, row-major (exactly <see cref="Size"/> long).</summary>
    public int[] Data { get; }

    /// <summary>Dimensions, outermost first.</summary>
    public int[] Shape { get; }

    /// <summary>Number of elements.</summary>
    public int Size => Data.Length;

    /// <summary>Number of dimensions.</summary>
    public int Rank => Shape.Length;

    /// <summary>Wraps an array (no copy).</summary>
    public IntTensor(int[] data, params int[] shape)
    {
        if (data.Length != Shapes.Size(shape))
            throw new ShapeException($"{data.Length} values do not fill shape {Shapes.Format(shape)}");
        Data = data;
        Shape = shape;
    }

    /// <summary>A vector of the given values.</summary>
    public static IntTensor Vector(params int[] data) => new((int[])data.Clone(), data.Length);

    /// <summary>0, 1, ..., n-1.</summary>
    public static IntTensor Range(int n)
    {
        var d = new int[n];
        for (int i = 0; i < n; i++) d[i] = i;
        return new IntTensor(d, n);
    }

    /// <summary>Element at a full index.</summary>
    public int this[params int[] index]
    {
        get
        {
            int flat = 0;
            for (int i = 0; i < index.Length; i++) flat = flat * Shape[i] + index[i];
            return Data[flat];
        }
    }

    /// <summary>The values as floats (discrete values used in arithmetic).</summary>
    public Tensor ToFloat()
    {
        var t = Tensor.Zeros(Shape);
        var s = t.Span;
        for (int i = 0; i < Data.Length; i++) s[i] = Data[i];
        return t;
    }

    /// <summary>Rounds float values to ints (discrete samples stored as floats).</summary>
    public static IntTensor FromFloat(Tensor t)
    {
        var d = new int[t.Size];
        var s = t.Span;
        for (int i = 0; i < d.Length; i++) d[i] = (int)MathF.Round(s[i]);
        return new IntTensor(d, (int[])t.Shape.Clone());
    }
}
