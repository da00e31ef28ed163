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

    [Fact]
    public void InSourceOrder_UnorderedDiagnostics_SortsByOffsetStably()
    {
        var a = new Diagnostic("PPL2001", "a", new SourceSpan(10, 11));
        var b = new Diagnostic("PPL2002", "b", new SourceSpan(2, 3));
        var c = new Diagnostic("PPL2003", "c", new SourceSpan(10, 12));
        Assert.Equal([b, a, c], DiagnosticRenderer.InSourceOrder([a, b, c]));
    }
}
