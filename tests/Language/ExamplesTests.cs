using Ppl.Language.Diagnostics;
using Ppl.Language.Semantics;

namespace Ppl.Language.Tests;

/// <summary>Every example under examples/ parses and checks; its checked dump is golden.</summary>
public class ExamplesTests
{
    [Theory]
    [MemberData(nameof(TestPaths.ExampleFiles), MemberType = typeof(TestPaths))]
    public void Example_Checks_WithoutDiagnostics(string path)
    {
        var file = TestPaths.Source(path);
        var result = Compiler.Check(file);
        Assert.True(result.Succeeded, DiagnosticRenderer.RenderAll(file, result.Diagnostics));
        Assert.NotEmpty(result.Value!.Models);
    }

    [Theory]
    [MemberData(nameof(TestPaths.ExampleFiles), MemberType = typeof(TestPaths))]
    public void Example_CheckedDump_MatchesGolden(string path)
    {
        var file = TestPaths.Source(path);
        var result = Compiler.Check(file);
        Assert.True(result.Succeeded, DiagnosticRenderer.RenderAll(file, result.Diagnostics));
        string name = Path.GetFileNameWithoutExtension(path);
        TestPaths.AssertGolden(Path.Combine(TestPaths.Cases, "examples", name + ".checked"), CheckedPrinter.Print(result.Value!));
    }
}
