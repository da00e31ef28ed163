using Ppl.Inference.Distributed;
using Ppl.Inference.Tests.Distributed;
using Ppl.Runtime.Params;
using Xunit.Abstractions;

namespace Ppl.Mpi.Tests;

/// <summary>
/// Real MPI: the test host fitted under <c>mpiexec.mpich -n 2</c> (MPICH runs as root without flags). Skipped with a
/// reason when MPICH is not installed, except under CI (CI=true), where .ci/run installs it and a missing mpiexec fails.
/// </summary>
public class MpiCommunicatorTests(ITestOutputHelper output)
{
    const int Steps = 100;
    const ulong Seed = 7;

    (int Code, string Out, string Err) Launch(int processes, params string[] args)
    {
        var r = MpiExec.Run(output, ["-n", processes.ToString()], MpiExec.Dotnet("Ppl.Mpi.TestHost.dll").Concat(args));
        return (r.Code, r.Out, r.Err);
    }

    [SkippableFact]
    public void Fit_TwoProcesses_MatchesOneProcessOnTheSameSeedAndGlobalBatch()
    {
        var file = Path.Combine(Path.GetTempPath(), $"ppl-mpi-{Guid.NewGuid():N}.bin");
        try
        {
            var (code, stdout, stderr) = Launch(2, file, Steps.ToString(), Seed.ToString());
            Assert.True(code == 0, $"exit {code}: {stderr}");
            var hashes = stdout.Split('\n').Where(l => l.StartsWith("rank ")).Select(l => l.Substring(l.IndexOf("hash ") + 5, 16)).ToArray();
            Assert.Equal(2, hashes.Length);
            Assert.Equal(hashes[0], hashes[1]);   // both ranks hold the same bits

            var two = ParamStoreFile.Read(file).SelectMany(p => p.Unconstrained.Span.ToArray()).ToArray();
            var one = ShardedRegressionFit.Run(new SingleProcessCommunicator(), Steps, Seed).Entries.SelectMany(e => e.Unconstrained.Value.Span.ToArray()).ToArray();
            Assert.Equal(one.Length, two.Length);
            float worst = one.Zip(two, (a, b) => Math.Abs(a - b)).Max();
            output.WriteLine($"largest difference from the one-process fit: {worst} ({(worst == 0 ? "bit for bit" : "summation order")})");
            // The tolerance of DataParallelTests.Fit_TwoRanks_MatchesOneProcessOnTheSameGlobalMinibatches, for the same reason:
            // the halves of each minibatch are summed separately, then added.
            Assert.True(worst <= 1e-4f, $"largest difference {worst}");
        }
        finally { File.Delete(file); }
    }

    [SkippableFact]
    public void Fit_TwoProcessesOneCorrupted_EveryRankStopsNamingIt()
    {
        var file = Path.Combine(Path.GetTempPath(), $"ppl-mpi-{Guid.NewGuid():N}.bin");
        var (code, _, stderr) = Launch(2, file, "50", Seed.ToString(), "1");
        Assert.NotEqual(0, code);
        Assert.Contains("rank 0: error: the parameters of rank 1 differ from rank 0's at step 10", stderr);
        Assert.Contains("rank 1: error: the parameters of rank 1 differ from rank 0's at step 10", stderr);
        Assert.False(File.Exists(file));
    }

    [Fact]
    public void Start_LibraryMissing_SaysWhatToInstall()
    {
        var saved = Environment.GetEnvironmentVariable(MpichLibrary.OverrideVariable);
        Environment.SetEnvironmentVariable(MpichLibrary.OverrideVariable, "/nonexistent/libmpich.so.12");
        try
        {
            var e = Assert.Throws<MpiUnavailableException>(MpiCommunicator.Start);
            Assert.Contains("install MPICH (Debian/Ubuntu: apt-get install mpich)", e.Message);
        }
        finally { Environment.SetEnvironmentVariable(MpichLibrary.OverrideVariable, saved); }
    }
}
