using Ppl.Runtime.Tensors;

namespace Ppl.Runtime.Sites;

/// <summary>
/// One enclosing <c>plate</c>: its name, full size, the indices in use this run (all of 0..Size−1, or a random
/// subsample) and the log-density scale Size / Indices.Size that makes a minibatch an unbiased estimate. In a
/// data-parallel fit (<see cref="DataShard"/>) the indices are this process's slice of a global minibatch of
/// <see cref="GlobalSubsampleSize"/> shared by <see cref="Shards"/> processes whose gradients are averaged.
/// </summary>
public sealed record PlateFrame(string Name, int Size, IntTensor Indices, int Depth)
{
    readonly int globalSubsample;

    /// <summary>How many entries run this time.</summary>
    public int SubsampleSize => Indices.Size;

    /// <summary>Processes sharing this plate's minibatch (1 unless the plate is sharded).</summary>
    public int Shards { get; init; } = 1;

    /// <summary>The minibatch summed over all shards (equal to <see cref="SubsampleSize"/> unless the plate is sharded).</summary>
    public int GlobalSubsampleSize { get => globalSubsample == 0 ? SubsampleSize : globalSubsample; init => globalSubsample = value; }

    /// <summary>
    /// Size / GlobalSubsampleSize × Shards: each process's estimate counts its slice as if it were the whole minibatch,
    /// so the average over processes weighs every element by Size / GlobalSubsampleSize, as one process would. With one
    /// shard this is Size / SubsampleSize; with a power-of-two number of shards the product and the later division by
    /// it are exact.
    /// </summary>
    public float Scale => (float)Size / Math.Max(1, GlobalSubsampleSize) * Shards;
}
