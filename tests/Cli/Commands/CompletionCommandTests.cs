using System.Diagnostics;

namespace Ppl.Cli.Tests.Commands;

/// <summary>Shell completion: the <c>[suggest:N]</c> directive the bash script calls, and the script itself run by bash.</summary>
public sealed class CompletionCommandTests
{
    static string[] Suggest(string line)
    {
        var (exit, stdout, stderr) = Cli.Run($"[suggest:{line.Length}]", line);
        Assert.True(exit == Program.Ok, stderr);
        return stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    [Fact]
    public void Suggest_PartialCommand_OffersIt() => Assert.Contains("fit", Suggest("ppl fi"));

    [Fact]
    public void Suggest_PartialOption_OffersIt() => Assert.Equal(new[] { "--guide" }, Suggest("ppl fit --gu"));

    [Fact]
    public void Suggest_GuideValue_OffersTheBuiltInGuides() => Assert.Superset(new HashSet<string>(["normal", "mvn", "lowrank"]), Suggest("ppl fit m.ppl --guide ").ToHashSet());

    [Fact]
    public void Suggest_EstimatorValue_OffersItsChoices() => Assert.Superset(new HashSet<string>(["auto", "enum", "disarm"]), Suggest("ppl fit m.ppl --estimator ").ToHashSet());

    [Fact]
    public void Completion_Bash_PrintsTheScript()
    {
        var (exit, stdout, _) = Cli.Run("completion", "bash");
        Assert.Equal(Program.Ok, exit);
        Assert.Contains("complete -o default -F _ppl_complete ppl", stdout);
    }

    [Fact]
    public void Completion_UnknownShell_IsAUsageError() => Assert.Equal(Program.Usage, Cli.Run("completion", "tcsh").Exit);

    /// <summary>
    /// The script as bash runs it on a TAB: <c>ppl</c> is a function running this build's ppl.dll, and the completion
    /// function is called with the line and cursor bash would give it.
    /// </summary>
    [Theory]
    [InlineData("ppl fi", "fit")]
    [InlineData("ppl fit --gu", "--guide")]
    [InlineData("ppl fit m.ppl --guide mv", "mvn")]
    public void BashScript_Tab_CompletesTheWord(string line, string expected)
    {
        string dll = typeof(Program).Assembly.Location;
        string words = string.Join(" ", line.Split(' ').Select(w => $"'{w}'"));
        string script = $$"""
            {{Ppl.Cli.Commands.CompletionCommand.BashScript}}
            ppl() { dotnet '{{dll}}' "$@"; }
            COMP_LINE='{{line}}'; COMP_POINT={{line.Length}}; COMP_WORDS=({{words}}); COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
            _ppl_complete
            printf '%s\n' "${COMPREPLY[@]}"
            """;
        var start = new ProcessStartInfo("/bin/bash") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        using var bash = Process.Start(start)!;
        bash.StandardInput.Write(script);
        bash.StandardInput.Close();
        string output = bash.StandardOutput.ReadToEnd();
        bash.WaitForExit();
        Assert.Equal(new[] { expected }, output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }
}
