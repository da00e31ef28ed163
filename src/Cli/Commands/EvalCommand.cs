namespace Ppl.Cli.Commands;

/// <summary><c>ppl eval</c> (see LANGUAGE.md §3).</summary>
public static class EvalCommand
{
    /// <summary>Runs the command; returns the process exit code.</summary>
    public static int Run(CommandLine args)
    {
        args.EnsureAllUsed();
        Console.Error.WriteLine("ppl eval: not implemented yet");
        return Program.InternalError;
    }
}
