using Ppl.Language.Diagnostics;
using Ppl.Language.Semantics;
using Ppl.Language.Text;

namespace Ppl.Language.Tests.Semantics;

public class CheckerTests
{
    static CheckedProgram CheckOk(string text)
    {
        var file = new SourceFile("t.ppl", text);
        var result = Compiler.Check(file);
        Assert.True(result.Succeeded, DiagnosticRenderer.RenderAll(file, result.Diagnostics));
        return result.Value!;
    }

    static IReadOnlyList<Diagnostic> CheckErrors(string text) => Compiler.Check(new SourceFile("t.ppl", text)).Diagnostics;

    /// <summary>The checked type of <c>let probe = EXPR</c> at the end of a model with the given declarations.</summary>
    static (ExprType Type, BoundExpr Value) Probe(string declarations, string expr)
    {
        var program = CheckOk($"model M {{\n{declarations}\n  let probe = {expr}\n}}");
        var let = program.Blocks[0].Body.OfType<BoundLet>().Single(l => l.Symbol.Name == "probe");
        return (let.Value.Type, let.Value);
    }

    const string Decls = """
          data N: int
          data K: int
          data x: real[N, 784]
          data idx: int[N]
          data m: real[K, N]
          mu: real[K] ~ Normal(0, 1)
        """;

    [Theory]
    [InlineData("x[0]", "real[784]")]
    [InlineData("x[0, 3]", "real")]
    [InlineData("x[2:10]", "real[8, 784]")]
    [InlineData("x[:, 0:20]", "real[N, 20]")]
    [InlineData("x[1:, 0]", "real[N - 1]")]
    [InlineData("mu[idx]", "real[N]")]
    [InlineData("m @ x", "real[K, 784]")]
    [InlineData("m @ x[:, 0]", "real[K]")]
    [InlineData("transpose(m)", "real[N, K]")]
    [InlineData("sum(x)", "real")]
    [InlineData("sum(idx)", "int")]
    [InlineData("softmax(mu)", "real[K]")]
    [InlineData("zeros(N, 2 * K)", "real[N, 2 * K]")]
    [InlineData("size(x)", "int")]
    [InlineData("idx + 1", "int[N]")]
    [InlineData("idx / 2", "real[N]")]
    [InlineData("x > 0", "bool[N, 784]")]
    [InlineData("[mu, mu]", "real[2, K]")]
    [InlineData("where(mu > 0, mu, 0)", "real[K]")]
    [InlineData("x[0] + mu[0]", "real[784]")]
    public void Expression_Type_IsInferredOverDataSizes(string expr, string expected) =>
        Assert.Equal(expected, Probe(Decls, expr).Type.ToString());

    [Fact]
    public void Let_FromDataAlone_IsDataAndNotReported()
    {
        var program = CheckOk("model M {\n  data x: real[3]\n  let y = x * 2\n  y ~ Normal(0, 1)\n}");
        var let = program.Blocks[0].Body.OfType<BoundLet>().Single();
        Assert.True(let.Symbol.IsData);
        Assert.False(let.Reported);
        Assert.True(program.Blocks[0].Body.OfType<BoundSample>().Single().IsObserved);
    }

    [Fact]
    public void Sample_NewName_IsLatent_DataName_IsObserved()
    {
        var model = CheckOk("model M {\n  data y: real\n  mu ~ Normal(0, 1)\n  y ~ Normal(mu, 1)\n}").Blocks[0];
        Assert.Equal(["mu"], model.Latents.Select(l => l.Name));
        Assert.Equal(["y"], model.Observed.Select(o => o.Name));
    }

    [Fact]
    public void Sample_ExpressionOfData_IsObservedUnderTheDataName()
    {
        var model = CheckOk("model M {\n  data N: int\n  data x: real[N, 4]\n  plate n in N {\n    x[n] / 255 ~ Bernoulli(logits: zeros(4))\n  }\n}").Blocks[0];
        var o = Assert.Single(model.Observed);
        Assert.Equal("x", o.Name);
        Assert.Equal("n", Assert.Single(o.Plates).Name);
        Assert.Equal("[4]", o.Value!.Type.Shape.ToString());
    }

    [Fact]
    public void Plate_SiteIndexedByPlateVariable_CarriesPlateAndElementShape()
    {
        var model = CheckOk("model M {\n  data N: int\n  plate n in N subsample 10 {\n    z[n] ~ Normal(zeros(3), 1)\n    let w = z[n] * 2\n  }\n}").Blocks[0];
        var z = Assert.Single(model.Latents);
        Assert.Equal("real[3]", z.Type.ToString());
        Assert.Equal("n", Assert.Single(z.Plates).Name);
        var plate = Assert.Single(model.Body.OfType<BoundPlate>());
        Assert.Equal("N", plate.Plate.SizeDim.Text);
    }

    /// <summary>The per-element type and the plates of <c>let probe = EXPR</c> inside <c>plate i in I { plate j in J { ... } }</c>.</summary>
    static (string Type, string Plates) PlatedProbe(string expr)
    {
        var model = CheckOk($$"""
            model M {
              data I: int
              data J: int
              data K: int
              data X: real[I, K]
              data A: real[I, J, 2, K]
              data g: int[I]
              beta: real[K] ~ Normal(0, 1)
              plate i in I {
                w[i] ~ Normal(beta, 1)
                z[i] ~ Categorical(softmax(w[i]))
                plate j in J {
                  let probe = {{expr}}
                }
              }
            }
            """).Blocks[0];
        var let = model.Body.OfType<BoundPlate>().Single().Body.OfType<BoundPlate>().Single().Body.OfType<BoundLet>().Single();
        return (let.Value.Type.ToString(), string.Join(",", let.Value.Plates.Select(p => p.Name)));
    }

    [Theory]
    [InlineData("X[i] @ beta", "real", "i")]
    [InlineData("A[i, j] @ w[i]", "real[2]", "i,j")]
    [InlineData("beta @ transpose(A[i, j])", "real[2]", "i,j")]
    [InlineData("transpose(A[i, j])", "real[K, 2]", "i,j")]
    [InlineData("sum(A[i, j]) + logsumexp(w[i])", "real", "i,j")]
    [InlineData("dot(X[i], w[i])", "real", "i")]
    [InlineData("w[z[i]]", "real", "i")]
    [InlineData("X[i, z[i]]", "real", "i")]
    [InlineData("A[i, j, 0, z[i]]", "real", "i,j")]
    public void InsidePlates_ProductsReductionsAndPicks_ArePerElement(string expr, string type, string plates) =>
        Assert.Equal((type, plates), PlatedProbe(expr));

    [Fact]
    public void Gather_ByDiscreteSiteInPlate_VariesOverThePlate()
    {
        var model = CheckOk("model M {\n  data N: int\n  data x: real[N]\n  mu: real[3] ~ Normal(0, 1)\n  plate n in N {\n    z[n] ~ Categorical(ones(3) / 3)\n    x[n] ~ Normal(mu[z[n]], 1)\n  }\n}").Blocks[0];
        var obs = Assert.Single(model.Observed);
        var loc = obs.Distribution.Args[0];
        Assert.Equal("real", loc.Type.ToString());
        Assert.Equal("n", Assert.Single(loc.Plates).Name);
    }

    [Fact]
    public void ForLoop_ElementwiseFamily_SharesOneSymbol()
    {
        var model = CheckOk("model M {\n  data T: int\n  z[0] ~ Normal(0, 1)\n  for t in 1..T {\n    z[t] ~ Normal(z[t - 1], 1)\n  }\n}").Blocks[0];
        var z = Assert.Single(model.Latents);
        Assert.Equal(1, z.ElementIndices);
    }

    [Fact]
    public void IfElse_SameSiteInBothBranches_IsAllowed() =>
        CheckOk("model M {\n  data k: int\n  if k > 0 {\n    mu ~ Normal(0, 1)\n  } else {\n    mu ~ Normal(1, 1)\n  }\n}");

    [Fact]
    public void DataSize_FixedByAnotherItemsShape_IsRecorded()
    {
        var model = CheckOk("model M {\n  data N: int\n  data x: real[N, 784]\n}").Blocks[0];
        var n = model.Data.Single(d => d.Name == "N");
        var (item, axis) = Assert.Single(n.SizeSources);
        Assert.Equal("x", item.Name);
        Assert.Equal(0, axis);
    }

    [Theory]
    [InlineData("y ~ Bernoulli(p)", "FromProbs")]
    [InlineData("y ~ Bernoulli(logits: p)", "FromLogits")]
    [InlineData("y ~ Bernoulli(probs: p)", "FromProbs")]
    public void Distribution_Parameterisation_ChosenByArgumentNames(string statement, string factory)
    {
        var model = CheckOk($"model M {{\n  data y: int\n  p ~ Beta(1, 1)\n  {statement}\n}}").Blocks[0];
        Assert.Equal(factory, Assert.Single(model.Observed).Distribution.Signature.Factory);
    }

    [Fact]
    public void Distribution_BatchAndEventShapes_FollowParameters()
    {
        var model = CheckOk("model M {\n  data K: int\n  data D: int\n  w ~ Dirichlet(ones(K))\n  v ~ MultivariateNormal(zeros(D), cov: zeros(D, D))\n  c ~ Categorical(zeros(2, K) + 1)\n}").Blocks[0];
        var samples = model.Body.OfType<BoundSample>().ToList();
        Assert.Equal(("[]", "[K]"), (samples[0].Distribution.BatchShape.ToString(), samples[0].Distribution.EventShape.ToString()));
        Assert.Equal(("[]", "[D]"), (samples[1].Distribution.BatchShape.ToString(), samples[1].Distribution.EventShape.ToString()));
        Assert.Equal(("[2]", "[]"), (samples[2].Distribution.BatchShape.ToString(), samples[2].Distribution.EventShape.ToString()));
        Assert.Equal(ScalarKind.Int, model.Latents[2].Type.Kind);
    }

    [Fact]
    public void Guide_MatchingModel_LinksAndSharesData()
    {
        var program = CheckOk("model M {\n  data J: int\n  theta: real[J] ~ Normal(0, 1)\n}\nguide G for M {\n  param loc: real[J]\n  theta ~ Normal(loc, 1)\n}");
        var guide = program.Guides.Single();
        Assert.Same(program.Models.Single(), guide.Model);
        Assert.Same(program.Models.Single(), program.FindModel(null));
        Assert.Same(guide, program.GuideFor(program.Models.Single()));
    }

    [Fact]
    public void Errors_InSeveralStatements_AllReportedInSourceOrder()
    {
        var errors = CheckErrors("model M {\n  a ~ Nromal(0, 1)\n  let b = c + 1\n  d ~ Normal(0, -2)\n}");
        Assert.Equal([ErrorCode.UnknownDistribution, ErrorCode.UnknownName, ErrorCode.InvalidValue], errors.Select(e => e.Code));
    }

    [Fact]
    public void Error_InExpression_IsReportedOnceNotAtEveryUse()
    {
        var errors = CheckErrors("model M {\n  let a = undefined_name * 2\n  let b = a + 1\n  y ~ Normal(b, 1)\n}");
        Assert.Equal(ErrorCode.UnknownName, Assert.Single(errors).Code);
    }
}

public class BuiltinsReferenceTests
{
    [Fact]
    public void Markdown_OfTheBuiltinsTable_MatchesGolden() =>
        TestPaths.AssertGolden(Path.Combine(TestPaths.Root, "docs", "builtins.md"), BuiltinsReference.Markdown());

    [Fact]
    public void Markdown_ListsEveryDistributionOfTheLanguage()
    {
        string text = BuiltinsReference.Markdown();
        foreach (var name in Builtins.Distributions.Keys) Assert.Contains($"| `{name}` |", text);
    }
}
