using Ppl.Language.Build;
using Ppl.Language.Diagnostics;
using Ppl.Language.Emit;
using Ppl.Language.Text;

namespace Ppl.Language.Tests.Build;

public sealed class RoslynBuilderTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("ppl-roslyn-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Fact]
    public void Build_GeneratedCodeThatDoesNotCompile_IsAnInternalErrorAtThePplLineNamingTheGeneratedFile()
    {
        // Stands in for an emitter bug: a statement mapped by #line to line 2 of the .ppl file uses an undefined name.
        var file = new SourceFile("m.ppl", "model M {\n  mu ~ Normal(0, 1)\n}\n");
        const string source = "namespace Ppl.Generated\n{\n    public static class Broken\n    {\n        public static int F()\n        {\n#line 2 \"m.ppl\"\n            return undefined_name;\n        }\n    }\n}\n";
        string generated = Path.Combine(dir, "obj", "ppl", "m.g.cs");
        var result = RoslynBuilder.Build(new GeneratedSource(source, "hash", new Dictionary<string, string>(), []), file, new CompileOptions(generated, Path.Combine(dir, "cache")));

        Assert.Null(result.Value);
        var d = Assert.Single(result.Diagnostics);
        Assert.Equal(ErrorCode.GeneratedCode, d.Code);
        Assert.True(d.IsInternal);
        Assert.Equal(2, file.Position(d.Span.Start).Line);
        Assert.Contains("CS0103", d.Message);
        Assert.Contains(generated + ":8", d.Help);
        Assert.True(File.Exists(generated), "the generated file is kept on disk for reading");
    }

    [Fact]
    public void RuntimeSupport_MissingTypeOrMember_IsOnePpl3003PerPieceAtItsSpan()
    {
        var at = new SourceSpan(10, 14);
        var diagnostics = RuntimeSupport.Check(new GeneratedSource("", "hash", new Dictionary<string, string>(),
        [
            new RuntimeRequirement("Ppl.Runtime.Distributions.NoSuchDistribution", null, at, "the NoSuch distribution"),
            new RuntimeRequirement("Ppl.Runtime.Distributions.NoSuchDistribution", null, at, "the NoSuch distribution"),
            new RuntimeRequirement("Ppl.Runtime.Distributions.Bernoulli", "FromNothing", at, "Bernoulli.FromNothing"),
            new RuntimeRequirement("Ppl.Runtime.Distributions.Bernoulli", "FromLogits", at, "Bernoulli.FromLogits"),
        ])).Diagnostics;
        Assert.Equal(2, diagnostics.Count);
        Assert.All(diagnostics, d => Assert.Equal((ErrorCode.RuntimeMissing, at), (d.Code, d.Span)));
        Assert.Contains("FromNothing", diagnostics[1].Message);
    }
}
