using System.CommandLine;
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
    /// <summary>The command's syntax.</summary>
    public static Command Definition()
    {
        var file = new Argument<string>("FILE") { Description = "the .ppl model file" };
        var output = new Option<string>("--output", "-o") { Description = "copy the assembly (and its .pdb) here", HelpName = "OUT.dll" };
        var emitCs = new Option<string>("--emit-cs") { Description = "write the generated C# here", HelpName = "OUT.cs" };
        var dump = new Option<string>("--dump") { Description = "print the syntax tree (ast) or the checked program (checked)" };
        dump.AcceptOnlyFromAmong("ast", "checked");
        var c = PplCommand.Command("compile", "compile a model file to an assembly",
            "ppl compile examples/eight_schools/eight_schools.ppl -o eight_schools.dll",
            "ppl compile m.ppl --emit-cs m.g.cs --dump checked");
        c.Add(file);
        c.Add(output);
        c.Add(emitCs);
        c.Add(dump);
        c.SetAction(r => Run(r.GetValue(file)!, r.GetValue(output), r.GetValue(emitCs), r.GetValue(dump),
            r.InvocationConfiguration.Output, r.InvocationConfiguration.Error));
        return c;
    }

    /// <summary>Runs the command writing to the given streams; returns the process exit code.</summary>
    public static int Run(string path, string? output, string? emitCs, string? dump, TextWriter stdout, TextWriter stderr)
    {
        if (SourceLoader.Load(path, stderr) is not { } file) return Program.UserError;

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
