using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using Ppl.Cli.Commands;

namespace Ppl.Cli;

/// <summary>
/// The command tree of <c>ppl</c> (docs/language.md §3): one subcommand per file under <c>Commands/</c>, each declaring
/// its own options. System.CommandLine gives <c>--help</c> on every command, typo suggestions, response files
/// (<c>ppl fit @args.rsp</c>), <c>--version</c> and the <c>[suggest]</c> directive that shell completion calls
/// (<see cref="CompletionCommand"/>); this class adds an examples section to each command's help.
/// </summary>
public static class PplCommand
{
    /// <summary>Builds a fresh tree (one per run: parse results refer to it).</summary>
    public static RootCommand Create()
    {
        var root = new RootCommand("ppl: probabilistic programs fitted by variational inference")
        {
            CheckCommand.Definition(),
            CompileCommand.Definition(),
            FitCommand.Definition(),
            SampleCommand.Definition(),
            EvalCommand.Definition(),
            BenchCommand.Definition(),
            CompletionCommand.Definition(),
        };
        foreach (var option in root.Options)
            if (option is HelpOption { Action: HelpAction help })
                option.Action = new HelpWithExamples(help);
        return root;
    }

    /// <summary>A command with a description and the examples its help shows.</summary>
    public static Command Command(string name, string description, params string[] examples)
    {
        var c = new Command(name, description);
        Examples.AddOrUpdate(c, examples);
        return c;
    }

    static readonly System.Runtime.CompilerServices.ConditionalWeakTable<Command, string[]> Examples = new();

    /// <summary>The library's help, then the command's examples (its help builder is internal, so this wraps its action).</summary>
    sealed class HelpWithExamples(HelpAction help) : SynchronousCommandLineAction
    {
        public override int Invoke(ParseResult parseResult)
        {
            int code = help.Invoke(parseResult);
            if (Examples.TryGetValue(parseResult.CommandResult.Command, out var examples) && examples.Length > 0)
            {
                var w = parseResult.InvocationConfiguration.Output;
                w.WriteLine("Examples:");
                foreach (var e in examples) w.WriteLine($"  {e}");
                w.WriteLine();
            }
            return code;
        }
    }
}
