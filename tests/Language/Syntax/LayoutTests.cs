using Ppl.Language.Diagnostics;
using Ppl.Language.Syntax;
using Ppl.Language.Text;

namespace Ppl.Language.Tests.Syntax;

public class LayoutTests
{
    [Fact]
    public void Apply_NewlineInsideBrackets_BecomesBlankAndLengthIsKept()
    {
        var file = new SourceFile("t.ppl", "a(\n1)\nb // c\n");
        var (text, errors) = Layout.Apply(file);
        Assert.Empty(errors);
        Assert.Equal(file.Text.Length, text.Length);
        Assert.Equal("a( 1)\nb     \n", text);
    }

    [Theory]
    [InlineData("model M { f(1 }", ErrorCode.UnclosedBracket, 12)]
    [InlineData("model M { f(1)) }", ErrorCode.UnmatchedBracket, 15)]
    [InlineData("model M { x[1) }", ErrorCode.MismatchedBracket, 14)]
    [InlineData("model M { a # b }", ErrorCode.InvalidCharacter, 13)]
    [InlineData("model M {", ErrorCode.UnclosedBracket, 9)]
    public void Apply_BracketMistakes_ReportedAtTheRightColumn(string text, string code, int column)
    {
        var file = new SourceFile("t.ppl", text);
        var d = Assert.Single(Layout.Apply(file).Errors);
        Assert.Equal(code, d.Code);
        Assert.Equal((1, column), file.Position(d.Span.Start));
    }
}
