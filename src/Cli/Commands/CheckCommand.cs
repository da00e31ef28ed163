namespace Ppl.Cli.Commands;

/// <summary><c>ppl check</c> (see LANGUAGE.md §3).</summary>
public static class CheckCommand
{
    /// <summary>Runs the command; returns the process exit code.</summary>
    public static int Run(CommandLine args)
    {
        args.EnsureAllUsed();
        Console.Error.WriteLine("ppl check: not implemented yet");
        return Program.InternalError;
    }
}
