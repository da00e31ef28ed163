using System.Reflection;
using System.Text.RegularExpressions;
using Ppl.Language.Diagnostics;
using Ppl.Language.Semantics;
using Ppl.Language.Syntax;
using Ppl.Language.Text;

namespace Ppl.Language.Tests;

/// <summary>
/// docs/language.md keeps its word: every <c>ppl</c> example in it checks, every built-in name, keyword and
/// activation is shown in some example, and its table of diagnostic codes is exactly <see cref="ErrorCode"/>'s.
/// </summary>
public partial class LanguageReferenceTests
{
    static readonly string Text = File.ReadAllText(Path.Combine(TestPaths.Root, "docs", "language.md")).Replace("\r\n", "\n");

    [GeneratedRegex(@"```ppl\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex PplBlock();

    static IReadOnlyList<string> Examples() => PplBlock().Matches(Text).Select(m => m.Groups[1].Value).ToList();

    public static TheoryData<int> ExampleIndices() => new(Enumerable.Range(0, Examples().Count));

    [Theory]
    [MemberData(nameof(ExampleIndices))]
    public void Example_Checks_WithoutDiagnostics(int index)
    {
        var file = new SourceFile($"docs/language.md example {index + 1}", Examples()[index]);
        var result = Compiler.Check(file);
        Assert.True(result.Succeeded, DiagnosticRenderer.RenderAll(file, result.Diagnostics));
    }

    [Fact]
    public void Examples_UseEveryBuiltinNameKeywordAndActivation()
    {
        string all = string.Join("\n", Examples());
        var names = Builtins.Distributions.Keys.Select(d => d + "(")
            .Concat(Builtins.Functions.Keys.Select(f => f + "("))
            .Concat(Builtins.Flows.Keys.Select(f => "then " + f + "("))
            .Concat(Builtins.NetKinds.Select(k => k + "("))
            .Concat(Builtins.Activations.Skip(1).Select(a => "activation: " + a))
            .Concat(Builtins.TypeNames.Select(t => t.Length > 4 ? t + "[" : t))
            .Concat(Grammar.Keywords);
        var missing = names.Where(n => !Regex.IsMatch(all, @"(?<![A-Za-z_])" + Regex.Escape(n) + (char.IsLetter(n[^1]) ? @"(?![A-Za-z_0-9])" : ""))).ToList();
        Assert.True(missing.Count == 0, "no example shows: " + string.Join(", ", missing));
    }

    [Fact]
    public void CodeTable_ListsExactlyTheErrorCodes()
    {
        var codes = typeof(ErrorCode).GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => (string)f.GetRawConstantValue()!).Order().ToList();
        var documented = Regex.Matches(Text, @"^\| (PPL\d{4}) \|", RegexOptions.Multiline).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(codes, documented);
    }

    /// <summary>The table itself is kept current by <c>BuiltinsReferenceTests.Markdown_OfTheBuiltinsTable_MatchesGolden</c>.</summary>
    [Fact]
    public void BuiltinsLink_PointsAtTheGeneratedTable()
    {
        Assert.Contains("](builtins.md)", Text, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(TestPaths.Root, "docs", "builtins.md")));
    }
}
