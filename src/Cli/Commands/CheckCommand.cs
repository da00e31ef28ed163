using Ppl.Language;
using Ppl.Language.Diagnostics;

namespace Ppl.Cli.Commands;

/// <summary>
/// <c>ppl check FILE</c>: parses and checks a model file (LANGUAGE.md §3). Exit 0 with a one-line summary
/// per block, 1 with every error in source order (located, with an excerpt and caret), 2 for a bad command line.
/// </summary>
public static class CheckCommand
{
    /// <summary>Runs the command on the console; returns the process exit code.</summary>
    public static int Run(CommandLine args) => Run(args, Console.Out, Console.Error);

    /// <summary>Runs the command writing to the given streams (tests capture them).</summary>
    public static int Run(CommandLine args, TextWriter stdout, TextWriter stderr)
    {
        string path = args.File();
        args.EnsureAllUsed();
        if (SourceLoader.Load(path, stderr) is not { } file) return Program.UserError;
        var result = Compiler.Check(file);
        if (!result.Succeeded)
        {
            stderr.Write(DiagnosticRenderer.RenderAll(file, result.Diagnostics));
            int n = result.Diagnostics.Count;
            stderr.WriteLine($"{n} error{(n == 1 ? "" : "s")}");
            return result.Diagnostics.Any(d => d.IsInternal) ? Program.InternalError : Program.UserError;
        }
        foreach (var block in result.Value!.Blocks)
        {
            string what = block.IsGuide ? $"guide {block.Name} for {block.Model!.Name}" : $"model {block.Name}";
            stdout.WriteLine($"{path}: {what}: {block.Latents.Count} latent, {block.Observed.Count} observed, {block.Parameters.Count} param, {block.Nets.Count} net");
        }
        return Program.Ok;
    }
}
