namespace Ppl.Cli.Commands;

/// <summary><c>ppl fit</c> (see LANGUAGE.md §3).</summary>
public static class FitCommand
{
    /// <summary>Runs the command; returns the process exit code.</summary>
    public static int Run(CommandLine args)
    {
        args.EnsureAllUsed();
        Console.Error.WriteLine("ppl fit: not implemented yet");
        return Program.InternalError;
    }
}
