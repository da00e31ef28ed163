using Ppl.Cli.Commands;

namespace Ppl.Cli.Tests.Commands;

public class BenchCommandTests
{
    [Fact]
    public void Run_UnknownName_IsAUsageError()
    {
        var (exit, _, stderr) = Cli.Run("bench", "no-such-benchmark");
        Assert.Equal(Program.Usage, exit);
        Assert.Contains("no-such-benchmark", stderr);
    }

    [Fact]
    public void Run_UnknownOption_IsAUsageError() =>
        Assert.Equal(Program.Usage, Cli.Run("bench", "--fast").Exit);

    [Fact]
    public void Run_NegativeWarmup_IsAUsageError() =>
        Assert.Equal(Program.Usage, Cli.Run("bench", "gemm-1024", "--warmup", "-1").Exit);

    [Fact]
    public void Names_CoverTheIssueBenchmarks()
    {
        foreach (var name in new[] { "gemm-128x784x400", "gemm-400x128x784", "gemm-1024", "vae-step", "score-variance", "grad-variance-score", "svi-eight-schools" })
            Assert.Contains(name, BenchCommand.Names);
    }
}
