namespace Ppl.Language.Text;

/// <summary>
/// A range of a source file as character offsets, <c>[Start, End)</c>. Offsets rather than line/column so
/// spans stay exact however the parser's view of the text was rewritten (see <see cref="Syntax.Layout"/>);
/// <see cref="SourceFile"/> turns them into 1-based lines and columns when a human needs them.
/// </summary>
public readonly record struct SourceSpan(int Start, int End)
{
    /// <summary>Number of characters covered.</summary>
    public int Length => End - Start;

    /// <summary>An empty span at one offset (e.g. "end of file").</summary>
    public static SourceSpan At(int offset) => new(offset, offset);

    /// <summary>The smallest span covering both.</summary>
    public SourceSpan Union(SourceSpan other) => new(Math.Min(Start, other.Start), Math.Max(End, other.End));

    /// <inheritdoc/>
    public override string ToString() => $"[{Start}..{End})";
}
