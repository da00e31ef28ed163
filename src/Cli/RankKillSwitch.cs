using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Ppl.Cli;

/// <summary>
/// A test hook for the failure of one process of a distributed fit: with <c>PPL_TEST_KILL_RANK=r</c> and
/// <c>PPL_TEST_KILL_AT_STEP=s</c> in the environment, rank r ends right after step s with no clean-up and no message:
/// by SIGKILL, as the kernel's out-of-memory killer or a lost node would end it, or, with
/// <c>PPL_TEST_KILL_MODE=exit</c>, by <c>_exit(3)</c>, as a crash of the runtime would. Unset, it does nothing.
/// </summary>
public static partial class RankKillSwitch
{
    static readonly (int Rank, int Step, bool Exit)? armed =
        int.TryParse(Environment.GetEnvironmentVariable("PPL_TEST_KILL_RANK"), out int r)
        && int.TryParse(Environment.GetEnvironmentVariable("PPL_TEST_KILL_AT_STEP"), out int s)
            ? (r, s, Environment.GetEnvironmentVariable("PPL_TEST_KILL_MODE") == "exit") : null;

    /// <summary>Ends this process if it is the armed rank and <paramref name="step"/> the armed step.</summary>
    public static void AfterStep(int rank, int step)
    {
        if (armed is not { } a || a.Rank != rank || a.Step != step) return;
        if (a.Exit) ExitNow(3);
        Process.GetCurrentProcess().Kill();
    }

    // libc's _exit: no finalizers, no MPI_Finalize, no flush — the process is simply gone.
    [LibraryImport("libc", EntryPoint = "_exit")]
    private static partial void ExitNow(int status);
}
