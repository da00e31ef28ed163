using Ppl.Language.Diagnostics;
using Ppl.Language.Syntax;

namespace Ppl.Language.Tests.Syntax;

/// <summary>
/// Golden syntax dumps: Cases/good/*.ppl against *.ast beside them, and every example against
/// Cases/examples/*.ast. PPL_ACCEPT=1 rewrites them for review.
/// </summary>
public class GoldenSyntaxTests
{
    public static IEnumerable<object[]> GoodCases() =>
        Directory.GetFiles(Path.Combine(TestPaths.Cases, "good"), "*.ppl").Order(StringComparer.Ordinal)
            .Select(f => new object[] { Path.GetRelativePath(TestPaths.Root, f) });

    [Theory]
    [MemberData(nameof(GoodCases))]
    public void GoodCase_SyntaxDump_MatchesGolden(string path)
    {
        var file = TestPaths.Source(path);
        var (tree, diagnostics) = Parser.Parse(file);
        Assert.True(tree is not null, DiagnosticRenderer.RenderAll(file, diagnostics));
        TestPaths.AssertGolden(Path.ChangeExtension(Path.Combine(TestPaths.Root, path), ".ast"), SyntaxPrinter.Print(tree!, file));
    }

    [Theory]
    [MemberData(nameof(GoodCases))]
    public void GoodCase_Check_Succeeds(string path)
    {
        var file = TestPaths.Source(path);
        var result = Compiler.Check(file);
        Assert.True(result.Succeeded, DiagnosticRenderer.RenderAll(file, result.Diagnostics));
    }

    [Theory]
    [MemberData(nameof(TestPaths.ExampleFiles), MemberType = typeof(TestPaths))]
    public void Example_SyntaxDump_MatchesGolden(string path)
    {
        var file = TestPaths.Source(path);
        var (tree, diagnostics) = Parser.Parse(file);
        Assert.True(tree is not null, DiagnosticRenderer.RenderAll(file, diagnostics));
        TestPaths.AssertGolden(Path.Combine(TestPaths.Cases, "examples", Path.GetFileNameWithoutExtension(path) + ".ast"), SyntaxPrinter.Print(tree!, file));
    }
}
