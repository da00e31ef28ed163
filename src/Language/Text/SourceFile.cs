namespace Ppl.Language.Text;

/// <summary>
/// The text of one <c>.ppl</c> file with its path and a line table, so spans (offsets) become the 1-based
/// line and column that diagnostics, <c>#line</c> directives and site locations print.
/// </summary>
public sealed class SourceFile
{
    readonly int[] lineStarts;

    /// <summary>Creates a source file from text; <paramref name="path"/> is what diagnostics print.</summary>
    public SourceFile(string path, string text)
    {
        Path = path;
        Text = text;
        var starts = new List<int> { 0 };
        for (int i = 0; i < text.Length; i++)
            if (text[i] == '\n') starts.Add(i + 1);
        lineStarts = starts.ToArray();
    }

    /// <summary>Reads a file from disk (UTF-8).</summary>
    public static SourceFile Load(string path) => new(path, File.ReadAllText(path));

    /// <summary>The path as given by the user (printed in diagnostics).</summary>
    public string Path { get; }

    /// <summary>The whole text.</summary>
    public string Text { get; }

    /// <summary>Number of lines (a final line without newline counts).</summary>
    public int LineCount => lineStarts.Length;

    /// <summary>1-based line and column of an offset; offsets past the end map to the end.</summary>
    public (int Line, int Column) Position(int offset)
    {
        offset = Math.Clamp(offset, 0, Text.Length);
        int line = Array.BinarySearch(lineStarts, offset);
        if (line < 0) line = ~line - 1;
        return (line + 1, offset - lineStarts[line] + 1);
    }

    /// <summary>The offset of a 1-based line and column (clamped to the file).</summary>
    public int Offset(int line, int column)
    {
        line = Math.Clamp(line, 1, lineStarts.Length);
        return Math.Min(lineStarts[line - 1] + Math.Max(column, 1) - 1, Text.Length);
    }

    /// <summary>The text of a 1-based line without its line break.</summary>
    public string LineText(int line)
    {
        int start = lineStarts[line - 1];
        int end = line < lineStarts.Length ? lineStarts[line] : Text.Length;
        return Text[start..end].TrimEnd('\n', '\r');
    }

    /// <summary>The source text a span covers.</summary>
    public string Slice(SourceSpan span) => Text[Math.Clamp(span.Start, 0, Text.Length)..Math.Clamp(span.End, 0, Text.Length)];
}
