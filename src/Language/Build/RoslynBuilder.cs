using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using EmitOptions = Microsoft.CodeAnalysis.Emit.EmitOptions;
using DebugInformationFormat = Microsoft.CodeAnalysis.Emit.DebugInformationFormat;
using Ppl.Language.Diagnostics;
using Ppl.Language.Emit;
using Ppl.Language.Text;
using Ppl.Runtime.Data;
using Ppl.Runtime.Models;
using Diagnostic = Ppl.Language.Diagnostics.Diagnostic;

namespace Ppl.Language.Build;

/// <summary>
/// C# → assembly, the only user of Roslyn. Compiles in memory, loads the result into a collectible context,
/// and caches the dll on disk under a key hashed from the generated source and the compiler's identity
/// (this compiler, Roslyn, and the exact runtime build), so a second run of the same model skips Roslyn
/// entirely. A Roslyn error is our bug, reported as PPL3001 at the .ppl line (through <c>#line</c>) with the
/// generated file's path and line.
/// </summary>
public static class RoslynBuilder
{
    /// <summary>What identifies this compiler for the cache: our build, Roslyn's, and the runtime's module id.</summary>
    public static string CompilerIdentity { get; } = string.Join("|",
        typeof(RoslynBuilder).Assembly.ManifestModule.ModuleVersionId,
        // Read from our reference table, not typeof(CSharpCompilation): that would load Roslyn on every cache hit.
        typeof(RoslynBuilder).Assembly.GetReferencedAssemblies().First(a => a.Name == "Microsoft.CodeAnalysis.CSharp").Version,
        typeof(IModel).Assembly.ManifestModule.ModuleVersionId);

    /// <summary>
    /// Builds (or fetches from the options' cache folder) the assembly for <paramref name="emitted"/>, after writing
    /// the source to the options' generated path so it can be read and stepped into. Generated assemblies are named
    /// for the .ppl file.
    /// </summary>
    public static StageResult<ModelAssembly> Build(GeneratedSource emitted, SourceFile file, CompileOptions options)
    {
        string generatedPath = options.GeneratedPath, cacheDir = options.CacheDirectory;
        string name = Path.GetFileNameWithoutExtension(file.Path);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(generatedPath))!);
        WriteIfChanged(generatedPath, emitted.Source);
        string key = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(emitted.Source + "\n" + CompilerIdentity)))[..16].ToLowerInvariant();
        string assemblyName = $"Ppl.Generated.{name}.{key}";
        Directory.CreateDirectory(cacheDir);
        string dllPath = Path.Combine(cacheDir, assemblyName + ".dll");
        if (File.Exists(dllPath))
            return new(ModelAssembly.Load(dllPath, fromCache: true), []);
        return Emit(emitted, file, generatedPath, cacheDir, name, assemblyName, dllPath);
    }

    /// <summary>
    /// The Roslyn build, in its own method (not inlined) with its own statics (<see cref="Roslyn"/>) so a cache hit
    /// never JIT-compiles code that names Roslyn's types, and a fresh process does not load Roslyn at all.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    static StageResult<ModelAssembly> Emit(GeneratedSource emitted, SourceFile file, string generatedPath, string cacheDir, string name, string assemblyName, string dllPath)
    {
        var tree = CSharpSyntaxTree.ParseText(emitted.Source, Roslyn.ParseOptions, path: Path.GetFullPath(generatedPath), encoding: Encoding.UTF8);
        // One small file: Roslyn's parallel build only adds task overhead (and competes with the fit on two cores).
        var compilation = CSharpCompilation.Create(assemblyName, [tree], Roslyn.References.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, optimizationLevel: OptimizationLevel.Release,
                nullableContextOptions: NullableContextOptions.Enable, deterministic: true, concurrentBuild: false));
        using var dll = new MemoryStream();
        using var pdb = new MemoryStream();
        var result = compilation.Emit(dll, pdb, options: new EmitOptions(debugInformationFormat: DebugInformationFormat.PortablePdb));
        if (!result.Success)
        {
            var errors = result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)
                .Select(d => Internal(d, file, generatedPath)).ToList();
            return new(null, errors);
        }
        byte[] image = dll.ToArray(), symbols = pdb.ToArray();
        // Write next to the final name then move, so a concurrent reader never sees half a file.
        string tmp = dllPath + "." + Environment.ProcessId + ".tmp";
        File.WriteAllBytes(tmp + ".pdb", symbols);
        File.Move(tmp + ".pdb", Path.ChangeExtension(dllPath, ".pdb"), overwrite: true);
        File.WriteAllBytes(tmp, image);
        File.Move(tmp, dllPath, overwrite: true);
        PruneOlderBuilds(cacheDir, name, assemblyName);
        return new(ModelAssembly.FromImage(assemblyName, image, symbols, dllPath), []);
    }

    /// <summary>Roslyn's errors for a source, as (id, message); for tests that compile generated code the runtime cannot yet satisfy.</summary>
    internal static IReadOnlyList<(string Id, string Message)> Errors(string source)
    {
        var tree = CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Latest));
        var compilation = CSharpCompilation.Create("Ppl.Generated.Probe", [tree], Roslyn.References.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        return compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error)
            .Select(d => (d.Id, d.GetMessage(System.Globalization.CultureInfo.InvariantCulture))).ToList();
    }

    static Diagnostic Internal(Microsoft.CodeAnalysis.Diagnostic d, SourceFile file, string generatedPath)
    {
        var mapped = d.Location.GetMappedLineSpan();
        var raw = d.Location.GetLineSpan();
        int offset = 0;
        if (mapped.HasMappedPath && mapped.StartLinePosition.Line < file.LineCount)
            offset = file.Offset(mapped.StartLinePosition.Line + 1, 1);
        return new Diagnostic(ErrorCode.GeneratedCode,
            $"internal error: the generated C# does not compile: {d.Id}: {d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}",
            new SourceSpan(offset, offset),
            $"this is a bug in ppl; the generated code is {generatedPath}:{raw.StartLinePosition.Line + 1}");
    }

    static class Roslyn
    {
        internal static readonly Lazy<MetadataReference[]> References = new(LoadReferences);

        /// <summary>
        /// The latest language, without nullable flow analysis (Roslyn's <c>run-nullable-analysis=never</c>): it is a
        /// second pass over every method that only yields warnings, which generated code suppresses, and it does not
        /// change the emitted IL.
        /// </summary>
        internal static readonly CSharpParseOptions ParseOptions = new CSharpParseOptions(LanguageVersion.Latest)
            .WithFeatures([new("run-nullable-analysis", "never")]);
    }

    /// <summary>Keeps the cache to the latest build per model file: an edited model's old assemblies are never used again.</summary>
    static void PruneOlderBuilds(string cacheDir, string name, string keep)
    {
        foreach (var f in Directory.EnumerateFiles(cacheDir, $"Ppl.Generated.{name}.*"))
        {
            string stem = Path.GetFileNameWithoutExtension(f);
            if (stem == keep || stem.Count(c => c == '.') != keep.Count(c => c == '.')) continue;
            try { File.Delete(f); }
            catch (IOException) { }                  // in use by another process (Windows): harmless, try next time
            catch (UnauthorizedAccessException) { }
        }
    }

    static void WriteIfChanged(string path, string text)
    {
        if (File.Exists(path) && File.ReadAllText(path) == text) return;
        File.WriteAllText(path, text);
    }

    static MetadataReference[] LoadReferences()
    {
        // The few framework assemblies generated code touches (from the host's trusted platform assemblies, so
        // they match the running framework) plus the runtime the models call; fewer references load faster.
        var tpa = ((string?)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        var paths = tpa.Where(p =>
        {
            string n = Path.GetFileNameWithoutExtension(p);
            return n is "System.Runtime" or "System.Private.CoreLib" or "System.Collections" or "netstandard" or "System.Runtime.Extensions";
        }).ToList();
        paths.Add(typeof(IModel).Assembly.Location);
        return paths.Distinct().Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)).ToArray();
    }
}
