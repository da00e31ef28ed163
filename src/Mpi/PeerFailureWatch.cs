using System.Runtime.InteropServices;

namespace Ppl.Mpi;

/// <summary>
/// Tells the surviving processes of a job that one of them died, naming it. MPICH's ch4 device has no usable fault
/// tolerance (with MPI_ERRORS_RETURN a dead peer may leave MPI_Allreduce waiting forever on shared memory, and the
/// ULFM calls MPIX_Comm_failure_ack/get_acked abort with an internal assertion in MPICH 4.0), so the notice comes from
/// the launcher: Hydra started with <c>-disable-auto-cleanup</c> does not kill the survivors but sends each of them
/// SIGUSR1 once a process of the job has ended. Without that flag Hydra kills every process with SIGKILL at once and
/// prints the dead one's pid and host itself (<c>BAD TERMINATION ... PID p RUNNING AT h</c>); this watch then never
/// fires. The dead process is found among the <see cref="MpiPeer"/>s on this host by its pid (gone from /proc, or a
/// zombie); one on another host cannot be seen from here, and the message says so.
/// </summary>
public sealed class PeerFailureWatch : IDisposable
{
    /// <summary>SIGUSR1 on Linux, the signal Hydra's proxy sends to the survivors of a failed process.</summary>
    const int SigUsr1 = 10;
    readonly PosixSignalRegistration? registration;

    /// <summary>
    /// Calls <paramref name="onFailure"/> (on a thread-pool thread, while the main thread may be blocked in MPI) with
    /// a sentence naming the dead process when the launcher reports one; does nothing on systems without POSIX signals.
    /// </summary>
    public PeerFailureWatch(IReadOnlyList<MpiPeer> peers, int self, Action<string> onFailure)
    {
        if (!OperatingSystem.IsLinux()) return;
        registration = PosixSignalRegistration.Create((PosixSignal)SigUsr1, context =>
        {
            context.Cancel = true;
            onFailure(Describe(peers, self, Alive));
        });
    }

    /// <summary>
    /// The sentence for a failure: the dead processes on this host, or, when none here has ended, the processes on
    /// other hosts one of which must have. <paramref name="alive"/> tells whether a pid on this host still runs.
    /// </summary>
    public static string Describe(IReadOnlyList<MpiPeer> peers, int self, Func<int, bool> alive)
    {
        string host = peers[self].Host;
        var dead = peers.Where(p => p.Rank != self && p.Host == host && !alive(p.Pid)).ToArray();
        if (dead.Length > 0)
            return $"{string.Join(", ", dead.Select(p => p.ToString()))} ended before the fit did";
        var remote = peers.Where(p => p.Host != host).ToArray();
        return remote.Length > 0
            ? $"the launcher reports that a process ended; it is not on {host}, so it is one of {string.Join(", ", remote.Select(p => p.ToString()))}"
            : "the launcher reports that a process of the job ended";
    }

    /// <summary>Whether process <paramref name="pid"/> of this host runs: /proc/PID exists and is not a zombie.</summary>
    public static bool Alive(int pid)
    {
        try
        {
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            int close = stat.LastIndexOf(')');
            return close < 0 || close + 2 >= stat.Length || stat[close + 2] is not ('Z' or 'X');
        }
        catch (IOException) { return false; }
        catch (UnauthorizedAccessException) { return true; }
    }

    /// <summary>Stops listening.</summary>
    public void Dispose() => registration?.Dispose();
}
