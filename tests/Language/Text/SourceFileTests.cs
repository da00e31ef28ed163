using Ppl.Language.Text;

namespace Ppl.Language.Tests.Text;

public class SourceFileTests
{
    [Theory]
    [InlineData(0, 1, 1)]
    [InlineData(3, 1, 4)]
    [InlineData(4, 2, 1)]
    [InlineData(6, 3, 1)]
    [InlineData(99, 3, 3)]
    public void Position_Offset_IsOneBasedLineAndColumn(int offset, int line, int column)
    {
        var file = new SourceFile("t.ppl", "abc\nd\nef");
        Assert.Equal((line, column), file.Position(offset));
    }

    [Fact]
    public void LineText_WindowsLineEndings_AreTrimmed()
    {
        var file = new SourceFile("t.ppl", "one\r\ntwo\r\n");
        Assert.Equal("one", file.LineText(1));
        Assert.Equal("two", file.LineText(2));
        Assert.Equal(3, file.LineCount);
    }

    [Fact]
    public void Slice_Span_ReturnsCoveredText() => Assert.Equal("cd", new SourceFile("t", "abcdef").Slice(new SourceSpan(2, 4)));
}
