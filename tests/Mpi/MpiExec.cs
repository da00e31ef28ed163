using System.Diagnostics;
using Xunit.Abstractions;

namespace Ppl.Mpi.Tests;

/// <summary>
/// Runs programs under MPICH's <c>mpiexec.mpich</c> (as root it needs no extra flags). Skips the calling test with a
/// reason when MPICH is not installed, except under CI (CI=true), where .ci/run installs it and a missing mpiexec fails.
/// </summary>
public static class MpiExec
{
    /// <summary>The exit code and both streams of a finished launch.</summary>
    public sealed record Outcome(int Code, string Out, string Err)
    {
        /// <summary>Both streams, for messages that may land on either (Hydra's go to stdout).</summary>
        public string All => Out + Err;
    }

    static string? OnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);

    /// <summary>The path of mpiexec.mpich; skips (or, under CI, fails) the test when there is none.</summary>
    public static string Locate()
    {
        var path = OnPath("mpiexec.mpich");
        if (path is null && Environment.GetEnvironmentVariable("CI") == "true")
            Assert.Fail("mpiexec.mpich is missing under CI; .ci/run installs the mpich package");
        Skip.If(path is null, "mpiexec.mpich not found: install MPICH (apt-get install mpich libmpich-dev) to run the multi-process tests");
        return path!;
    }

    /// <summary>A program of the test's output folder (a .dll started with dotnet).</summary>
    public static string[] Dotnet(string dll) => ["dotnet", Path.Combine(AppContext.BaseDirectory, dll)];

    /// <summary>
    /// Runs <paramref name="program"/> with <paramref name="args"/> (no mpiexec when <paramref name="mpiexec"/> is
    /// null, else after <c>mpiexec.mpich</c> and those arguments), with extra environment variables, in at most 3 minutes.
    /// </summary>
    public static Outcome Run(ITestOutputHelper output, string[]? mpiexec, IEnumerable<string> program,
        IReadOnlyDictionary<string, string>? environment = null, string? workingDirectory = null)
    {
        var all = (mpiexec is null ? [] : new[] { Locate() }.Concat(mpiexec)).Concat(program).ToArray();
        var start = new ProcessStartInfo(all[0]) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in all.Skip(1)) start.ArgumentList.Add(a);
        foreach (var (k, v) in environment ?? new Dictionary<string, string>()) start.Environment[k] = v;
        if (workingDirectory is not null) start.WorkingDirectory = workingDirectory;
        output.WriteLine("$ " + string.Join(' ', all));
        using var p = Process.Start(start)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromMinutes(3)))
        {
            p.Kill(entireProcessTree: true);
            Assert.Fail($"{all[0]} did not finish in 3 minutes");
        }
        output.WriteLine(stdout.Result);
        output.WriteLine(stderr.Result);
        return new Outcome(p.ExitCode, stdout.Result, stderr.Result);
    }
}
