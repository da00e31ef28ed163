using Ppl.Language.Diagnostics;
using Ppl.Language.Text;

namespace Ppl.Language.Tests;

public class StageResultTests
{
    static readonly Diagnostic Failure = new(ErrorCode.Syntax, "broken", SourceSpan.At(0));

    [Fact]
    public void Then_AfterASuccessfulStage_RunsTheNextOnItsValue()
    {
        var next = StageResult<string>.Ok("model").Then(s => StageResult<string>.Ok(s + " checked"));
        Assert.True(next.Succeeded);
        Assert.Equal("model checked", next.Value);
    }

    [Fact]
    public void Then_AfterAFailedStage_PassesItsDiagnosticsOnWithoutRunningTheNext()
    {
        bool ran = false;
        var next = new StageResult<string>(null, [Failure]).Then(s => { ran = true; return StageResult<string>.Ok(s); });
        Assert.False(ran);
        Assert.False(next.Succeeded);
        Assert.Equal([Failure], next.Diagnostics);
    }

    [Fact]
    public void Compile_WithACheckError_StopsAfterTheCheckerKeepingTheSyntaxTree()
    {
        var file = new SourceFile("m.ppl", "model M {\n  y ~ Normal(mu, 1)\n}\n");
        var result = Compiler.Compile(file, new Ppl.Language.Build.CompileOptions(Path.Combine(Path.GetTempPath(), "unused.g.cs"), Path.GetTempPath()));
        Assert.NotNull(result.Syntax);
        Assert.Null(result.Checked);
        Assert.Null(result.Generated);
        Assert.Equal(ErrorCode.UnknownName, Assert.Single(result.Diagnostics).Code);
    }
}
