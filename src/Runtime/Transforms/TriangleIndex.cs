using System.Collections.Concurrent;
using Ppl.Runtime.Tensors;

namespace Ppl.Runtime.Transforms;

/// <summary>
/// Index tables between a K×K matrix and the vector of its lower-triangle entries in row-major order (Stan's order:
/// row 0, then row 1, ...), with or without the diagonal. Built once per (K, diagonal) and shared.
/// </summary>
internal sealed class TriangleIndex
{
    static readonly ConcurrentDictionary<(int, bool), TriangleIndex> Cache = new();

    /// <summary>The tables for order <paramref name="k"/>; <paramref name="withDiagonal"/> includes the diagonal.</summary>
    public static TriangleIndex For(int k, bool withDiagonal) => Cache.GetOrAdd((k, withDiagonal), key => new TriangleIndex(key.Item1, key.Item2));

    /// <summary>K from a triangle vector's length M = K(K∓1)/2.</summary>
    public static int Order(int m, bool withDiagonal)
    {
        // strictly lower: M = K(K−1)/2 → K = (1 + √(1 + 8M))/2; with the diagonal: M = K(K+1)/2 → K = (√(1 + 8M) − 1)/2.
        int r = (int)Math.Round(Math.Sqrt(1 + 8.0 * m));
        int k = withDiagonal ? (r - 1) / 2 : (r + 1) / 2;
        if (k < 1 || (withDiagonal ? k * (k + 1) / 2 : k * (k - 1) / 2) != m)
            throw new ShapeException($"{m} is not the length of a {(withDiagonal ? "" : "strictly ")}lower triangle");
        return k;
    }

    TriangleIndex(int k, bool withDiagonal)
    {
        K = k;
        Length = withDiagonal ? k * (k + 1) / 2 : k * (k - 1) / 2;
        var gather = new int[k * k];
        var mask = new float[k * k];
        var flat = new int[Length];
        var row = new int[Length];
        var diagPos = new int[k];
        var diagMaskVec = new float[Length];
        var rowGather = new int[k * k];
        var eye = new float[k * k];
        int m = 0;
        for (int i = 0; i < k; i++)
        {
            for (int j = 0; j < k; j++) rowGather[i * k + j] = i;
            eye[i * k + i] = 1;
            for (int j = 0; j < (withDiagonal ? i + 1 : i); j++, m++)
            {
                gather[i * k + j] = m;
                if (j < i) mask[i * k + j] = 1;
                flat[m] = i * k + j;
                row[m] = i;
                if (j == i) { diagPos[i] = m; diagMaskVec[m] = 1; }
            }
        }
        VectorToMatrix = new IntTensor(gather, k, k);
        StrictLowerMask = new Tensor(mask, k, k);
        MatrixToVector = new IntTensor(flat, Length);
        DiagonalPositions = new IntTensor(diagPos, k);
        DiagonalMask = new Tensor(diagMaskVec, Length);
        RowOfEntry = new IntTensor(row, Length);
        RowIndex = new IntTensor(rowGather, k, k);
        Identity = new Tensor(eye, k, k);
        var diagFlat = new int[k];
        for (int i = 0; i < k; i++) diagFlat[i] = i * k + i;
        DiagonalFlat = new IntTensor(diagFlat, k);
    }

    /// <summary>Matrix order.</summary>
    public int K { get; }
    /// <summary>Number of triangle entries.</summary>
    public int Length { get; }
    /// <summary>[K, K]: for each matrix entry in the triangle, its vector position (0 elsewhere, to be masked).</summary>
    public IntTensor VectorToMatrix { get; }
    /// <summary>[K, K]: 1 strictly below the diagonal.</summary>
    public Tensor StrictLowerMask { get; }
    /// <summary>[M]: the flat (i·K + j) position of each vector entry.</summary>
    public IntTensor MatrixToVector { get; }
    /// <summary>[K]: vector positions of the diagonal entries (with the diagonal only).</summary>
    public IntTensor DiagonalPositions { get; }
    /// <summary>[M]: 1 at diagonal entries.</summary>
    public Tensor DiagonalMask { get; }
    /// <summary>[M]: the row of each vector entry.</summary>
    public IntTensor RowOfEntry { get; }
    /// <summary>[K, K]: i at (i, j), to spread a per-row value across its row.</summary>
    public IntTensor RowIndex { get; }
    /// <summary>[K, K] identity.</summary>
    public Tensor Identity { get; }
    /// <summary>[K]: flat positions i·K + i of the diagonal.</summary>
    public IntTensor DiagonalFlat { get; }
}
