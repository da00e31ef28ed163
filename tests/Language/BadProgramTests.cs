using Ppl.Language.Diagnostics;
using Ppl.Language.Text;

namespace Ppl.Language.Tests;

/// <summary>
/// The corpus of broken programs, Cases/bad/*.ppl. Each file ends with one <c>// expect: CODE LINE:COL</c>
/// line per diagnostic, in source order; the run must report exactly those. PPL_ACCEPT=1 rewrites the
/// expectations from the current output (review the diff), and Cases/bad/all.txt keeps the rendered
/// messages so a change in wording shows up in review too.
/// </summary>
public class BadProgramTests
{
    const string Marker = "// expect: ";

    public static IEnumerable<object[]> Cases() =>
        Directory.GetFiles(Path.Combine(TestPaths.Cases, "bad"), "*.ppl").Order(StringComparer.Ordinal)
            .Select(f => new object[] { Path.GetFileNameWithoutExtension(f) });

    static (SourceFile File, IReadOnlyList<Diagnostic> Diagnostics) Run(string name)
    {
        string path = Path.Combine(TestPaths.Cases, "bad", name + ".ppl");
        var file = new SourceFile($"{name}.ppl", File.ReadAllText(path).Replace("\r\n", "\n"));
        return (file, Compiler.Check(file).Diagnostics);
    }

    static string Expectation(SourceFile file, Diagnostic d)
    {
        var (line, col) = file.Position(d.Span.Start);
        return $"{d.Code} {line}:{col}";
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void BadProgram_Check_ReportsExpectedDiagnostics(string name)
    {
        var (file, diagnostics) = Run(name);
        var actual = diagnostics.Select(d => Expectation(file, d)).ToList();
        string path = Path.Combine(TestPaths.Cases, "bad", name + ".ppl");
        var lines = file.Text.TrimEnd('\n').Split('\n');
        var body = lines.Where(l => !l.StartsWith(Marker, StringComparison.Ordinal)).ToList();
        var expected = lines.Where(l => l.StartsWith(Marker, StringComparison.Ordinal)).Select(l => l[Marker.Length..].Trim()).ToList();
        if (TestPaths.Accept)
        {
            File.WriteAllText(path, string.Join("\n", body.Concat(actual.Select(a => Marker + a))) + "\n");
            return;
        }
        Assert.NotEmpty(expected);
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void BadProgram_Corpus_HasAtLeastFortyCases() => Assert.True(Cases().Count() >= 40);

    [Fact]
    public void BadProgram_RenderedMessages_MatchGolden()
    {
        var sb = new System.Text.StringBuilder();
        foreach (var c in Cases())
        {
            var (file, diagnostics) = Run((string)c[0]);
            sb.Append(DiagnosticRenderer.RenderAll(file, diagnostics)).Append('\n');
        }
        TestPaths.AssertGolden(Path.Combine(TestPaths.Cases, "bad", "all.txt"), sb.ToString());
    }
}
