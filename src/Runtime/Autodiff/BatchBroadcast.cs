using Ppl.Runtime.Tensors;

namespace Ppl.Runtime.Autodiff;

/// <summary>
/// Pairs the batch entries of two operands whose leading (batch) axes broadcast against each other, for the
/// linear-algebra ops that act on the trailing matrix or vector axes (<see cref="Ops.MatVec"/>,
/// <see cref="Ops.TriangularSolve"/>). Entry i of the broadcast batch reads entry <see cref="A"/>[i] of the first
/// operand's batch and <see cref="B"/>[i] of the second's, so a single matrix can serve many vectors without being
/// copied, and the backward pass can sum adjoints back onto the shared entry.
/// </summary>
internal sealed class BatchBroadcast
{
    /// <summary>The broadcast batch shape.</summary>
    public int[] Shape { get; }

    /// <summary>Number of batch entries in <see cref="Shape"/>.</summary>
    public int Count { get; }

    /// <summary>For each broadcast entry, the index of the first operand's batch entry.</summary>
    public int[] A { get; }

    /// <summary>For each broadcast entry, the index of the second operand's batch entry.</summary>
    public int[] B { get; }

    public BatchBroadcast(ReadOnlySpan<int> aBatch, ReadOnlySpan<int> bBatch)
    {
        Shape = Shapes.Broadcast(aBatch, bBatch);
        Count = Shapes.Size(Shape);
        A = new int[Count];
        B = new int[Count];
        var sa = Shapes.BroadcastStrides(aBatch, Shape);
        var sb = Shapes.BroadcastStrides(bBatch, Shape);
        int rank = Shape.Length;
        var idx = new int[rank];
        int ia = 0, ib = 0;
        for (int i = 0; i < Count; i++)
        {
            A[i] = ia;
            B[i] = ib;
            // Odometer increment of the multi-index, moving both offsets by their (possibly zero) strides.
            for (int d = rank - 1; d >= 0; d--)
            {
                idx[d]++;
                ia += sa[d];
                ib += sb[d];
                if (idx[d] < Shape[d]) break;
                ia -= sa[d] * Shape[d];
                ib -= sb[d] * Shape[d];
                idx[d] = 0;
            }
        }
    }
}
