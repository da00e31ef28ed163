using System.Reflection;
using Ppl.Language.Build;
using Ppl.Language.Diagnostics;
using Ppl.Language.Emit;
using Ppl.Language.Semantics;
using Ppl.Language.Syntax;
using Ppl.Language.Text;

namespace Ppl.Language;

/// <summary>Everything one compilation produced, up to the first stage that failed, and that stage's diagnostics.</summary>
public sealed record CompileResult(ProgramSyntax? Syntax, CheckedProgram? Checked, GeneratedSource? Generated, ModelAssembly? Assembly, IReadOnlyList<Diagnostic> Diagnostics)
{
    /// <summary>True when every stage ran without errors.</summary>
    public bool Succeeded => Assembly is not null && Diagnostics.Count == 0;
}

/// <summary>
/// The language pipeline, stage by stage (docs/design.md: "the pipeline is the map"): <see cref="Parser.Parse"/>,
/// <see cref="Checker.Check"/>, <see cref="CSharpEmitter.Emit"/>, <see cref="RuntimeSupport.Check"/> and
/// <see cref="RoslynBuilder.Build"/>, each returning a <see cref="StageResult{T}"/>; no stage runs after an error.
/// A successful compile is indexed by its source (<see cref="SourceCache"/>) for <see cref="FromCache"/>.
/// </summary>
public static class Compiler
{
    /// <summary>This compiler's version, stamped into generated code.</summary>
    public static string Version { get; } =
        typeof(Compiler).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    /// <summary>source → syntax tree.</summary>
    public static StageResult<ProgramSyntax> Parse(SourceFile file) => Parser.Parse(file);

    /// <summary>source → syntax tree → checked program: what <c>ppl check</c> runs.</summary>
    public static StageResult<CheckedProgram> Check(SourceFile file) => Check(Parse(file), file);

    /// <summary>syntax tree → checked program, after a parse that may have failed.</summary>
    public static StageResult<CheckedProgram> Check(StageResult<ProgramSyntax> parsed, SourceFile file) =>
        parsed.Then(syntax => Checker.Check(syntax, file));

    /// <summary>source → syntax tree → checked program → C# → runtime check → assembly.</summary>
    public static CompileResult Compile(SourceFile file, CompileOptions options)
    {
        var parsed = Parse(file);
        var checkedProgram = Check(parsed, file);
        var generated = checkedProgram.Then(program => CSharpEmitter.Emit(program, Version));
        var supported = generated.Then(RuntimeSupport.Check);
        var built = supported.Then(source => RoslynBuilder.Build(source, file, options));
        if (built.Value is { } assembly && built.Diagnostics.Count == 0) SourceCache.Save(file, options, ModelOutline.Of(checkedProgram.Value!), assembly);
        return new(parsed.Value, checkedProgram.Value, generated.Value, built.Value, built.Diagnostics);
    }

    /// <summary>
    /// The assembly and outline an earlier <see cref="Compile"/> of exactly this file left in the options' cache, or
    /// null: the commands that only run a model try this first, so a repeated run skips every stage.
    /// </summary>
    public static CachedBuild? FromCache(SourceFile file, CompileOptions options) => SourceCache.TryLoad(file, options);
}
