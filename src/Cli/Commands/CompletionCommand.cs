using System.CommandLine;

namespace Ppl.Cli.Commands;

/// <summary>
/// <c>ppl completion bash</c>: prints a bash completion script; <c>eval "$(ppl completion bash)"</c> in
/// <c>~/.bashrc</c> turns it on. The script asks <c>ppl</c> itself through System.CommandLine's <c>[suggest:N]</c>
/// directive (every command, option and option value the parser knows, so it never drifts from the command tree)
/// and falls back to file names where <c>ppl</c> offers nothing (the model and data files).
/// </summary>
public static class CompletionCommand
{
    /// <summary>The shells a script exists for.</summary>
    public static readonly string[] Shells = ["bash"];

    /// <summary>
    /// The bash script. <c>COMP_LINE</c> and <c>COMP_POINT</c> are the line and the cursor as bash has them; the
    /// directive answers every candidate for the word under the cursor, and <c>compgen</c> keeps those that start
    /// with it (the parser also offers names that merely contain it).
    /// </summary>
    public const string BashScript = """
        # ppl completion for bash; enable with: eval "$(ppl completion bash)"
        _ppl_complete() {
          local IFS=$'\n' cur="${COMP_WORDS[COMP_CWORD]}"
          COMPREPLY=($(compgen -W "$("${COMP_WORDS[0]}" "[suggest:${COMP_POINT}]" "${COMP_LINE}" 2>/dev/null)" -- "$cur"))
        }
        complete -o default -F _ppl_complete ppl
        """;

    /// <summary>The command's syntax.</summary>
    public static Command Definition()
    {
        var shell = new Argument<string>("SHELL") { Description = "the shell (bash)" };
        shell.AcceptOnlyFromAmong(Shells);
        var c = PplCommand.Command("completion", "print the shell completion script (add its eval line to ~/.bashrc)",
            "eval \"$(ppl completion bash)\"",
            "ppl completion bash >> ~/.bashrc");
        c.Add(shell);
        c.SetAction(r =>
        {
            r.InvocationConfiguration.Output.WriteLine(BashScript);
            return Program.Ok;
        });
        return c;
    }
}
