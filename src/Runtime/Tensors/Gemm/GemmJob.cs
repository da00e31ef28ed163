namespace Ppl.Runtime.Tensors;

/// <summary>
/// A (batched) product and its cut into parts. Parts only ever own disjoint tiles of C and each computes
/// its tiles over the full reduction, so the result is the same for any number of parts.
/// </summary>
internal unsafe struct GemmJob
{
    public GemmOperands Operands;
    public int Batch;
    public long StrideA, StrideB, StrideC;
    public GemmKernelKind Kernel;
    public GemmSplit Split;
    public int Parts;

    /// <summary><see cref="RunPart(int)"/> of the job at <paramref name="job"/>, for <see cref="WorkerTeam"/>.</summary>
    public static void RunPartOf(void* job, int part) => ((GemmJob*)job)->RunPart(part);

    /// <summary>The whole job at <paramref name="job"/> as one part (all of C: the same tiles and sums, without re-packing per part).</summary>
    public static void RunWholeOf(void* job, int part)
    {
        var whole = *(GemmJob*)job;
        whole.Parts = 1;
        whole.RunPart(0);
    }

    /// <summary>Runs part <paramref name="part"/> (0 ≤ part &lt; <see cref="Parts"/>) on the calling thread.</summary>
    public readonly void RunPart(int part)
    {
        switch (Kernel)
        {
            case GemmKernelKind.Vector512: RunPart<GemmKernel512>(part); break;
            case GemmKernelKind.Vector256: RunPart<GemmKernel256>(part); break;
            default: RunPart<GemmKernelScalar>(part); break;
        }
    }

    readonly void RunPart<TKernel>(int part) where TKernel : struct, IGemmKernel
    {
        int m = Operands.M, n = Operands.N;
        if (Split == GemmSplit.Batch)
        {
            for (long item = (long)part * Batch / Parts, end = (long)(part + 1) * Batch / Parts; item < end; item++)
                GemmDriver.Run<TKernel>(Operands.Offset(item * StrideA, item * StrideB, item * StrideC), 0, m, 0, n);
            return;
        }
        bool rows = Split == GemmSplit.Rows;
        int unit = rows ? TKernel.MR : TKernel.NR, extent = rows ? m : n;
        int tiles = (extent + unit - 1) / unit;
        int lo = (int)((long)part * tiles / Parts) * unit, hi = Math.Min(extent, (int)((long)(part + 1) * tiles / Parts) * unit);
        if (lo >= hi) return;
        for (long item = 0; item < Batch; item++)
        {
            var g = Operands.Offset(item * StrideA, item * StrideB, item * StrideC);
            if (rows) GemmDriver.Run<TKernel>(g, lo, hi, 0, n);
            else GemmDriver.Run<TKernel>(g, 0, m, lo, hi);
        }
    }
}
