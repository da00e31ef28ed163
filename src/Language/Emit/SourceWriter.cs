using System.Text;

namespace Ppl.Language.Emit;

/// <summary>
/// Writes C# text with indentation, the way the System.Text.Json source generator does: plain strings, one
/// line at a time, braces through <see cref="Block"/> so they always balance. Directives (<c>#line</c>) start
/// at column 0. Line endings are '\n' everywhere so the output is byte-identical across platforms.
/// </summary>
public sealed class SourceWriter
{
    readonly StringBuilder sb = new();
    int indent;

    /// <summary>One line at the current indentation (an empty line has no trailing blanks).</summary>
    public void Line(string text = "")
    {
        if (text.Length > 0) sb.Append(' ', 4 * indent).Append(text);
        sb.Append('\n');
    }

    /// <summary>A preprocessor directive, unindented.</summary>
    public void Directive(string text) => sb.Append(text).Append('\n');

    /// <summary>Writes <paramref name="header"/> and an opening brace; disposing closes it.</summary>
    public IDisposable Block(string header)
    {
        Line(header);
        Line("{");
        indent++;
        return new Closer(this);
    }

    sealed class Closer(SourceWriter w) : IDisposable
    {
        bool done;
        public void Dispose()
        {
            if (done) return;
            done = true;
            w.indent--;
            w.Line("}");
        }
    }

    /// <inheritdoc/>
    public override string ToString() => sb.ToString();
}
