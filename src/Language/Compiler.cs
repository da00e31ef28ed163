using Ppl.Language.Diagnostics;
using Ppl.Language.Semantics;
using Ppl.Language.Syntax;
using Ppl.Language.Text;

namespace Ppl.Language;

/// <summary>The value of a compiler stage and the diagnostics it reported; a stage with errors has no value.</summary>
public sealed record StageResult<T>(T? Value, IReadOnlyList<Diagnostic> Diagnostics) where T : class
{
    /// <summary>True when the stage produced a value without errors.</summary>
    public bool Succeeded => Value is not null && Diagnostics.Count == 0;
}

/// <summary>
/// The language pipeline, stage by stage (DESIGN.md: "the pipeline is the map"). Each stage returns its value
/// and diagnostics and no stage runs after an error.
/// </summary>
public static class Compiler
{
    /// <summary>source → syntax tree.</summary>
    public static StageResult<ProgramSyntax> Parse(SourceFile file)
    {
        var (tree, diagnostics) = Parser.Parse(file);
        return new(tree, diagnostics);
    }

    /// <summary>source → syntax tree → checked program: what <c>ppl check</c> runs.</summary>
    public static StageResult<CheckedProgram> Check(SourceFile file)
    {
        var parsed = Parse(file);
        if (!parsed.Succeeded) return new(null, parsed.Diagnostics);
        var (program, diagnostics) = Checker.Check(parsed.Value!, file);
        return new(program, diagnostics);
    }
}
