namespace Ppl.Runtime.Data;

/// <summary>A data file that cannot be read: names the file and, where it can, the line and column.</summary>
public sealed class DataFileException(string path, int line, int column, string message)
    : Exception(line > 0 ? $"{path}:{line}:{column}: {message}" : $"{path}: {message}")
{
    /// <summary>The file.</summary>
    public string Path { get; } = path;
    /// <summary>1-based line, 0 when not known.</summary>
    public int Line { get; } = line;
    /// <summary>1-based column, 0 when not known.</summary>
    public int Column { get; } = column;
}
