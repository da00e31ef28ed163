using System.Text.RegularExpressions;
using Ppl.Language.Diagnostics;
using Ppl.Language.Text;

namespace Ppl.Language.Tests.Syntax;

/// <summary>
/// Random token deletions, insertions and swaps over every example: the front end must never throw, and a
/// program it rejects must come with at least one diagnostic located inside the file. Seeds are fixed, so a
/// failure names a reproducible mutation.
/// </summary>
public partial class ParserFuzzTests
{
    /// <summary>60 per kind and example in the normal run; PPL_FUZZ=N runs N for a deeper local search.</summary>
    static readonly int MutationsPerKind = int.TryParse(Environment.GetEnvironmentVariable("PPL_FUZZ"), out var n) ? n : 60;

    [GeneratedRegex(@"[A-Za-z_][A-Za-z0-9_]*|\d+(\.\d+)?([eE][+-]?\d+)?|\.\.|<=|>=|==|!=|&&|\|\||//[^\n]*|\n|[^\s]")]
    private static partial Regex TokenPattern();

    static readonly bool CompileMutants = Environment.GetEnvironmentVariable("PPL_FUZZ_COMPILE") == "1";

    static readonly string[] Extra = ["(", ")", "[", "]", "{", "}", "~", ":", ",", "\n", "=", "let", "plate", "then", "..", "0", "1.5", "x", "Normal(0, 1)", "@", "^", "-"];

    public enum Mutation { Delete, Insert, Swap }

    public static IEnumerable<object[]> Cases() =>
        from path in TestPaths.ExampleFiles().Select(o => (string)o[0])
        from kind in Enum.GetValues<Mutation>()
        select new object[] { path, kind };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Mutation_AnyProgram_NeverThrowsAndLocatesErrors(string path, Mutation kind)
    {
        string text = TestPaths.Source(path).Text;
        var tokens = TokenPattern().Matches(text).ToList();
        var rng = new Random(HashCode.Combine(path.Length, (int)kind, 12345));
        for (int k = 0; k < MutationsPerKind; k++)
        {
            string mutated = Mutate(text, tokens, kind, rng);
            var file = new SourceFile("fuzz.ppl", mutated);
            StageResult<Ppl.Language.Semantics.CheckedProgram> result;
            try
            {
                result = Compiler.Check(file);
            }
            catch (Exception e)
            {
                Assert.Fail($"{kind} mutation {k} of {path} threw {e.GetType().Name}: {e.Message}\n--- program ---\n{mutated}");
                return;
            }
            if (result.Succeeded)
            {
                // A mutant the checker accepts must also emit, and (PPL_FUZZ_COMPILE=1, slow) compile cleanly.
                var generated = Ppl.Language.Emit.CSharpEmitter.Emit(result.Value!, "fuzz").Value!;
                if (CompileMutants)
                {
                    var errors = Ppl.Language.Build.RoslynBuilder.Errors(generated.Source);
                    if (errors.Count > 0) Assert.Fail($"{kind} mutation {k} of {path} passes the checker but its C# has {errors[0].Id}: {errors[0].Message}\n--- program ---\n{mutated}");
                }
                continue;
            }
            Assert.NotEmpty(result.Diagnostics);
            foreach (var d in result.Diagnostics)
            {
                Assert.InRange(d.Span.Start, 0, mutated.Length);
                Assert.InRange(d.Span.End, d.Span.Start, mutated.Length);
                Assert.StartsWith("fuzz.ppl:", DiagnosticRenderer.Render(file, d));
            }
        }
    }

    static string Mutate(string text, List<Match> tokens, Mutation kind, Random rng)
    {
        var t = tokens[rng.Next(tokens.Count)];
        switch (kind)
        {
            case Mutation.Delete:
                return text.Remove(t.Index, t.Length);
            case Mutation.Insert:
                string extra = rng.Next(2) == 0 ? Extra[rng.Next(Extra.Length)] : tokens[rng.Next(tokens.Count)].Value;
                return text.Insert(t.Index, extra + " ");
            default:
                int j = tokens.IndexOf(t);
                if (j + 1 >= tokens.Count) return text.Remove(t.Index, t.Length);
                var u = tokens[j + 1];
                return text[..t.Index] + u.Value + text[(t.Index + t.Length)..u.Index] + t.Value + text[(u.Index + u.Length)..];
        }
    }

    [Fact]
    public void DeepNesting_ThousandsOfParentheses_ReportsTooDeepWithoutCrashing()
    {
        string expr = new string('(', 5000) + "1" + new string(')', 5000);
        var file = new SourceFile("deep.ppl", $"model M {{\n  let a = {expr}\n}}\n");
        var result = Compiler.Check(file);
        Assert.Equal(ErrorCode.TooDeep, Assert.Single(result.Diagnostics).Code);
    }

    [Fact]
    public void LongFile_TenThousandStatements_Parses()
    {
        var sb = new System.Text.StringBuilder("model M {\n");
        for (int k = 0; k < 10_000; k++) sb.Append($"  let a{k} = {k}\n");
        sb.Append("}\n");
        var result = Compiler.Check(new SourceFile("long.ppl", sb.ToString()));
        Assert.True(result.Succeeded);
    }
}
