namespace Ppl.Cli;

/// <summary>
/// Writes user-named outputs all-or-nothing: into a temporary file beside the target, then a rename, so an
/// interrupted run never leaves a half-written file where the old one was. Creates missing parent folders.
/// </summary>
public static class AtomicFile
{
    /// <summary>Writes <paramref name="text"/> to <paramref name="path"/>.</summary>
    public static void WriteAllText(string path, string text) => Write(path, tmp => File.WriteAllText(tmp, text));

    /// <summary>Writes <paramref name="bytes"/> to <paramref name="path"/>.</summary>
    public static void WriteAllBytes(string path, byte[] bytes) => Write(path, tmp => File.WriteAllBytes(tmp, bytes));

    /// <summary>Copies <paramref name="source"/> to <paramref name="path"/>.</summary>
    public static void Copy(string source, string path) => Write(path, tmp => File.Copy(source, tmp, overwrite: true));

    /// <summary>The temporary name beside <paramref name="fullPath"/> that a write goes to before its rename.</summary>
    public static string TempPath(string fullPath) =>
        Path.Combine(Path.GetDirectoryName(fullPath)!, $".{Path.GetFileName(fullPath)}.{Environment.ProcessId}.tmp");

    static void Write(string path, Action<string> writeTemp)
    {
        string full = Path.GetFullPath(path);
        string dir = Path.GetDirectoryName(full)!;
        string tmp = TempPath(full);
        try
        {
            Directory.CreateDirectory(dir);
            writeTemp(tmp);
            File.Move(tmp, full, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            try { if (File.Exists(tmp)) File.Delete(tmp); } catch (IOException) { }
            throw new OutputException(path, e.Message);
        }
    }
}

/// <summary>An output file that cannot be written: a user error (exit 1) naming the file.</summary>
public sealed class OutputException(string path, string reason) : Exception($"cannot write '{path}': {reason}");
