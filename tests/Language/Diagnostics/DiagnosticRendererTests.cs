using Ppl.Language.Diagnostics;
using Ppl.Language.Text;

namespace Ppl.Language.Tests.Diagnostics;

public class DiagnosticRendererTests
{
    [Fact]
    public void Render_DesignExample_MatchesTheDocumentedFormat()
    {
        var file = new SourceFile("examples/coin/coin.ppl", "model Coin {\n  data N: int\n  data y: int[N]\n\n  p ~ Beta(1, 1)\n\n  y ~ Bernouli(p)\n}\n");
        var d = new Diagnostic(ErrorCode.UnknownDistribution, "unknown distribution 'Bernouli'", new SourceSpan(file.Text.IndexOf("Bernouli"), file.Text.IndexOf("Bernouli") + 8), "did you mean 'Bernoulli'?");
        Assert.Equal(
            "examples/coin/coin.ppl:7:7: error PPL2004: unknown distribution 'Bernouli'\n" +
            "  7 |   y ~ Bernouli(p)\n" +
            "    |       ^~~~~~~~\n" +
            "  help: did you mean 'Bernoulli'?\n",
            DiagnosticRenderer.Render(file, d));
    }

    [Fact]
    public void Render_EmptySpanAtEndOfLine_DrawsOneCaret()
    {
        var file = new SourceFile("t.ppl", "ab\n");
        var text = DiagnosticRenderer.Render(file, new Diagnostic("PPL1001", "m", SourceSpan.At(2)));
        Assert.EndsWith("    |   ^\n", text);
    }

    /// <summary>A 40,000-character line (a generated expression) with <paramref name="token"/> at <paramref name="offset"/> (-1: at its end).</summary>
    static (SourceFile File, Diagnostic D) LongLine(int offset, string token = "Bernouli")
    {
        var line = new System.Text.StringBuilder("  let a = ");
        while (line.Length < 40_000) line.Append("b + ");
        if (offset < 0) offset = line.Length;
        line.Insert(offset, token);
        var file = new SourceFile("long.ppl", "model M {\n" + line + "\n}\n");
        int start = "model M {\n".Length + offset;
        return (file, new Diagnostic("PPL2004", "unknown distribution 'Bernouli'", new SourceSpan(start, start + token.Length)));
    }

    /// <summary>The excerpt and underline lines, and the text above the underline (what the caret points at).</summary>
    static (string Excerpt, string Underline, string Pointed) Lines(string rendered)
    {
        var lines = rendered.Split('\n');
        string excerpt = lines[1], underline = lines[2];
        int caret = underline.IndexOf('^');
        int width = underline.Length - caret;
        return (excerpt, underline, excerpt.Substring(caret, Math.Min(width, excerpt.Length - caret)));
    }

    [Theory]
    [InlineData(10, false, true)]         // at the start: nothing cut before it
    [InlineData(20_000, true, true)]      // in the middle: cut on both sides
    [InlineData(-1, true, false)]         // at the end: nothing cut after it
    public void Render_VeryLongLine_CutsToAWindowAroundTheCaret(int offset, bool cutBefore, bool cutAfter)
    {
        var (file, d) = LongLine(offset);
        string rendered = DiagnosticRenderer.Render(file, d);
        var (excerpt, underline, pointed) = Lines(rendered);
        Assert.StartsWith("long.ppl:2:" + (d.Span.Start - "model M {\n".Length + 1) + ": error PPL2004", rendered);
        Assert.Equal("Bernouli", pointed);
        Assert.EndsWith("^~~~~~~~", underline);
        Assert.Equal(cutBefore, excerpt.StartsWith("  2 | ...", StringComparison.Ordinal));
        Assert.Equal(cutAfter, excerpt.EndsWith("...", StringComparison.Ordinal));
        Assert.InRange(excerpt.Length, DiagnosticRenderer.MaxExcerptWidth, DiagnosticRenderer.MaxExcerptWidth + 12);
    }

    [Fact]
    public void Render_VeryLongLine_SpanPastTheWindowIsClippedAtTheCut()
    {
        string token = new('Q', 500);
        var (file, d) = LongLine(20_000, token);
        var (excerpt, underline, pointed) = Lines(DiagnosticRenderer.Render(file, d));
        Assert.EndsWith("...", excerpt);
        Assert.Equal(excerpt.Length - 3, underline.Length);   // the underline stops where the text is cut
        Assert.Equal(new string('Q', pointed.Length), pointed);
    }

    [Fact]
    public void Render_VeryLongLine_EmptySpanAtEndOfLineDrawsCaretAfterTheText()
    {
        var (file, _) = LongLine(10, "");
        int eol = file.Text.IndexOf("\n}", StringComparison.Ordinal);
        var (excerpt, underline, _) = Lines(DiagnosticRenderer.Render(file, new Diagnostic("PPL1001", "m", SourceSpan.At(eol))));
        Assert.False(excerpt.EndsWith("...", StringComparison.Ordinal));
        Assert.Equal(excerpt.Length + 1, underline.Length);
        Assert.EndsWith(" ^", underline);
    }

    [Fact]
    public void Render_LineOfExactlyTheMaximumWidth_IsPrintedWhole()
    {
        string line = "  y ~ Bernouli(p)" + new string(' ', DiagnosticRenderer.MaxExcerptWidth - 18) + "x";
        Assert.Equal(DiagnosticRenderer.MaxExcerptWidth, line.Length);
        var file = new SourceFile("t.ppl", line + "\n");
        var (excerpt, underline, pointed) = Lines(DiagnosticRenderer.Render(file, new Diagnostic("PPL2004", "m", new SourceSpan(6, 14))));
        Assert.Equal("  1 | " + line, excerpt);
        Assert.Equal("    |       ^~~~~~~~", underline);
        Assert.Equal("Bernouli", pointed);
    }

    [Fact]
    public void InSourceOrder_UnorderedDiagnostics_SortsByOffsetStably()
    {
        var a = new Diagnostic("PPL2001", "a", new SourceSpan(10, 11));
        var b = new Diagnostic("PPL2002", "b", new SourceSpan(2, 3));
        var c = new Diagnostic("PPL2003", "c", new SourceSpan(10, 12));
        Assert.Equal([b, a, c], DiagnosticRenderer.InSourceOrder([a, b, c]));
    }
}
