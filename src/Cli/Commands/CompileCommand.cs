namespace Ppl.Cli.Commands;

/// <summary><c>ppl compile</c> (see LANGUAGE.md §3).</summary>
public static class CompileCommand
{
    /// <summary>Runs the command; returns the process exit code.</summary>
    public static int Run(CommandLine args)
    {
        args.EnsureAllUsed();
        Console.Error.WriteLine("ppl compile: not implemented yet");
        return Program.InternalError;
    }
}
