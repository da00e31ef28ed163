using Ppl.Inference.Distributed;

namespace Ppl.Mpi;

/// <summary>One process of the job as the others know it: its rank, its process id and the host it runs on.</summary>
/// <param name="Rank">Its rank in MPI_COMM_WORLD.</param>
/// <param name="Pid">Its operating-system process id.</param>
/// <param name="Host">The name of its machine (<see cref="Environment.MachineName"/>).</param>
public sealed record MpiPeer(int Rank, int Pid, string Host)
{
    /// <summary>Host names are cut to this many characters in the exchange.</summary>
    public const int HostChars = 64;

    /// <summary>"rank 1 (pid 4242 on node02)", the way messages name a process.</summary>
    public override string ToString() => $"rank {Rank} (pid {Pid} on {Host})";

    /// <summary>
    /// Every process's <see cref="MpiPeer"/>, in rank order, learnt by one all-reduce: each process writes its pid and
    /// host name (UTF-16 code units, each exact in a double) into its own slots of an otherwise zero vector, so the sum
    /// is everyone's. A collective: every process must call it.
    /// </summary>
    public static MpiPeer[] Exchange(ICommunicator world)
    {
        const int width = 1 + HostChars;
        var slots = new double[world.Size * width];
        var me = slots.AsSpan(world.Rank * width, width);
        me[0] = Environment.ProcessId;
        string host = Environment.MachineName;
        for (int i = 0; i < Math.Min(host.Length, HostChars); i++) me[1 + i] = host[i];
        world.AllReduceSum(slots);
        var peers = new MpiPeer[world.Size];
        for (int r = 0; r < world.Size; r++)
        {
            var s = slots.AsSpan(r * width, width);
            var name = new char[HostChars];
            int n = 0;
            while (n < HostChars && s[1 + n] != 0) { name[n] = (char)s[1 + n]; n++; }
            peers[r] = new MpiPeer(r, (int)s[0], new string(name, 0, n));
        }
        return peers;
    }
}
