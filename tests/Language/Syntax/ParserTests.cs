using Ppl.Language.Diagnostics;
using Ppl.Language.Syntax;
using Ppl.Language.Text;

namespace Ppl.Language.Tests.Syntax;

public class ParserTests
{
    static ProgramSyntax ParseOk(string text)
    {
        var file = new SourceFile("t.ppl", text);
        var (tree, diagnostics) = Parser.Parse(file);
        Assert.True(tree is not null, DiagnosticRenderer.RenderAll(file, diagnostics));
        return tree!;
    }

    static Diagnostic ParseError(string text)
    {
        var (tree, diagnostics) = Parser.Parse(new SourceFile("t.ppl", text));
        Assert.Null(tree);
        return diagnostics[0];
    }

    static Statement Single(string statement) => Assert.Single(ParseOk($"model M {{\n  {statement}\n}}").Blocks[0].Body);

    [Fact]
    public void Span_OfStatementAndSubexpression_CoversExactText()
    {
        const string text = "model M {\n  y ~ Normal(mu + 1, sigma)\n}";
        var file = new SourceFile("t.ppl", text);
        var s = (SampleStmt)ParseOk(text).Blocks[0].Body[0];
        Assert.Equal("y ~ Normal(mu + 1, sigma)", file.Slice(s.Span));
        Assert.Equal("Normal(mu + 1, sigma)", file.Slice(s.Distribution.Span));
        Assert.Equal("mu + 1", file.Slice(s.Distribution.Args[0].Value.Span));
        Assert.Equal("Normal", file.Slice(s.Distribution.Callee.Span));
        Assert.Equal((2, 3), file.Position(s.Span.Start));
    }

    [Fact]
    public void Span_OfIndexedPostfix_IncludesBrackets()
    {
        var file = new SourceFile("t.ppl", "model M {\n  let a = x[n][0:2]\n}");
        var let = (LetStmt)ParseOk(file.Text).Blocks[0].Body[0];
        Assert.Equal("x[n][0:2]", file.Slice(let.Value.Span));
        Assert.Equal("x[n]", file.Slice(((IndexExpr)let.Value).Target.Span));
    }

    [Theory]
    [InlineData("let a = 1 - 2 - 3", "(- (- 1 2) 3)")]
    [InlineData("let a = 2 ^ 3 ^ 4", "(^ 2 (^ 3 4))")]
    [InlineData("let a = -x ^ 2", "(neg (^ x 2))")]
    [InlineData("let a = a || b && c", "(|| a (&& b c))")]
    [InlineData("let a = !a && b", "(&& (! a) b)")]
    [InlineData("let a = x[1:]", "x[1:]")]
    [InlineData("let a = x[:, 2]", "x[:, 2]")]
    [InlineData("let a = 1.5e-3", "0.0015")]
    [InlineData("let a = 3.0", "3.0")]
    public void Expression_Precedence_ParsesAsExpected(string statement, string expected) =>
        Assert.Equal(expected, SyntaxPrinter.Expr(((LetStmt)Single(statement)).Value));

    [Fact]
    public void Number_RangeAfterInt_IsNotADecimalPoint()
    {
        var f = (ForStmt)Single("for i in 0..N {\n  }");
        Assert.Equal("0", SyntaxPrinter.Expr(f.From));
        Assert.Equal("N", SyntaxPrinter.Expr(f.To));
    }

    [Fact]
    public void Keyword_AsPrefixOfName_IsAName()
    {
        var s = (SampleStmt)Single("letter ~ Normal(0, 1)");
        Assert.Equal("letter", ((NameExpr)s.Target).Name);
    }

    [Fact]
    public void NamedArgument_BeforeExpression_KeepsName()
    {
        var s = (SampleStmt)Single("y ~ Bernoulli(logits: h)");
        Assert.Equal("logits", s.Distribution.Args[0].Name!.Name);
    }

    [Fact]
    public void Newline_InsideParentheses_IsWhitespace()
    {
        var s = (SampleStmt)Single("y ~ Normal(\n    0,\n    1)");
        Assert.Equal(2, s.Distribution.Args.Count);
    }

    [Fact]
    public void Newline_AfterBinaryOperatorAtTopLevel_EndsStatementWithError()
    {
        var d = ParseError("model M {\n  let a = 1 +\n    2\n}");
        Assert.Equal(ErrorCode.Syntax, d.Code);
        Assert.Contains("expected expression", d.Message);
    }

    [Fact]
    public void Else_OnNextLine_Attaches()
    {
        var i = (IfStmt)Single("if a {\n  }\n  else {\n  }");
        Assert.NotNull(i.Else);
    }

    [Fact]
    public void Flows_ChainedWithThen_AreCollectedInOrder()
    {
        var s = (SampleStmt)Single("z ~ Normal(0, 1) then Planar(2) then Iaf(1, hidden: 8)");
        Assert.Equal(["Planar", "Iaf"], s.Flows.Select(f => f.Callee.Name));
    }

    [Fact]
    public void Comment_ContainingBrackets_IsIgnored()
    {
        var p = ParseOk("// ( [ {\nmodel M { // }\n  mu ~ Normal(0, 1) // )\n}");
        Assert.Single(p.Blocks[0].Body);
    }

    [Fact]
    public void SyntaxError_InTwoStatements_BothReported()
    {
        var (_, diagnostics) = Parser.Parse(new SourceFile("t.ppl", "model M {\n  let a = (1 + )\n  let b = 2 3\n}"));
        Assert.Equal(2, diagnostics.Count);
    }

    [Fact]
    public void SyntaxError_AfterWhitespace_PointsAtTheToken()
    {
        var file = new SourceFile("t.ppl", "model M {\n  y ~ Normal(0, 1)    junk\n}");
        var d = ParseError(file.Text);
        Assert.Equal((2, 23), file.Position(d.Span.Start));
        Assert.Equal("junk", file.Slice(d.Span));
    }

    [Fact]
    public void EmptyFile_ParsesToNoBlocks() => Assert.Empty(ParseOk("  // nothing\n\n").Blocks);
}
