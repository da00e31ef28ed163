using System.Reflection;
using Ppl.Language.Build;
using Ppl.Language.Diagnostics;
using Ppl.Language.Emit;
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

/// <summary>Where compilation writes: the generated C# (<c>obj/ppl/NAME.g.cs</c>) and the assembly cache.</summary>
public sealed record CompileOptions(string GeneratedPath, string CacheDirectory)
{
    /// <summary>
    /// <c>obj/ppl/</c> beside the model file: the generated source and the cache. When that folder cannot be
    /// created (a model in a read-only place), the user's cache folder (<c>$XDG_CACHE_HOME/ppl</c> or
    /// <c>~/.cache/ppl</c>, else the temp folder) takes its place, under a name derived from the model's full path.
    /// </summary>
    public static CompileOptions Beside(string modelPath)
    {
        string full = Path.GetFullPath(modelPath);
        string name = Path.GetFileNameWithoutExtension(modelPath);
        string dir = Path.Combine(Path.GetDirectoryName(full)!, "obj", "ppl");
        if (!CanWrite(dir)) dir = Path.Combine(UserCacheRoot(), $"{name}-{StableId(full)}");
        return new(Path.Combine(dir, name + ".g.cs"), Path.Combine(dir, "cache"));
    }

    static bool CanWrite(string dir)
    {
        try
        {
            Directory.CreateDirectory(dir);
            string probe = Path.Combine(dir, $".probe-{Environment.ProcessId}");
            File.WriteAllText(probe, "");
            File.Delete(probe);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return false; }
    }

    static string UserCacheRoot()
    {
        string? xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        string root = !string.IsNullOrEmpty(xdg) ? Path.Combine(xdg, "ppl")
            : !string.IsNullOrEmpty(home) ? Path.Combine(home, ".cache", "ppl")
            : Path.Combine(Path.GetTempPath(), "ppl");
        return CanWrite(root) ? root : Path.Combine(Path.GetTempPath(), $"ppl-{Environment.UserName}");
    }

    static string StableId(string s) =>
        Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(s)))[..12].ToLowerInvariant();
}

/// <summary>Everything one compilation produced, up to the first stage that failed.</summary>
public sealed record Compilation(ProgramSyntax? Syntax, CheckedProgram? Checked, GeneratedSource? Generated, ModelAssembly? Assembly, IReadOnlyList<Diagnostic> Diagnostics)
{
    /// <summary>True when every stage ran without errors.</summary>
    public bool Succeeded => Assembly is not null && Diagnostics.Count == 0;
}

/// <summary>
/// The language pipeline, stage by stage (docs/design.md: "the pipeline is the map"). Each stage returns its value
/// and diagnostics and no stage runs after an error.
/// </summary>
public static class Compiler
{
    /// <summary>This compiler's version, stamped into generated code.</summary>
    public static string Version { get; } =
        typeof(Compiler).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

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

    /// <summary>source → syntax tree → checked program → C# → runtime check → assembly.</summary>
    public static Compilation Compile(SourceFile file, CompileOptions options)
    {
        var parsed = Parse(file);
        if (!parsed.Succeeded) return new(null, null, null, null, parsed.Diagnostics);
        var (program, checkErrors) = Checker.Check(parsed.Value!, file);
        if (program is null) return new(parsed.Value, null, null, null, checkErrors);
        var generated = CSharpEmitter.Emit(program, Version);
        var missing = RuntimeSupport.Check(generated.Requirements);
        if (missing.Count > 0) return new(parsed.Value, program, generated, null, DiagnosticRenderer.InSourceOrder(missing));
        var built = RoslynBuilder.Build(generated, file, options.GeneratedPath, options.CacheDirectory, Path.GetFileNameWithoutExtension(file.Path));
        return new(parsed.Value, program, generated, built.Value, built.Diagnostics);
    }
}
