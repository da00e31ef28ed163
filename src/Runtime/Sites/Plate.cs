using Ppl.Runtime.Tensors;

namespace Ppl.Runtime.Sites;

/// <summary>An open plate scope; disposing it closes the plate.</summary>
public sealed class Plate : IDisposable
{
    readonly ModelContext context;
    bool closed;

    internal Plate(ModelContext context, PlateFrame frame)
    {
        this.context = context;
        Frame = frame;
    }

    /// <summary>The plate's frame (name, size, indices, scale).</summary>
    public PlateFrame Frame { get; }

    /// <summary>The indices in use this run: 0..Size−1, or the subsample.</summary>
    public IntTensor Indices => Frame.Indices;

    /// <summary>How many entries run this time (the vectorised length).</summary>
    public int Size => Frame.SubsampleSize;

    /// <summary>Closes the plate.</summary>
    public void Dispose()
    {
        if (closed) return;
        closed = true;
        context.PopPlate(Frame);
    }
}
