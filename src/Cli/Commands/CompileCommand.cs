using Ppl.Language;
using Ppl.Language.Build;
using Ppl.Language.Diagnostics;
using Ppl.Language.Semantics;
using Ppl.Language.Syntax;

namespace Ppl.Cli.Commands;

/// <summary>
/// <c>ppl compile FILE [-o OUT.dll] [--emit-cs OUT.cs] [--dump ast|checked]</c>: compiles every model and guide of
/// a file into one assembly (cached under <c>obj/ppl/</c> beside the file, where the generated C# is written
/// too). Exit 0, 1 for errors in the .ppl file, 70 when the generated code is at fault, 2 for a bad command line.
/// </summary>
public static class CompileCommand
{
    /// <summary>Runs the command on the console; returns the process exit code.</summary>
    public static int Run(CommandLine args) => Run(args, Console.Out, Console.Error);

    /// <summary>Runs the command writing to the given streams (tests capture them).</summary>
    public static int Run(CommandLine args, TextWriter stdout, TextWriter stderr)
    {
        string path = args.File();
        string? output = args.Option("o", "output");
        string? emitCs = args.Option("emit-cs");
        string? dump = args.Option("dump");
        args.EnsureAllUsed();
        if (dump is not (null or "ast" or "checked")) throw new UsageException($"--dump takes 'ast' or 'checked', got '{dump}'");
        if (CheckCommand.LoadSource(path, stderr) is not { } file) return Program.UserError;

        var result = Compiler.Compile(file, CompileOptions.Beside(path));
        if (dump == "ast" && result.Syntax is not null) stdout.Write(SyntaxPrinter.Print(result.Syntax, file));
        if (dump == "checked" && result.Checked is not null) stdout.Write(CheckedPrinter.Print(result.Checked));
        if (emitCs is not null && result.Generated is not null) AtomicFile.WriteAllText(emitCs, result.Generated.Source);
        if (!result.Succeeded)
        {
            stderr.Write(DiagnosticRenderer.RenderAll(file, result.Diagnostics));
            int n = result.Diagnostics.Count;
            stderr.WriteLine($"{n} error{(n == 1 ? "" : "s")}");
            return result.Diagnostics.Any(d => d.IsInternal) ? Program.InternalError : Program.UserError;
        }
        var assembly = result.Assembly!;
        if (output is not null)
        {
            AtomicFile.Copy(assembly.DllPath!, output);
            string pdb = Path.ChangeExtension(assembly.DllPath!, ".pdb");
            if (File.Exists(pdb)) AtomicFile.Copy(pdb, Path.ChangeExtension(output, ".pdb"));
        }
        string blocks = string.Join(", ", result.Checked!.Blocks.Select(b => (b.IsGuide ? "guide " : "model ") + b.Name));
        stdout.WriteLine($"{path}: compiled {blocks} -> {output ?? assembly.DllPath}{(assembly.FromCache ? " (cached)" : "")}");
        assembly.Dispose();
        return Program.Ok;
    }
}
