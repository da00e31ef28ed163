using Ppl.Language.Text;

namespace Ppl.Cli;

/// <summary>Reads the model file every command starts from, so each reports a bad path the same way.</summary>
public static class SourceLoader
{
    /// <summary>Reads a model file, reporting a missing or unreadable file as a user error (never a stack trace).</summary>
    /// <returns>the file, or null after writing <c>PATH: error: cannot read the model file: …</c> to <paramref name="stderr"/></returns>
    public static SourceFile? Load(string path, TextWriter stderr)
    {
        try
        {
            return SourceFile.Load(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"{path}: error: cannot read the model file: {(e is FileNotFoundException or DirectoryNotFoundException ? "no such file" : e.Message)}");
            return null;
        }
    }
}
