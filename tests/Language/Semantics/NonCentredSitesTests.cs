using Ppl.Language.Diagnostics;
using Ppl.Language.Semantics;
using Ppl.Language.Syntax;
using Ppl.Language.Text;

namespace Ppl.Language.Tests.Semantics;

public class NonCentredSitesTests
{
    /// <summary>The non-centred sites of the first block of a model with the given body (J, x, y declared as data).</summary>
    static IReadOnlyList<NonCentredSite> Find(string body)
    {
        string text = $"model M {{\n  data J: int\n  data x: real\n  data y: real[J]\n{body}\n}}";
        var file = new SourceFile("t.ppl", text);
        var result = Compiler.Check(file);
        Assert.True(result.Succeeded, DiagnosticRenderer.RenderAll(file, result.Diagnostics));
        return NonCentredSites.Find(result.Value!.Blocks[0]).Values.ToArray();
    }

    static string Text(BoundExpr? e) => e switch
    {
        null => "-",
        BoundLiteral l => l.Value.ToString(System.Globalization.CultureInfo.InvariantCulture),
        BoundVariable v => v.Symbol.Name,
        BoundCall c => $"{c.Function.Name}({string.Join(", ", c.Args.Select(Text))})",
        BoundBinary b => $"({Text(b.Left)} {SyntaxPrinter.Op(b.Op)} {Text(b.Right)})",
        _ => e.GetType().Name,
    };

    const string Globals = """
          mu ~ Normal(0, 10)
          s ~ HalfNormal(5)
          log_s ~ Normal(0, 1)
        """;

    [Theory]
    [InlineData("let a = mu + s * r\n  y ~ Normal(a, 1)", "mu", "s")]            // radon's let
    [InlineData("y ~ Normal(mu + s * r, 1)", "mu", "s")]                         // inline, in an observation
    [InlineData("let a = mu + r * s\n  y ~ Normal(a, 1)", "mu", "s")]
    [InlineData("let a = s * r + mu\n  y ~ Normal(a, 1)", "mu", "s")]
    [InlineData("let a = r * s + mu\n  y ~ Normal(a, 1)", "mu", "s")]
    [InlineData("y ~ Normal(s * r, 1)", "-", "s")]                               // no location
    [InlineData("y ~ Normal(mu + r, 1)", "mu", "-")]                             // no scale
    [InlineData("y ~ Normal(2 * mu + exp(log_s) * r, 1)", "(2 * mu)", "exp(log_s)")]   // arithmetic and functions of latents
    [InlineData("y ~ Normal(exp(mu + s * r), 1)", "mu", "s")]                    // inside a call: the one use is still affine
    [InlineData("y ~ Normal(mu + s * r[0], 1)", "mu", "s")]                      // indexed, scalar L and S
    [InlineData("plate n in J {\n    y[n] ~ Normal(mu + s * r[n], 1)\n  }", "mu", "s")]   // gathered inside a plate
    public void Find_AffineUseOfAStandardNormal_RecognisedWithItsLocAndScale(string use, string loc, string scale)
    {
        var site = Assert.Single(Find($"{Globals}\n  r: real[J] ~ Normal(0, 1)\n  {use}"));
        Assert.Equal("r", site.Site.Name);
        Assert.Equal(loc, Text(site.Loc));
        Assert.Equal(scale, Text(site.Scale));
        Assert.All(site.Inputs, i => Assert.Contains(i.Name, new[] { "mu", "s", "log_s" }));
    }

    [Fact]
    public void Find_Radon_InputsInOrderOfAppearance()
    {
        var site = Assert.Single(Find($"{Globals}\n  r: real[J] ~ Normal(0, 1)\n  let a = mu + s * r\n  y ~ Normal(a, 1)"));
        Assert.Equal(["mu", "s"], site.Inputs.Select(i => i.Name));
    }

    [Theory]
    [InlineData("r: real[J] ~ Normal(0, 1)\n  let a = mu + s * r\n  let b = sum(r)\n  y ~ Normal(a + b, 1)")]   // r used twice
    [InlineData("r: real[J] ~ Normal(0, 1)\n  y ~ Normal(mu + s * r, 1)\n  x ~ Normal(mu + s * r[0], 1)")]   // and indexed
    [InlineData("mv: real[J] ~ Normal(0, 1)\n  r: real[J] ~ Normal(0, 1)\n  y ~ Normal(mv + s * r[0], 1)")]   // indexed, with a vector L
    [InlineData("r: real[J] ~ Normal(0, 2)\n  y ~ Normal(mu + s * r, 1)")]            // not a standard normal
    [InlineData("r: real[J] ~ Normal(mu, 1)\n  y ~ Normal(mu + s * r, 1)")]           // prior not constant
    [InlineData("r: real[J] ~ Normal(0, 1)\n  y ~ Normal(x + s * r, 1)")]             // L reads data
    [InlineData("r: real[J] ~ Normal(0, 1)\n  let m2 = mu * 2\n  y ~ Normal(m2 + s * r, 1)")]   // L reads a let
    [InlineData("r: real[J] ~ Normal(0, 1)\n  t ~ HalfNormal(1)\n  y ~ Normal(mu + t * r, 1)")]   // S drawn after r
    [InlineData("r: real[J] ~ Normal(0, 1)\n  y ~ Normal(mu + r * r, 1)")]            // S is r itself
    [InlineData("r: real[J] ~ Normal(0, 1)\n  y ~ Normal(mu + s * r + r, 1)")]        // r also outside the affine
    [InlineData("plate j in J {\n    r ~ Normal(0, 1)\n    y[j] ~ Normal(mu + s * r, 1)\n  }")]   // inside a plate
    [InlineData("r: real[J] ~ Normal(0, 1)\n  y ~ Normal(r, 1)")]                      // no affine use at all
    [InlineData("r: real[J] ~ Normal(0, 1)\n  y ~ Normal(1 + 2 * r, 1)")]              // L and S read no latent
    public void Find_OtherUses_NotRecognised(string body)
    {
        Assert.Empty(Find($"{Globals}\n  {body}"));
    }

    [Fact]
    public void Find_GuideBlock_NothingRecognised()
    {
        var file = new SourceFile("t.ppl", """
            model M {
              data J: int
              data y: real[J]
              mu ~ Normal(0, 10)
              s ~ HalfNormal(5)
              r: real[J] ~ Normal(0, 1)
              y ~ Normal(mu + s * r, 1)
            }
            guide G for M {
              mu ~ Normal(0, 1)
              s ~ HalfNormal(1)
              r: real[J] ~ Normal(0, 1)
              let unused = mu + s * r
            }
            """);
        var result = Compiler.Check(file);
        Assert.True(result.Succeeded, DiagnosticRenderer.RenderAll(file, result.Diagnostics));
        Assert.Single(NonCentredSites.Find(result.Value!.Blocks[0]));
        Assert.Empty(NonCentredSites.Find(result.Value!.Blocks[1]));
    }
}
