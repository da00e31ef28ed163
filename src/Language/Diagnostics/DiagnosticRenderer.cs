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
/// </summary>
public static class DiagnosticRenderer
{
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
            sb.Append("  ").Append(number).Append(" | ").Append(text).Append('\n');
            // The underline stops at the end of the first line of a multi-line span.
            var (endLine, endCol) = file.Position(d.Span.End);
            int width = endLine == line ? Math.Max(1, endCol - col) : Math.Max(1, text.Length - col + 1);
            sb.Append(gutter).Append("| ").Append(new string(' ', col - 1)).Append('^').Append(new string('~', width - 1)).Append('\n');
        }
        if (d.Help is not null) sb.Append("  help: ").Append(d.Help).Append('\n');
        return sb.ToString();
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
