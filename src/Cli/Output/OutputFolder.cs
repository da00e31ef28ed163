namespace Ppl.Cli.Output;

/// <summary>
/// A set of output files replaced together: each is written to a temporary name beside its target
/// (<see cref="AtomicFile.TempPath"/>), and only when every one is written are they renamed over the old files. A
/// failure (or Ctrl-C) before <see cref="Commit"/> deletes the temporary files and leaves the previous outputs as they were.
/// </summary>
public sealed class OutputFolder(string directory) : IDisposable
{
    readonly List<(string Temp, string Target)> staged = new();
    readonly List<string> stale = new();

    /// <summary>The folder.</summary>
    public string Directory { get; } = Path.GetFullPath(directory);

    /// <summary>Writes one file's temporary copy with <paramref name="write"/> (given the temporary path).</summary>
    public void Add(string fileName, Action<string> write)
    {
        string target = Path.Combine(Directory, fileName);
        string temp = AtomicFile.TempPath(target);
        try
        {
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            staged.Add((temp, target));
            write(temp);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new OutputException(target, e.Message);
        }
    }

    /// <summary>Writes one text file's temporary copy.</summary>
    public void AddText(string fileName, Action<TextWriter> write) => Add(fileName, temp =>
    {
        using var w = new StreamWriter(temp, append: false, new System.Text.UTF8Encoding(false));
        write(w);
    });

    /// <summary>Writes one JSON object file's temporary copy (indented); <paramref name="write"/> writes its properties.</summary>
    public void AddJson(string fileName, Action<System.Text.Json.Utf8JsonWriter> write) => Add(fileName, temp =>
    {
        using var stream = File.Create(temp);
        using var j = new System.Text.Json.Utf8JsonWriter(stream, new System.Text.Json.JsonWriterOptions { Indented = true });
        j.WriteStartObject();
        write(j);
        j.WriteEndObject();
    });

    /// <summary>Deletes the file or folder <paramref name="name"/> (relative to the folder) at <see cref="Commit"/>: an earlier fit's output that the new outputs do not replace.</summary>
    public void RemoveOnCommit(string name) => stale.Add(Path.Combine(Directory, name));

    /// <summary>Renames every staged file over its target, then deletes what <see cref="RemoveOnCommit"/> named.</summary>
    public void Commit()
    {
        foreach (var (temp, target) in staged)
        {
            try { File.Move(temp, target, overwrite: true); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw new OutputException(target, e.Message); }
        }
        staged.Clear();
        foreach (var path in stale)
        {
            try
            {
                if (File.Exists(path)) File.Delete(path);
                else if (System.IO.Directory.Exists(path)) System.IO.Directory.Delete(path, true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw new OutputException(path, e.Message); }
        }
        stale.Clear();
    }

    /// <summary>Deletes what was staged but not committed.</summary>
    public void Dispose()
    {
        foreach (var (temp, _) in staged)
            try { if (File.Exists(temp)) File.Delete(temp); } catch (IOException) { }
        staged.Clear();
    }
}
