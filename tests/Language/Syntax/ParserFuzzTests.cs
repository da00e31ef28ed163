using System.Text.RegularExpressions;
using Ppl.Language.Diagnostics;
using Ppl.Language.Text;

namespace Ppl.Language.Tests.Syntax;

/// <summary>
/// Random token deletions, insertions and swaps over every example: the front end must never throw, and a
/// program it rejects must come with at least one diagnostic located inside the file. Every mutant has its own fixed
/// seed, a stable hash of the example, the kind and the mutant's number (not <see cref="HashCode"/>, which .NET
/// randomises per process), so every run tests the same mutants and a failure names the seed that replays it.
/// </summary>
public partial class ParserFuzzTests
{
    /// <summary>60 per kind and example in the normal run; PPL_FUZZ=N runs N for a deeper local search.</summary>
    static readonly int MutationsPerKind = int.TryParse(Environment.GetEnvironmentVariable("PPL_FUZZ"), out var n) ? n : 60;

    /// <summary>PPL_FUZZ_SEED=S runs the one mutant of seed S for each example and kind (replays a reported failure).</summary>
    static readonly int? ReplaySeed = int.TryParse(Environment.GetEnvironmentVariable("PPL_FUZZ_SEED"), out var r) ? r : null;

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
        int count = ReplaySeed is null ? MutationsPerKind : 1;
        for (int k = 0; k < count; k++)
        {
            int seed = ReplaySeed ?? Seed(path, kind, k);
            string mutated = Mutate(text, tokens, kind, new Random(seed));
            string what = $"{kind} mutation {k} of {path} (seed {seed}; replay with PPL_FUZZ_SEED={seed})";
            var file = new SourceFile("fuzz.ppl", mutated);
            StageResult<Ppl.Language.Semantics.CheckedProgram> result;
            try
            {
                result = Compiler.Check(file);
            }
            catch (Exception e)
            {
                Assert.Fail($"{what} threw {e.GetType().Name}: {e.Message}\n--- program ---\n{mutated}");
                return;
            }
            if (result.Succeeded)
            {
                // A mutant the checker accepts must also emit, and (PPL_FUZZ_COMPILE=1, slow) compile cleanly.
                var generated = Ppl.Language.Emit.CSharpEmitter.Emit(result.Value!, "fuzz").Value!;
                if (CompileMutants)
                {
                    var errors = Ppl.Language.Build.RoslynBuilder.Errors(generated.Source);
                    if (errors.Count > 0) Assert.Fail($"{what} passes the checker but its C# has {errors[0].Id}: {errors[0].Message}\n--- program ---\n{mutated}");
                }
                continue;
            }
            if (result.Diagnostics.Count == 0) Assert.Fail($"{what} is rejected without a diagnostic\n--- program ---\n{mutated}");
            foreach (var d in result.Diagnostics)
            {
                if (d.Span.Start < 0 || d.Span.End < d.Span.Start || d.Span.End > mutated.Length)
                    Assert.Fail($"{what}: {d.Code} at [{d.Span.Start}, {d.Span.End}) lies outside the {mutated.Length}-character file\n--- program ---\n{mutated}");
                string rendered = DiagnosticRenderer.Render(file, d);
                if (!rendered.StartsWith("fuzz.ppl:", StringComparison.Ordinal))
                    Assert.Fail($"{what}: diagnostic not located in the file: {rendered}");
            }
        }
    }

    /// <summary>
    /// The seed of mutant <paramref name="k"/>: 32-bit FNV-1a of <c>example/kind/k</c> in UTF-8 (the example's path
    /// with '/' separators), the sign bit cleared.
    /// </summary>
    static int Seed(string path, Mutation kind, int k) => (int)(Fnv1a($"{path.Replace('\\', '/')}/{kind}/{k}") & 0x7fff_ffff);

    static uint Fnv1a(string s)
    {
        uint h = 2166136261;
        foreach (byte b in System.Text.Encoding.UTF8.GetBytes(s)) { h ^= b; h *= 16777619; }
        return h;
    }

    [Fact]
    public void Seed_SameInputs_SameSeedAndDistinctPerMutant()
    {
        // Published FNV-1a 32-bit test vectors: a stable hash, whatever the process.
        Assert.Equal(0xe40c292cu, Fnv1a("a"));
        Assert.Equal(0xbf9cf968u, Fnv1a("foobar"));
        var seeds = (from path in TestPaths.ExampleFiles().Select(o => (string)o[0])
                     from kind in Enum.GetValues<Mutation>()
                     from k in Enumerable.Range(0, 60)
                     select Seed(path, kind, k)).ToList();
        Assert.Equal(seeds.Count, seeds.Distinct().Count());
        Assert.Equal(Seed("examples/coin.ppl", Mutation.Swap, 3), Seed("examples\\coin.ppl", Mutation.Swap, 3));
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
