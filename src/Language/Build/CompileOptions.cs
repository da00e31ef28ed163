namespace Ppl.Language.Build;

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
