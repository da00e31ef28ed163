using System.CommandLine;
using Ppl.Language;
using Ppl.Language.Diagnostics;

namespace Ppl.Cli.Commands;

/// <summary>
/// <c>ppl check FILE</c>: parses and checks a model file (LANGUAGE.md §3). Exit 0 with a one-line summary
/// per block, 1 with every error in source order (located, with an excerpt and caret), 2 for a bad command line.
/// </summary>
public static class CheckCommand
{
    /// <summary>The command's syntax.</summary>
    public static Command Definition()
    {
        var file = new Argument<string>("FILE") { Description = "the .ppl model file" };
        var c = PplCommand.Command("check", "parse and check a model file",
            "ppl check examples/eight_schools/eight_schools.ppl");
        c.Add(file);
        c.SetAction(r => Run(r.GetValue(file)!, r.InvocationConfiguration.Output, r.InvocationConfiguration.Error));
        return c;
    }

    /// <summary>Runs the command writing to the given streams; returns the process exit code.</summary>
    public static int Run(string path, TextWriter stdout, TextWriter stderr)
    {
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
