namespace Ppl.Runtime.Sites;

/// <summary>
/// This process's part of a data-parallel fit: process <see cref="Rank"/> of <see cref="Size"/>. Set on a
/// <see cref="ModelContext"/>, it makes every outermost subsampled plate draw the global minibatch from the shared random
/// stream, as one process would, and keep only its contiguous slice (<see cref="Slice"/>); gradients are then averaged
/// across processes, so the plate's scale is Size·N / M (<see cref="PlateFrame.Scale"/>) and the average is the
/// one-process estimate.
/// </summary>
public sealed record DataShard(int Rank, int Size)
{
    /// <summary>The positions [start, end) of this process's slice of a global minibatch of <paramref name="m"/> indices.</summary>
    public (int Start, int End) Slice(int m) => ((int)((long)Rank * m / Size), (int)((long)(Rank + 1) * m / Size));
}
