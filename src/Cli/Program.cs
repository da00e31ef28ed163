using System.CommandLine;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;
using Ppl.Language.Diagnostics;
using Ppl.Runtime.Data;

namespace Ppl.Cli;

/// <summary>
/// The <c>ppl</c> executable: parses the command line with System.CommandLine (<see cref="PplCommand"/>), runs one
/// command from <c>Commands/</c>, and turns every failure into an exit code and a message, never a stack trace.
/// </summary>
public static class Program
{
    /// <summary>Exit codes shared by every command (see docs/language.md §3).</summary>
    public const int Ok = 0, UserError = 1, Usage = 2, InternalError = 70;

    /// <summary>Entry point.</summary>
    public static int Main(string[] args)
    {
        PhaseTimes.Start();
        int code = Run(args, Console.Out, Console.Error);
        Output.PlotFiles.Settle();
        PhaseTimes.Report(Console.Error);
        return code;
    }

    /// <summary>Runs one command line writing to the given streams (tests capture them); returns the exit code.</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var root = PplCommand.Create();
        var parsed = root.Parse(args);
        PhaseTimes.Mark("command line");
        string name = CommandName(parsed);
        var config = new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false };
        if (args.Length == 0)
        {
            root.Parse(["--help"]).Invoke(config);
            return Usage;
        }
        if (parsed.Action is ParseErrorAction)
        {
            ReportParseErrors(parsed, name, stderr);
            return Usage;
        }
        try
        {
            return parsed.Invoke(config);
        }
        catch (UsageException e)
        {
            stderr.WriteLine($"{name}: {e.Message}");
            stderr.WriteLine($"run '{name} --help' for usage");
            return Usage;
        }
        catch (Exception e) when (e is OutputException or DataFileException or DataException or UserException)
        {
            stderr.WriteLine($"{name}: error: {e.Message}");
            return UserError;
        }
        catch (Exception e)
        {
            stderr.WriteLine($"{name}: internal error: {e.GetType().Name}: {e.Message}");
            stderr.WriteLine("this is a bug in ppl; set PPL_TRACE=1 to print the stack trace");
            if (Environment.GetEnvironmentVariable("PPL_TRACE") == "1") stderr.WriteLine(e);
            return InternalError;
        }
    }

    /// <summary>
    /// Every parse error on stderr, a misspelt option with the closest real one. Written here rather than by the
    /// library's error action, which prints suggestions to stdout and offers every short option for a stray value.
    /// </summary>
    static void ReportParseErrors(ParseResult parsed, string name, TextWriter stderr)
    {
        var command = parsed.CommandResult.Command;
        var names = command.Options.Concat(parsed.RootCommandResult.Command.Options.Where(o => o.Recursive))
            .SelectMany(o => o.Aliases.Prepend(o.Name)).Concat(command.Subcommands.Select(c => c.Name)).ToArray();
        foreach (var error in parsed.Errors)
        {
            string hint = "";
            var token = parsed.UnmatchedTokens.FirstOrDefault(t => error.Message.Contains($"'{t}'", StringComparison.Ordinal));
            if (token is not null && Suggestions.Closest(token, names) is { } near) hint = $" (did you mean '{near}'?)";
            stderr.WriteLine($"{name}: {error.Message}{hint}");
        }
        stderr.WriteLine($"run '{name} --help' for usage");
    }

    static string CommandName(ParseResult parsed) =>
        parsed.CommandResult.Command is RootCommand ? "ppl" : $"ppl {parsed.CommandResult.Command.Name}";
}
