namespace Ppl.Cli.Tests;

/// <summary>The command line as System.CommandLine parses it: help, typos, response files, exit codes.</summary>
public sealed class ProgramTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("ppl-program-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Theory]
    [InlineData("check")]
    [InlineData("compile")]
    [InlineData("fit")]
    [InlineData("sample")]
    [InlineData("eval")]
    [InlineData("bench")]
    public void Help_EveryCommand_ExitsZeroWithUsageAndExamples(string command)
    {
        var (exit, stdout, _) = Cli.Run(command, "--help");
        Assert.Equal(Program.Ok, exit);
        Assert.Contains($"ppl {command}", stdout);
        Assert.Contains("Examples:", stdout);
    }

    [Fact]
    public void Help_Fit_ListsEveryOptionOfTheLanguageSpec()
    {
        var (_, stdout, _) = Cli.Run("fit", "--help");
        foreach (var o in new[] { "--data", "--guide", "--steps", "--lr", "--particles", "--seed", "--draws", "--out", "--estimator", "--tol", "--resume", "--distributed", "--checkpoint-every", "--quiet", "--model" })
            Assert.Contains(o, stdout);
    }

    [Fact]
    public void NoArguments_PrintsTheCommandsAndExitsTwo()
    {
        var (exit, stdout, _) = Cli.Run();
        Assert.Equal(Program.Usage, exit);
        Assert.Contains("fit", stdout);
        Assert.Contains("bench", stdout);
    }

    [Fact]
    public void MisspeltOption_IsAUsageErrorSuggestingTheOption()
    {
        var (exit, stdout, stderr) = Cli.Run("fit", "m.ppl", "--stpes", "10");
        Assert.Equal(Program.Usage, exit);
        Assert.Contains("did you mean '--steps'?", stderr);
        Assert.Equal("", stdout);
    }

    [Fact]
    public void MisspeltCommand_SuggestsTheCommand()
    {
        var (exit, _, stderr) = Cli.Run("fti", "m.ppl");
        Assert.Equal(Program.Usage, exit);
        Assert.Contains("did you mean 'fit'?", stderr);
    }

    [Theory]
    [InlineData("--steps", "0")]
    [InlineData("--steps", "ten")]
    [InlineData("--lr", "-0.1")]
    [InlineData("--particles", "0")]
    [InlineData("--draws", "0")]
    [InlineData("--tol", "0")]
    [InlineData("--estimator", "magic")]
    public void Fit_BadOptionValue_IsAUsageErrorNamingIt(string option, string value)
    {
        var (exit, _, stderr) = Cli.Run("fit", "m.ppl", option, value);
        Assert.Equal(Program.Usage, exit);
        Assert.Contains(value, stderr);
    }

    [Fact]
    public void ResponseFile_ArgumentsAreReadFromIt()
    {
        string rsp = Path.Combine(dir, "args.rsp");
        File.WriteAllLines(rsp, ["fit", "m.ppl", "--stpes", "3"]);
        var (exit, _, stderr) = Cli.Run($"@{rsp}");
        Assert.Equal(Program.Usage, exit);
        Assert.Contains("did you mean '--steps'?", stderr);
    }

    [Fact]
    public void Version_PrintsTheAssemblyVersion()
    {
        var (exit, stdout, _) = Cli.Run("--version");
        Assert.Equal(Program.Ok, exit);
        Assert.Matches(@"^\d+\.\d+\.\d+", stdout);
    }
}
