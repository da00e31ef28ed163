using Ppl.Cli.Commands;

namespace Ppl.Cli;

/// <summary>The <c>ppl</c> executable: dispatches to one command per file under <c>Commands/</c>.</summary>
public static class Program
{
    /// <summary>Exit codes shared by every command (see DESIGN.md, Diagnostics).</summary>
    public const int Ok = 0, UserError = 1, Usage = 2, InternalError = 70;

    static readonly (string Name, string Summary, Func<CommandLine, int> Run)[] Commands =
    [
        ("check", "parse and check a model file", CheckCommand.Run),
        ("compile", "compile a model file to an assembly", CompileCommand.Run),
        ("fit", "fit a guide by variational inference", FitCommand.Run),
        ("sample", "posterior predictive draws from fitted parameters", SampleCommand.Run),
        ("eval", "ELBO and importance-weighted log-likelihood on data", EvalCommand.Run),
        ("bench", "run the built-in benchmarks", BenchCommand.Run),
    ];

    /// <summary>Entry point; never lets an exception escape as a stack trace.</summary>
    public static int Main(string[] args)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            PrintUsage(Console.Out);
            return args.Length == 0 ? Usage : Ok;
        }
        if (args[0] is "--version")
        {
            Console.WriteLine(typeof(Program).Assembly.GetName().Version);
            return Ok;
        }
        foreach (var (name, _, run) in Commands)
        {
            if (name != args[0]) continue;
            try
            {
                return run(new CommandLine(args[0], args.AsSpan(1).ToArray()));
            }
            catch (OutputException e)
            {
                Console.Error.WriteLine($"ppl {name}: {e.Message}");
                return UserError;
            }
            catch (UsageException e)
            {
                Console.Error.WriteLine($"ppl {name}: {e.Message}");
                Console.Error.WriteLine($"run 'ppl --help' for usage");
                return Usage;
            }
            catch (Exception e)
            {
                Console.Error.WriteLine($"ppl {name}: internal error: {e.GetType().Name}: {e.Message}");
                Console.Error.WriteLine("this is a bug in ppl; set PPL_TRACE=1 to print the stack trace");
                if (Environment.GetEnvironmentVariable("PPL_TRACE") == "1") Console.Error.WriteLine(e);
                return InternalError;
            }
        }
        Console.Error.WriteLine($"ppl: unknown command '{args[0]}'");
        PrintUsage(Console.Error);
        return Usage;
    }

    static void PrintUsage(TextWriter w)
    {
        w.WriteLine("usage: ppl COMMAND [ARGS]");
        w.WriteLine();
        foreach (var (name, summary, _) in Commands) w.WriteLine($"  {name,-8} {summary}");
    }
}
