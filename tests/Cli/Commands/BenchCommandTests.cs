using Ppl.Cli.Commands;

namespace Ppl.Cli.Tests.Commands;

public class BenchCommandTests
{
    [Fact]
    public void Run_UnknownName_IsAUsageError()
    {
        var e = Assert.Throws<UsageException>(() => BenchCommand.Run(new CommandLine("bench", ["no-such-benchmark"])));
        Assert.Contains("no-such-benchmark", e.Message);
    }

    [Fact]
    public void Run_UnknownOption_IsAUsageError() =>
        Assert.Throws<UsageException>(() => BenchCommand.Run(new CommandLine("bench", ["--fast"])));

    [Fact]
    public void Run_NegativeWarmup_IsAUsageError() =>
        Assert.Throws<UsageException>(() => BenchCommand.Run(new CommandLine("bench", ["gemm-1024", "--warmup", "-1"])));

    [Fact]
    public void Names_CoverTheIssueBenchmarks()
    {
        foreach (var name in new[] { "gemm-128x784x400", "gemm-400x128x784", "gemm-1024", "vae-step", "score-variance", "grad-variance-score", "svi-eight-schools" })
            Assert.Contains(name, BenchCommand.Names);
    }
}
