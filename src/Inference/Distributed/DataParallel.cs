using Ppl.Runtime.Params;
using Ppl.Runtime.Sites;

namespace Ppl.Inference.Distributed;

/// <summary>
/// Data-parallel SVI, the way Horovod runs data-parallel SGD (Sergeev &amp; Del Balso 2018, arXiv:1802.05799): every
/// process runs the same guide and model on its slice of the same global minibatch (<see cref="DataShard"/>); after the
/// backward pass the gradients and the ELBO estimates are averaged over the processes, so every process takes the same
/// optimizer step from the same parameters. Each process's estimate scales its slice as if it were the whole minibatch
/// (<see cref="PlateFrame.Scale"/>), so it is itself an unbiased ELBO estimate and the average over K processes is
/// <para>ELBO = Σ_global (log p − log q) + (N / M) Σ_{i in the global minibatch} (log p_i − log q_i),</para>
/// the one-process estimate on the same minibatch. Averaging (rather than summing with the global scale) keeps the
/// non-plate terms — global latents' prior and entropy, and the score-function terms that multiply them — counted
/// once without a per-site rule.
/// </summary>
public sealed class DataParallel : IDisposable
{
    readonly ICommunicator communicator;
    float[] flat = [];
    bool compared;

    /// <summary>A fit over <paramref name="communicator"/>'s processes that compares the parameters every <paramref name="checkEvery"/> steps.</summary>
    public DataParallel(ICommunicator communicator, int checkEvery = 100)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(checkEvery);
        this.communicator = communicator;
        CheckEvery = checkEvery;
        Shard = new DataShard(communicator.Rank, communicator.Size);
    }

    /// <summary>The processes.</summary>
    public ICommunicator Communicator => communicator;

    /// <summary>This process's part of every subsampled plate.</summary>
    public DataShard Shard { get; }

    /// <summary>Steps between parameter comparisons (also done at the first step run, which catches a different initialisation or resumed state).</summary>
    public int CheckEvery { get; }

    /// <summary>Whether this process writes the outputs (rank 0).</summary>
    public bool IsRoot => communicator.Rank == 0;

    /// <summary>
    /// Called after the backward pass of step <paramref name="step"/> (1-based), before anything reads the gradients:
    /// compares the parameters across processes when due, replaces every gradient by its average over the processes
    /// and returns the average of <paramref name="elbo"/>. A non-finite gradient on one process becomes non-finite on
    /// all, so they all skip the step together.
    /// </summary>
    /// <exception cref="ParametersDivergedException">the parameters differ between processes</exception>
    public double AfterBackward(ParamStore store, int step, double elbo)
    {
        if (!compared || step % CheckEvery == 0) CheckIdentical(store, step);
        compared = true;
        Span<double> total = [elbo];
        communicator.AllReduceSum(total);
        int k = communicator.Size;
        if (k == 1) return total[0];
        int n = 0;
        foreach (var p in store.Leaves) n += p.Grad!.Size;
        if (flat.Length != n) flat = new float[n];
        int at = 0;
        foreach (var p in store.Leaves)
        {
            p.Grad!.Span.CopyTo(flat.AsSpan(at));
            at += p.Grad.Size;
        }
        communicator.AllReduceSum(flat);
        // Multiplying by 1/K is exact when K is a power of two; otherwise within half an ulp of the division.
        float inv = 1f / k;
        at = 0;
        foreach (var p in store.Leaves)
        {
            var g = p.Grad!.Span;
            var sum = flat.AsSpan(at, g.Length);
            for (int i = 0; i < g.Length; i++) g[i] = sum[i] * inv;
            at += g.Length;
        }
        return total[0] / k;
    }

    /// <summary>Leaves the process group (MPI_Finalize for MPI).</summary>
    public void Dispose() => communicator.Dispose();

    /// <summary>
    /// Every process publishes a 64-bit hash of its parameters (names, shapes and value bits) in its own two slots of a
    /// sum (two 32-bit halves, each exact in a double), so every process learns every hash and all stop together on a
    /// mismatch.
    /// </summary>
    void CheckIdentical(ParamStore store, int step)
    {
        int k = communicator.Size;
        var slots = new double[2 * k];
        ulong h = ParameterHash.Of(store);
        slots[2 * communicator.Rank] = h >> 32;
        slots[2 * communicator.Rank + 1] = h & 0xFFFF_FFFFUL;
        communicator.AllReduceSum(slots);
        var differ = Enumerable.Range(1, k - 1).Where(r => slots[2 * r] != slots[0] || slots[2 * r + 1] != slots[1]).ToArray();
        if (differ.Length > 0)
            throw new ParametersDivergedException(
                $"the parameters of rank{(differ.Length > 1 ? "s" : "")} {string.Join(", ", differ)} differ from rank 0's at step {step} (of {k} processes); " +
                "every process must run the same model, guide, data, seed and options");
    }
}
