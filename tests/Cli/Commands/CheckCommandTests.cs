namespace Ppl.Cli.Tests.Commands;

/// <summary><c>ppl check</c> end to end, on the examples and on broken files written to a temp folder.</summary>
public sealed class CheckCommandTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("ppl-check-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    static string Root() => Cli.Root();

    static (int Exit, string Out, string Err) Run(params string[] args) => Cli.Run(["check", .. args]);

    [Fact]
    public void Check_EightSchools_ExitsZeroWithSummary()
    {
        var (exit, stdout, stderr) = Run(Path.Combine(Root(), "examples", "eight_schools", "eight_schools.ppl"));
        Assert.Equal(Program.Ok, exit);
        Assert.Contains("model EightSchools: 3 latent, 1 observed", stdout);
        Assert.Empty(stderr);
    }

    [Fact]
    public void Check_TwoErrors_ExitsOneWithBothInSourceOrder()
    {
        string path = Path.Combine(dir, "bad.ppl");
        File.WriteAllText(path, "model M {\n  y ~ Normal(muu, 1)\n  z ~ Bernouli(0.5)\n}\n");
        var (exit, stdout, stderr) = Run(path);
        Assert.Equal(Program.UserError, exit);
        Assert.Empty(stdout);
        var headers = stderr.Split('\n').Where(l => l.StartsWith(path, StringComparison.Ordinal)).ToList();
        Assert.Equal([$"{path}:2:14: error PPL2001: unknown name 'muu'", $"{path}:3:7: error PPL2004: unknown distribution 'Bernouli'"], headers);
        Assert.Contains("help: did you mean 'Bernoulli'?", stderr);
        Assert.EndsWith("2 errors\n", stderr.Replace("\r\n", "\n"));
        Assert.DoesNotContain("   at ", stderr);
    }

    [Fact]
    public void Check_MissingFile_ExitsOneWithoutStackTrace()
    {
        var (exit, _, stderr) = Run(Path.Combine(dir, "nope.ppl"));
        Assert.Equal(Program.UserError, exit);
        Assert.Contains("no such file", stderr);
    }

    [Fact]
    public void Check_NoFile_IsAUsageError() => Assert.Equal(Program.Usage, Run().Exit);

    [Fact]
    public void Check_UnknownOption_IsAUsageError()
    {
        var (exit, _, stderr) = Run("x.ppl", "--bogus");
        Assert.Equal(Program.Usage, exit);
        Assert.Contains("'--bogus'", stderr);
    }
}
