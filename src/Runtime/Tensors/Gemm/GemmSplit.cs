namespace Ppl.Runtime.Tensors;

/// <summary>How a product's work is cut between threads.</summary>
internal enum GemmSplit
{
    /// <summary>Each part owns a band of MR-row tiles of every batch item's C (and packs all of B).</summary>
    Rows,
    /// <summary>Each part owns a band of NR-column tiles of every batch item's C (and packs all of A).</summary>
    Columns,
    /// <summary>Each part owns whole batch items.</summary>
    Batch,
}
