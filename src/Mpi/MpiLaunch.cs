using Ppl.Inference.Distributed;

namespace Ppl.Mpi;

/// <summary>How <c>ppl fit</c> decides between one process and a data-parallel fit over MPI.</summary>
public static class MpiLaunch
{
    /// <summary>
    /// Null for a fit in one process: <paramref name="requested"/> (<c>--distributed</c>) is false and no launcher says it
    /// started several processes (<see cref="MpiCommunicator.LauncherSize"/>; so <c>mpiexec -n 4 ppl fit ...</c> without
    /// the flag does not run four separate fits that overwrite each other's outputs). Otherwise MPI is loaded and joined.
    /// </summary>
    /// <exception cref="MpiUnavailableException">MPI is wanted but cannot be used; the message says why</exception>
    public static DataParallel? Join(bool requested, int checkEvery = 100) =>
        requested || MpiCommunicator.LauncherSize() > 1 ? new DataParallel(MpiCommunicator.Start(), checkEvery) : null;
}
