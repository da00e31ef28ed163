namespace Ppl.Cli.Commands;

/// <summary><c>ppl bench</c> (see LANGUAGE.md §3).</summary>
public static class BenchCommand
{
    /// <summary>Runs the command; returns the process exit code.</summary>
    public static int Run(CommandLine args)
    {
        args.EnsureAllUsed();
        Console.Error.WriteLine("ppl bench: not implemented yet");
        return Program.InternalError;
    }
}
