using System.Text;
using Ppl.Language.Text;

namespace Ppl.Language.Diagnostics;

/// <summary>
/// Prints diagnostics the way compilers users already know do (rustc, clang):
/// <code>
/// examples/coin/coin.ppl:7:7: error PPL2004: unknown distribution 'Bernouli'
///   7 |   y ~ Bernouli(p)
///     |       ^~~~~~~~
///   help: did you mean 'Bernoulli'?
/// </code>
/// A source line longer than <see cref="MaxExcerptWidth"/> (a generated 40,000-character expression) is cut to a
/// window around the caret, as rustc does, with <c>...</c> where text was left out; caret and underline stay
/// under the characters they point at.
/// </summary>
public static class DiagnosticRenderer
{
    /// <summary>The most characters of a source line an excerpt shows.</summary>
    public const int MaxExcerptWidth = 120;

    /// <summary>Characters kept before the caret when a line is cut, so the reader sees what leads up to it.</summary>
    const int ContextBeforeCaret = 40;

    const string Elision = "...";

    /// <summary>The one-line header <c>path:line:col: error CODE: message</c>.</summary>
    public static string Header(SourceFile file, Diagnostic d)
    {
        var (line, col) = file.Position(d.Span.Start);
        return $"{file.Path}:{line}:{col}: error {d.Code}: {d.Message}";
    }

    /// <summary>The header, the source line with a caret under the span, and the help line if any.</summary>
    public static string Render(SourceFile file, Diagnostic d)
    {
        var sb = new StringBuilder();
        sb.Append(Header(file, d)).Append('\n');
        var (line, col) = file.Position(d.Span.Start);
        if (line <= file.LineCount)
        {
            string text = file.LineText(line).Replace('\t', ' ');
            string number = line.ToString(System.Globalization.CultureInfo.InvariantCulture);
            string gutter = new(' ', number.Length + 3);
            // The underline stops at the end of the first line of a multi-line span.
            var (endLine, endCol) = file.Position(d.Span.End);
            int width = endLine == line ? Math.Max(1, endCol - col) : Math.Max(1, text.Length - col + 1);
            var (shown, caret, underline) = Excerpt(text, col - 1, width);
            sb.Append("  ").Append(number).Append(" | ").Append(shown).Append('\n');
            sb.Append(gutter).Append("| ").Append(new string(' ', caret)).Append('^').Append(new string('~', underline - 1)).Append('\n');
        }
        if (d.Help is not null) sb.Append("  help: ").Append(d.Help).Append('\n');
        return sb.ToString();
    }

    /// <summary>
    /// The part of <paramref name="text"/> to print, and where the caret and underline go in it: the whole line when
    /// it fits, else a window of <see cref="MaxExcerptWidth"/> characters starting a little before the caret, marked
    /// with <c>...</c> on each side where text was cut, the underline clipped to the window.
    /// </summary>
    static (string Shown, int Caret, int Underline) Excerpt(string text, int caret, int width)
    {
        if (text.Length <= MaxExcerptWidth) return (text, caret, width);
        int start = Math.Clamp(caret - ContextBeforeCaret, 0, text.Length - MaxExcerptWidth);
        int end = start + MaxExcerptWidth;
        string shown = (start > 0 ? Elision : "") + text[start..end] + (end < text.Length ? Elision : "");
        int at = caret - start + (start > 0 ? Elision.Length : 0);
        return (shown, at, Math.Clamp(end - caret, 1, width));
    }

    /// <summary>All diagnostics in source order (stable for equal positions), each rendered.</summary>
    public static string RenderAll(SourceFile file, IEnumerable<Diagnostic> diagnostics)
    {
        var sb = new StringBuilder();
        foreach (var d in InSourceOrder(diagnostics)) sb.Append(Render(file, d));
        return sb.ToString();
    }

    /// <summary>Source order: by start offset, ties kept in report order.</summary>
    public static IReadOnlyList<Diagnostic> InSourceOrder(IEnumerable<Diagnostic> diagnostics) =>
        diagnostics.Select((d, i) => (d, i)).OrderBy(p => p.d.Span.Start).ThenBy(p => p.i).Select(p => p.d).ToList();
}
