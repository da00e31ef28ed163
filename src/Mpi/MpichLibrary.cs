using System.Runtime.InteropServices;

namespace Ppl.Mpi;

/// <summary>
/// Points MPI.NET at an MPICH-ABI library. MPI.NET 1.4.0 imports Microsoft's <c>msmpi</c>; MS-MPI is a derivative of
/// MPICH and keeps its ABI (integer handles, the same constants), as do MPICH itself, Intel MPI and Cray MPICH, which
/// all ship <c>libmpi.so.12</c> or <c>libmpich.so.12</c> under the MPICH ABI compatibility initiative. So resolving
/// <c>msmpi</c> to one of those makes MPI.NET work on Linux. Open MPI has another ABI and is not supported.
/// </summary>
static class MpichLibrary
{
    /// <summary>Environment variable that names the library to load instead of the defaults.</summary>
    public const string OverrideVariable = "PPL_MPI_LIBRARY";

    static readonly string[] Defaults = ["libmpich.so.12", "libmpi.so.12"];
    static IntPtr handle;
    static readonly Lock gate = new();

    /// <summary>Loads the library and installs the resolver on MPI.NET's assembly (once per process).</summary>
    /// <exception cref="MpiUnavailableException">no MPICH-ABI library could be loaded</exception>
    public static void Install()
    {
        lock (gate)
        {
            if (handle != IntPtr.Zero) return;
            KeepSegvForTheRuntime();
            var candidates = Environment.GetEnvironmentVariable(OverrideVariable) is { Length: > 0 } chosen ? [chosen] : Defaults;
            foreach (var name in candidates)
                if (NativeLibrary.TryLoad(name, out handle)) break;
            if (handle == IntPtr.Zero)
                throw new MpiUnavailableException(
                    $"--distributed needs an MPICH-ABI MPI library and none was found (tried {string.Join(", ", candidates)}); " +
                    $"install MPICH (Debian/Ubuntu: apt-get install mpich) or set {OverrideVariable} to the library's path");
            NativeLibrary.SetDllImportResolver(typeof(MPI.Communicator).Assembly,
                (name, _, _) => name.Contains("mpi", StringComparison.OrdinalIgnoreCase) ? handle : IntPtr.Zero);
        }
    }

    /// <summary>
    /// MPICH's UCX transport installs its own SIGSEGV handler when its library loads, and that handler ends the process.
    /// .NET turns a null dereference in managed code into a NullReferenceException through SIGSEGV, so with UCX's handler
    /// any such exception, even one caught, killed a rank ("Caught signal 11" from both ranks). An empty
    /// <c>UCX_ERROR_SIGNALS</c> keeps UCX's hands off the signals; it must be in the native environment before the library
    /// loads (UCX reads it in its constructor), hence <c>setenv</c> and not <see cref="Environment.SetEnvironmentVariable(string, string)"/>,
    /// which changes only .NET's copy. A value the user set is kept.
    /// </summary>
    static void KeepSegvForTheRuntime()
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS()) return;
        setenv("UCX_ERROR_SIGNALS", "", 0);
    }

    [DllImport("libc", SetLastError = true)]
    static extern int setenv(string name, string value, int overwrite);
}
