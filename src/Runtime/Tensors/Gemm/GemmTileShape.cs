namespace Ppl.Runtime.Tensors;

/// <summary>
/// The number of rows a micro-kernel instantiation computes, as a type so the JIT specialises the kernel
/// per row count and drops the unused accumulators: edge tiles then run a smaller kernel instead of
/// computing (and discarding) a full tile's worth of padding.
/// </summary>
internal interface IGemmTileRows
{
    static abstract int Count { get; }
}

/// <summary>The number of vectors across a micro-kernel instantiation's tile (1 or 2), as a type.</summary>
internal interface IGemmTileWidth
{
    static abstract int Vectors { get; }
}

internal readonly struct Rows2 : IGemmTileRows { public static int Count => 2; }
internal readonly struct Rows4 : IGemmTileRows { public static int Count => 4; }
internal readonly struct Rows6 : IGemmTileRows { public static int Count => 6; }
internal readonly struct Rows8 : IGemmTileRows { public static int Count => 8; }
internal readonly struct Rows12 : IGemmTileRows { public static int Count => 12; }
internal readonly struct OneVector : IGemmTileWidth { public static int Vectors => 1; }
internal readonly struct TwoVectors : IGemmTileWidth { public static int Vectors => 2; }
