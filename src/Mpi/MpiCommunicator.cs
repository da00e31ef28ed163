using System.Runtime.CompilerServices;
using Ppl.Inference.Distributed;

namespace Ppl.Mpi;

/// <summary>
/// The processes started by <c>mpiexec</c>, over MPI_COMM_WORLD (MPI.NET on an MPICH-ABI library, see
/// <see cref="MpichLibrary"/>). Sums use MPI_Allreduce in place. Every rank gets the same bits: MPICH computes each
/// element's sum once and copies it (reduce-scatter then allgather, and the ring for long vectors) or combines the
/// same two partial sums on both partners (recursive doubling, where a + b = b + a holds exactly in IEEE arithmetic),
/// and picks the algorithm from the message size and the number of processes alone, so the order is also the same
/// from one step to the next. <see cref="DataParallel"/>'s parameter hash checks this at run time instead of
/// trusting it.
/// </summary>
public sealed class MpiCommunicator : ICommunicator
{
    // MPI_IN_PLACE is ((void*)-1) in MPICH's mpi.h and in MS-MPI's, the ABI MPI.NET is bound to.
    static readonly IntPtr InPlace = new(-1);
    readonly MPI.Environment environment;
    bool disposed;

    MpiCommunicator(MPI.Environment environment)
    {
        this.environment = environment;
        Rank = MPI.Communicator.world.Rank;
        Size = MPI.Communicator.world.Size;
    }

    /// <summary>Initialises MPI (once per process) and joins MPI_COMM_WORLD.</summary>
    /// <exception cref="MpiUnavailableException">no MPICH-ABI library is installed, or MPI_Init failed</exception>
    public static MpiCommunicator Start()
    {
        MpichLibrary.Install();
        MpiCommunicator world;
        try { world = Join(); }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or TypeInitializationException)
        {
            throw new MpiUnavailableException($"MPI could not start: {e.Message}", e);
        }
        // Started by another MPI's launcher (Open MPI's mpirun), MPICH finds no peers and every process would fit alone.
        if (LauncherSize() is { } expected && expected != world.Size)
        {
            world.Dispose();
            throw new MpiUnavailableException(
                $"the launcher started {expected} processes but MPI sees {world.Size}: launch with MPICH's mpiexec (mpiexec.mpich), not another MPI's");
        }
        world.Peers = MpiPeer.Exchange(world);
        return world;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    static MpiCommunicator Join()
    {
        string[] args = [];
        return new MpiCommunicator(new MPI.Environment(ref args));
    }

    /// <summary>
    /// The number of processes the launcher says it started, or null when none says: MPICH's Hydra (and Slurm's PMI)
    /// set PMI_SIZE, Open MPI sets OMPI_COMM_WORLD_SIZE.
    /// </summary>
    public static int? LauncherSize() =>
        new[] { "PMI_SIZE", "OMPI_COMM_WORLD_SIZE" }
            .Select(v => int.TryParse(Environment.GetEnvironmentVariable(v), out int n) ? n : (int?)null)
            .FirstOrDefault(n => n is not null);

    /// <inheritdoc/>
    public int Rank { get; }

    /// <inheritdoc/>
    public int Size { get; }

    /// <summary>Every process of the job (pid and host by rank), learnt when it started, so a failure can be named.</summary>
    public IReadOnlyList<MpiPeer> Peers { get; private set; } = [];

    /// <inheritdoc/>
    public unsafe void AllReduceSum(Span<float> values)
    {
        fixed (float* p = values)
            Check(MPI.Unsafe.MPI_Allreduce(InPlace, (IntPtr)p, values.Length, MPI.Unsafe.MPI_FLOAT, MPI.Unsafe.MPI_SUM, MPI.Unsafe.MPI_COMM_WORLD));
    }

    /// <inheritdoc/>
    public unsafe void AllReduceSum(Span<double> values)
    {
        fixed (double* p = values)
            Check(MPI.Unsafe.MPI_Allreduce(InPlace, (IntPtr)p, values.Length, MPI.Unsafe.MPI_DOUBLE, MPI.Unsafe.MPI_SUM, MPI.Unsafe.MPI_COMM_WORLD));
    }

    /// <summary>
    /// Ends every process of the job with <paramref name="exitCode"/>: for an error only this rank saw, which would
    /// otherwise leave the others waiting in their next all-reduce.
    /// </summary>
    public void Abort(int exitCode) => MPI.Unsafe.MPI_Abort(MPI.Unsafe.MPI_COMM_WORLD, exitCode);

    static void Check(int code)
    {
        if (code != 0) throw new InvalidOperationException($"MPI_Allreduce failed with MPI error code {code}");
    }

    /// <summary>MPI_Finalize.</summary>
    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        environment.Dispose();
    }
}
