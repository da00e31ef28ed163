using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Ppl.Language.Text;

namespace Ppl.Language.Build;

/// <summary>A build found by its source alone: the cached assembly and the file's outline.</summary>
/// <param name="Assembly">The cached model assembly, loaded.</param>
/// <param name="Outline">The models and guides of the file.</param>
public sealed record CachedBuild(ModelAssembly Assembly, ModelOutline Outline);

/// <summary>
/// The fast path of a repeated run: an index from the .ppl file itself (its path as given, its text, and this
/// compiler's identity) to the cached assembly <see cref="RoslynBuilder"/> built from it, with the file's
/// <see cref="ModelOutline"/>. A hit loads only that assembly: no parse, check, emit or hash of generated C#, so a
/// fresh process runs little code besides the fit. The index is written after every successful compile and
/// points at the generated-source cache, so anything that changes the generated code changes the key.
/// </summary>
public static class SourceCache
{
    /// <summary>The cached build of exactly this source, or null (then compile as usual).</summary>
    public static CachedBuild? TryLoad(SourceFile file, CompileOptions options)
    {
        string index = IndexPath(file, options);
        if (!File.Exists(index)) return null;
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(index));
            var root = doc.RootElement;
            string dll = Path.Combine(options.CacheDirectory, root.GetProperty("assembly").GetString()!);
            if (!File.Exists(dll)) return null;                 // pruned by a later build of another version
            var outline = ModelOutline.Read(root);
            return new(ModelAssembly.Load(dll, fromCache: true), outline);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or IOException)
        {
            return null;                                        // a torn or foreign index: rebuild it
        }
    }

    /// <summary>Records that <paramref name="file"/> compiled to <paramref name="assembly"/> (a no-op when it has no file on disk).</summary>
    public static void Save(SourceFile file, CompileOptions options, ModelOutline outline, ModelAssembly assembly)
    {
        if (assembly.DllPath is not { } dll || Path.GetDirectoryName(Path.GetFullPath(dll)) != Path.GetFullPath(options.CacheDirectory)) return;
        string index = IndexPath(file, options);
        if (File.Exists(index)) return;
        using var buffer = new MemoryStream();
        using (var j = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            j.WriteStartObject();
            j.WriteString("source", file.Path);
            j.WriteString("assembly", Path.GetFileName(dll));
            outline.Write(j);
            j.WriteEndObject();
        }
        try
        {
            // Written aside and renamed, so a concurrent reader never sees half an index.
            string tmp = index + "." + Environment.ProcessId + ".tmp";
            File.WriteAllBytes(tmp, buffer.ToArray());
            File.Move(tmp, index, overwrite: true);
            foreach (var old in Directory.EnumerateFiles(options.CacheDirectory, Prefix(file) + "*.json"))
                if (old != index) File.Delete(old);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }   // only a slower next run
    }

    static string Prefix(SourceFile file) => $"Ppl.Source.{Path.GetFileNameWithoutExtension(file.Path)}.";

    static string IndexPath(SourceFile file, CompileOptions options)
    {
        string key = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(
            file.Path + "\n" + RoslynBuilder.CompilerIdentity + "\n" + file.Text)))[..16].ToLowerInvariant();
        return Path.Combine(options.CacheDirectory, Prefix(file) + key + ".json");
    }
}
