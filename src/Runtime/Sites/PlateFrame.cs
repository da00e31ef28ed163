using Ppl.Runtime.Tensors;

namespace Ppl.Runtime.Sites;

/// <summary>
/// One enclosing <c>plate</c>: its name, full size, the indices in use this run (all of 0..Size−1, or a random
/// subsample) and the log-density scale Size / Indices.Size that makes a minibatch an unbiased estimate.
/// </summary>
public sealed record PlateFrame(string Name, int Size, IntTensor Indices, int Depth)
{
    /// <summary>How many entries run this time.</summary>
    public int SubsampleSize => Indices.Size;

    /// <summary>Size / SubsampleSize.</summary>
    public float Scale => (float)Size / Math.Max(1, SubsampleSize);
}
