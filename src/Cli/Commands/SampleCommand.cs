namespace Ppl.Cli.Commands;

/// <summary><c>ppl sample</c> (see LANGUAGE.md §3).</summary>
public static class SampleCommand
{
    /// <summary>Runs the command; returns the process exit code.</summary>
    public static int Run(CommandLine args)
    {
        args.EnsureAllUsed();
        Console.Error.WriteLine("ppl sample: not implemented yet");
        return Program.InternalError;
    }
}
