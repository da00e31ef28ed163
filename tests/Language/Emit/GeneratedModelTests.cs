using MathNet.Numerics.Distributions;
using Ppl.Language.Build;
using Ppl.Language.Diagnostics;
using Ppl.Language.Text;
using Ppl.Runtime.Data;
using Ppl.Runtime.Models;
using Ppl.Runtime.Random;
using Ppl.Runtime.Sites;
using Ppl.Runtime.Tensors;

namespace Ppl.Language.Tests.Emit;

/// <summary>
/// Generated models run under the tracing handler at fixed latent values give the log joint computed by hand
/// with MathNet's densities. Tolerances: the runtime computes in float32 over at most a few hundred terms of
/// size ~10, so 1e-3 relative is far above rounding error and far below any mistake in a term.
/// </summary>
public sealed class GeneratedModelTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("ppl-gen-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    ModelAssembly Build(string source, string name = "m")
    {
        var file = new SourceFile(name + ".ppl", source);
        var options = new CompileOptions(Path.Combine(dir, name + ".g.cs"), Path.Combine(dir, "cache"));
        var result = Compiler.Compile(file, options);
        Assert.True(result.Succeeded, DiagnosticRenderer.RenderAll(file, result.Diagnostics));
        return result.Assembly!;
    }

    static Trace RunAt(IModel model, Dictionary<string, Tensor> values, ulong seed = 1)
    {
        var trace = new TraceHandler();
        var ctx = new ModelContext(new Rng(seed)).With(new ConditionHandler(values)).With(trace);
        model.Run(ctx);
        return trace.Trace;
    }

    static double N(double x, double mu, double sigma) => Normal.PDFLn(mu, sigma, x);

    static void Close(double expected, double actual) => Assert.InRange(actual, expected - 1e-3 * Math.Max(1, Math.Abs(expected)), expected + 1e-3 * Math.Max(1, Math.Abs(expected)));

    [Fact]
    public void NonCentredLatent_SiteCarriesItsUse_MapGivesLocAndScaleFromTheInputs()
    {
        using var asm = Build("""
            model H {
              data J: int
              data y: real[J]
              mu ~ Normal(0, 5)
              log_tau ~ Normal(0, 1)
              theta_raw: real[J] ~ Normal(0, 1)
              let theta = 2 * mu + exp(log_tau) * theta_raw
              y ~ Normal(theta, 1)
            }
            """);
        var model = asm.Create("H", new DataSet().Add("y", Tensor.Vector(1, 2, 3)));
        var trace = RunAt(model, new() { ["mu"] = Tensor.Scalar(1.5f), ["log_tau"] = Tensor.Scalar(0.4f), ["theta_raw"] = Tensor.Vector(0.5f, -1f, 2f) });
        var use = trace["theta_raw"].LocScale;
        Assert.NotNull(use);
        Assert.Equal(["mu", "log_tau"], use.Inputs);
        Assert.Equal("2 * mu + exp(log_tau) * theta_raw", use.Text);
        var (loc, scale) = use.Map([trace["mu"].Value!, trace["log_tau"].Value!]);
        Close(3.0, loc.ToScalar());
        Close(Math.Exp(0.4), scale.ToScalar());
        Assert.Null(trace["mu"].LocScale);
    }

    [Fact]
    public void NonCentredLatentGatheredInAPlate_SiteCarriesItsUse()
    {
        using var asm = Build("""
            model H {
              data N: int
              data G: int
              data g: int[N]
              data y: real[N]
              mu ~ Normal(0, 5)
              tau ~ HalfNormal(1)
              r: real[G] ~ Normal(0, 1)
              plate n in N {
                y[n] ~ Normal(mu + tau * r[g[n]], 1)
              }
            }
            """);
        var data = new DataSet().Add("G", 2).Add("g", IntTensor.Vector(0, 1, 1)).Add("y", Tensor.Vector(1, 2, 3));
        var trace = RunAt(asm.Create("H", data), new() { ["mu"] = Tensor.Scalar(1.5f), ["tau"] = Tensor.Scalar(0.5f), ["r"] = Tensor.Vector(0.2f, -1f) });
        var use = trace["r"].LocScale;
        Assert.NotNull(use);
        Assert.Equal("mu + tau * r[g[n]]", use.Text);
        double expected = N(1.5, 0, 5) + Math.Log(2 * Normal.PDF(0, 1, 0.5)) + N(0.2, 0, 1) + N(-1, 0, 1)
            + N(1, 1.5 + 0.5 * 0.2, 1) + N(2, 1.5 - 0.5, 1) + N(3, 1.5 - 0.5, 1);
        Close(expected, trace.LogJoint().ToScalar());
    }

    [Fact]
    public void HierarchicalNormal_AtFixedLatents_LogJointMatchesHandComputation()
    {
        using var asm = Build("""
            model H {
              data J: int
              data y: real[J]
              data sigma: real<lower=0>[J]
              mu ~ Normal(0, 5)
              theta_raw: real[J] ~ Normal(0, 1)
              let theta = mu + 2 * theta_raw
              y ~ Normal(theta, sigma)
            }
            """);
        double[] y = [28, 8, -3], sigma = [15, 10, 16], raw = [0.5, -1, 2];
        var data = new DataSet().Add("y", Tensor.Vector(28, 8, -3)).Add("sigma", Tensor.Vector(15, 10, 16));
        var model = asm.Create("H", data);
        var trace = RunAt(model, new() { ["mu"] = Tensor.Scalar(1.5f), ["theta_raw"] = Tensor.Vector(0.5f, -1f, 2f) });

        double expected = N(1.5, 0, 5) + raw.Sum(r => N(r, 0, 1)) + Enumerable.Range(0, 3).Sum(j => N(y[j], 1.5 + 2 * raw[j], sigma[j]));
        Close(expected, trace.LogJoint().ToScalar());
        Assert.Equal(["mu", "theta_raw", "theta", "y"], trace.Sites.Select(s => s.Name));
        Assert.Equal(new SiteLocation("m.ppl", 5, 3), trace["mu"].Location);
    }

    [Fact]
    public void SubsampledPlateWithGatherLoopAndFactor_LogJointMatchesHandComputation()
    {
        using var asm = Build("""
            model P {
              data N: int
              data x: real[N, 2]
              data g: int[N]
              mu: real[3] ~ Normal(0, 5)
              let s = exp(mu[0]) + 1
              plate n in N subsample 4 {
                z[n] ~ Normal(zeros(2), 1)
                x[n] ~ Normal(z[n] + mu[g[n]], s)
              }
              w[0] ~ Normal(0, 1)
              for t in 1..3 {
                w[t] ~ Normal(w[t - 1], 2)
              }
              factor -0.5 * sum(mu ^ 2)
            }
            """, "p");
        const int n = 10;
        var rng = new System.Random(3);
        var x = new float[n * 2];
        for (int i = 0; i < x.Length; i++) x[i] = (float)rng.NextDouble() * 4 - 2;
        int[] g = Enumerable.Range(0, n).Select(i => i % 3).ToArray();
        var data = new DataSet().Add("x", Tensor.FromArray(x, n, 2)).Add("g", new IntTensor(g, n));
        Assert.Equal(n, data.ShapeOf("x")[0]);   // N comes from x's shape
        var model = asm.Create("P", data);
        float[] mu = [0.3f, -1f, 2f];
        var z = new float[4 * 2];
        for (int i = 0; i < z.Length; i++) z[i] = 0.1f * i - 0.3f;
        var values = new Dictionary<string, Tensor>
        {
            ["mu"] = Tensor.Vector(mu), ["z"] = Tensor.FromArray(z, 4, 2),
            ["w[0]"] = Tensor.Scalar(0.2f), ["w[1]"] = Tensor.Scalar(-0.4f), ["w[2]"] = Tensor.Scalar(1f),
        };
        var trace = RunAt(model, values, seed: 7);
        var idx = IntTensor.FromFloat(trace["n"].Value!.Value).Data;
        Assert.Equal(4, idx.Length);

        double s = Math.Exp(mu[0]) + 1, scale = n / 4.0;
        double expected = mu.Sum(m => N(m, 0, 5));
        double plate = 0;
        for (int i = 0; i < 4; i++)
            for (int j = 0; j < 2; j++)
            {
                plate += N(z[i * 2 + j], 0, 1);
                plate += N(x[idx[i] * 2 + j], z[i * 2 + j] + mu[g[idx[i]]], s);
            }
        expected += scale * plate;
        expected += N(0.2, 0, 1) + N(-0.4, 0.2, 2) + N(1, -0.4, 2);
        expected += -0.5 * mu.Sum(m => m * m);
        Close(expected, trace.LogJoint().ToScalar());
    }

    [Fact]
    public void NestedPlates_ValuesVaryingOverDifferentPlates_BroadcastPerElement()
    {
        using var asm = Build("""
            model Q {
              data A: int
              data B: int
              data y: real[A, B]
              data r: real[A]
              data c: real[B]
              plate i in A {
                plate j in B {
                  y[i, j] ~ Normal(r[i] + c[j], 1)
                }
              }
            }
            """, "q");
        float[] y = [1, 2, 3, 4, 5, 6], r = [0.5f, -0.5f], c = [1, 2, 3];
        var data = new DataSet().Add("A", 2).Add("B", 3).Add("y", Tensor.FromArray(y, 2, 3)).Add("r", Tensor.Vector(r)).Add("c", Tensor.Vector(c));
        var trace = RunAt(asm.Create("Q", data), new());
        double expected = 0;
        for (int i = 0; i < 2; i++)
            for (int j = 0; j < 3; j++) expected += N(y[i * 3 + j], r[i] + c[j], 1);
        Close(expected, trace.LogJoint().ToScalar());
    }

    static float[] Random(int count, int seed)
    {
        var rng = new System.Random(seed);
        return Enumerable.Range(0, count).Select(_ => (float)(rng.NextDouble() * 4 - 2)).ToArray();
    }

    static double LogSumExp(IEnumerable<double> xs)
    {
        double m = xs.Max();
        return m + Math.Log(xs.Sum(x => Math.Exp(x - m)));
    }

    [Fact]
    public void NestedPlates_SitesIndexedByBothAndAProductOfTwoVaryingValues_LogJointMatchesHand()
    {
        using var asm = Build("""
            model Nested {
              data I: int
              data J: int
              data K: int
              data X: real[I, J, K]
              data y: real[I, J]
              beta: real[K] ~ Normal(0, 1)
              plate i in I {
                w[i] ~ Normal(beta, 1)
                plate j in J {
                  e[i, j] ~ Normal(0, 0.5)
                  y[i, j] ~ Normal(e[i, j] + X[i, j] @ w[i], 1)
                }
              }
            }
            """, "nested");
        const int I = 2, J = 3, K = 2;
        float[] x = Random(I * J * K, 1), y = Random(I * J, 2), beta = [0.4f, -1.1f], w = Random(I * K, 3), e = Random(I * J, 4);
        var data = new DataSet().Add("X", Tensor.FromArray(x, I, J, K)).Add("y", Tensor.FromArray(y, I, J));
        var trace = RunAt(asm.Create("Nested", data), new()
        {
            ["beta"] = Tensor.Vector(beta), ["w"] = Tensor.FromArray(w, I, K), ["e"] = Tensor.FromArray(e, I, J),
        });
        double expected = beta.Sum(b => N(b, 0, 1));
        for (int i = 0; i < I; i++)
        {
            for (int k = 0; k < K; k++) expected += N(w[i * K + k], beta[k], 1);
            for (int j = 0; j < J; j++)
            {
                double xw = Enumerable.Range(0, K).Sum(k => x[(i * J + j) * K + k] * w[i * K + k]);
                expected += N(e[i * J + j], 0, 0.5) + N(y[i * J + j], e[i * J + j] + xw, 1);
            }
        }
        Close(expected, trace.LogJoint().ToScalar());
        Assert.Equal([I, J], trace["e"].Value!.Shape);
    }

    [Fact]
    public void DiscreteIndexIntoPerElementValues_PicksEachElementsOwnEntry_LogJointMatchesHand()
    {
        using var asm = Build("""
            model Mix {
              data N: int
              data K: int
              data m: real[N, K]
              data x: real[N]
              plate n in N {
                loc[n] ~ Normal(zeros(K), 2)
                z[n] ~ Categorical(softmax(loc[n]))
                x[n] ~ Normal(m[n, z[n]] + loc[z[n]], 1)
              }
            }
            """, "mix");
        const int n = 4, k = 3;
        float[] m = Random(n * k, 5), x = Random(n, 6), loc = Random(n * k, 7);
        int[] z = [2, 0, 1, 2];
        var data = new DataSet().Add("K", k).Add("m", Tensor.FromArray(m, n, k)).Add("x", Tensor.Vector(x));
        var trace = RunAt(asm.Create("Mix", data), new()
        {
            ["loc"] = Tensor.FromArray(loc, n, k), ["z"] = Tensor.Vector(z.Select(v => (float)v).ToArray()),
        });
        double expected = 0;
        for (int i = 0; i < n; i++)
        {
            var row = Enumerable.Range(0, k).Select(j => (double)loc[i * k + j]).ToArray();
            expected += row.Sum(l => N(l, 0, 2)) + row[z[i]] - LogSumExp(row) + N(x[i], m[i * k + z[i]] + row[z[i]], 1);
        }
        Close(expected, trace.LogJoint().ToScalar());
    }

    [Fact]
    public void ReductionsAndProductsInsideAPlate_ActPerElement_LogJointMatchesHand()
    {
        using var asm = Build("""
            model Red {
              data N: int
              data K: int
              data X: real[N, K]
              data A: real[N, 2, 3]
              data y: real[N]
              v: real[K] ~ Normal(0, 1)
              plate n in N {
                let s = sum(X[n]) + mean(X[n] * v) + max(X[n]) - min(X[n]) + logsumexp(X[n] + v)
                let p = dot(softmax(X[n]), v) + sum(log_softmax(X[n]) * v)
                let t = sum(transpose(A[n]) @ [1.0, 2.0]) + sum([1.0, -1.0] @ A[n])
                y[n] ~ Normal(s + p + t, 1)
              }
            }
            """, "red");
        const int n = 3, k = 4;
        float[] x = Random(n * k, 8), a = Random(n * 6, 9), y = Random(n, 10), v = [0.3f, -0.2f, 1.1f, 0.5f];
        var data = new DataSet().Add("X", Tensor.FromArray(x, n, k)).Add("A", Tensor.FromArray(a, n, 2, 3)).Add("y", Tensor.Vector(y));
        var trace = RunAt(asm.Create("Red", data), new() { ["v"] = Tensor.Vector(v) });
        double expected = v.Sum(b => N(b, 0, 1));
        for (int i = 0; i < n; i++)
        {
            var row = Enumerable.Range(0, k).Select(j => (double)x[i * k + j]).ToArray();
            double lse = LogSumExp(row);
            double s = row.Sum() + row.Select((r, j) => r * v[j]).Average() + row.Max() - row.Min() + LogSumExp(row.Select((r, j) => r + v[j]));
            double p = row.Select((r, j) => Math.Exp(r - lse) * v[j]).Sum() + row.Select((r, j) => (r - lse) * v[j]).Sum();
            // transpose(A) @ [1, 2] sums A[0, c] + 2 A[1, c]; [1, -1] @ A sums A[0, c] - A[1, c].
            double t = Enumerable.Range(0, 3).Sum(c => a[i * 6 + c] + 2 * a[i * 6 + 3 + c] + a[i * 6 + c] - a[i * 6 + 3 + c]);
            expected += N(y[i], s + p + t, 1);
        }
        Close(expected, trace.LogJoint().ToScalar());
    }

    [Fact]
    public void Guide_WithParams_CreatesThemOnFirstUseAndScoresItsSample()
    {
        using var asm = Build("""
            model M {
              mu ~ Normal(0, 1)
            }
            guide G for M {
              param loc: real = 0.5
              param scale: real<lower=0> = 2
              mu ~ Normal(loc, scale)
            }
            """, "g");
        var guide = asm.Create("G", new DataSet());
        var trace = new TraceHandler();
        var ctx = new ModelContext(new Rng(1)).With(new ConditionHandler(new Dictionary<string, Tensor> { ["mu"] = Tensor.Scalar(1.25f) })).With(trace);
        guide.Run(ctx);
        Close(N(1.25, 0.5, 2), trace.Trace.LogJoint().ToScalar());
        Assert.Equal(["loc", "scale"], ctx.Parameters.Entries.Select(e => e.Name));
        Assert.Equal(2f, trace.Trace["scale"].Value!.ToScalar(), 5);
    }

    [Fact]
    public void Compile_SecondTime_IsServedFromTheCache()
    {
        const string src = "model C {\n  mu ~ Normal(0, 1)\n}\n";
        using (var first = Build(src, "c")) Assert.False(first.FromCache);
        using var second = Build(src, "c");
        Assert.True(second.FromCache);
        Assert.Equal(["C"], second.Names);

        // An edited model replaces its cached build instead of piling up.
        using var edited = Build(src.Replace("Normal(0, 1)", "Normal(0, 2)"), "c");
        Assert.False(edited.FromCache);
        Assert.Single(Directory.GetFiles(Path.Combine(dir, "cache"), "Ppl.Generated.c.*.dll"));
    }

    [Fact]
    public void RuntimeError_InGeneratedCode_HasAStackFramePointingIntoThePplFile()
    {
        using var asm = Build("model E {\n  data k: int\n  data x: real[3]\n  let a = x[0:k]\n  y ~ Normal(a, 1)\n}\n", "e");
        var data = new DataSet().Add("k", 5).Add("x", Tensor.Vector(1, 2, 3));
        // k = 5 slices past the end of x: the runtime throws inside generated code (the data-only let runs in the
        // constructor), and the frame names the let's .ppl line through #line and the loaded pdb.
        var e = Record.Exception(() => RunAt(asm.Create("E", data), new()));
        Assert.NotNull(e);
        var frames = new System.Diagnostics.StackTrace(e, fNeedFileInfo: true).GetFrames();
        Assert.Contains(frames, f => f.GetFileName()?.EndsWith("e.ppl", StringComparison.Ordinal) == true && f.GetFileLineNumber() == 4);
    }

    const string WithArrayDefault = """
        model W {
          data K: int
          data y: real
          data w: real[K] = [1, 2, 3]
          y ~ Normal(sum(w), 2)
        }
        """;

    /// <summary>The model above created from a JSON data file holding <paramref name="json"/>.</summary>
    IModel CreateFromJson(ModelAssembly asm, string json)
    {
        string path = Path.Combine(dir, "w.data.json");
        File.WriteAllText(path, json);
        return asm.Create("W", DataFiles.Read(path));
    }

    [Fact]
    public void ArrayDataDefault_ItemAbsentFromTheFile_DefaultIsUsed()
    {
        using var asm = Build(WithArrayDefault, "w");
        var trace = RunAt(CreateFromJson(asm, """{ "K": 3, "y": 5.5 }"""), new());
        Close(N(5.5, 1 + 2 + 3, 2), trace.LogJoint().ToScalar());
    }

    [Fact]
    public void ArrayDataDefault_ItemInTheFile_FileValueWins()
    {
        using var asm = Build(WithArrayDefault, "w");
        var trace = RunAt(CreateFromJson(asm, """{ "K": 3, "y": 5.5, "w": [0.5, -1, 4] }"""), new());
        Close(N(5.5, 0.5 - 1 + 4, 2), trace.LogJoint().ToScalar());
    }

    [Fact]
    public void ArrayDataDefault_ShapeDiffersFromTheDeclaredSize_DataErrorNamesTheItemAndTheDefaultsLine()
    {
        using var asm = Build(WithArrayDefault, "w");
        var e = Assert.Throws<DataException>(() => CreateFromJson(asm, """{ "K": 2, "y": 5.5 }"""));
        Assert.Equal("w", e.Item);
        Assert.Equal("data 'w' is absent, and its default at w.ppl:4:21 has shape [3], which does not fit the declared shape [2]", e.Message);
    }

    [Fact]
    public void ArrayDataDefault_ShapeDiffersFromAConstantSize_CheckerReportsItAtTheDefault()
    {
        var file = new SourceFile("v.ppl", "model V {\n  data v: real[2] = [1, 2, 3]\n  v ~ Normal(0, 1)\n}\n");
        var result = Compiler.Check(file);
        var d = Assert.Single(result.Diagnostics);
        Assert.Equal("v.ppl:2:21: error PPL2010: the default has shape [3] but the type has shape [2]", DiagnosticRenderer.Header(file, d));
    }

    [Fact]
    public void DataMissing_WhenCreatingTheModel_ThrowsDataExceptionNamingTheItem()
    {
        using var asm = Build("model D {\n  data y: real[3]\n  y ~ Normal(0, 1)\n}\n", "d");
        var e = Assert.Throws<DataException>(() => asm.Create("D", new DataSet()));
        Assert.Contains("y", e.Message);
    }

    /// <summary>Sets latent draws to given values tagged with their own site, as the ELBO's guide replay does for score-function sites.</summary>
    sealed class TagDraws(Dictionary<string, Tensor> values) : Handler
    {
        public override void Process(Site site)
        {
            if (site.Kind == SiteKind.Sample && values.TryGetValue(site.Name, out var v))
                site.Value = Ppl.Runtime.Autodiff.Ops.Tag(Ppl.Runtime.Autodiff.Var.Const(v), Ppl.Runtime.Autodiff.SiteSet.Of(site.Name));
        }
    }

    [Fact]
    public void LoopIndexedByDiscreteLatent_KeepsTheSiteProvenanceWithoutEscaping()
    {
        // mu[z[t]] in a for loop is a gather by z[t]'s value: y[t]'s density depends on z[t] alone, so a score-function
        // z[t] is charged only y[t] (an int read would escape and charge it every later term).
        using var asm = Build("""
            model C {
              data T: int
              data y: real[T]
              mu: real[2] ~ Normal(0, 5)
              for t in 0..T {
                z[t] ~ Bernoulli(0.5)
                y[t] ~ Normal(mu[z[t]], 1)
              }
            }
            """, "c");
        var model = asm.Create("C", new DataSet().Add("y", Tensor.Vector([0.5f, -1f, 2f])));
        var draws = new Dictionary<string, Tensor> { ["mu"] = Tensor.Vector([-1f, 1f]), ["z[0]"] = Tensor.Scalar(1f), ["z[1]"] = Tensor.Scalar(0f), ["z[2]"] = Tensor.Scalar(1f) };
        var tape = new Ppl.Runtime.Autodiff.Tape();
        var trace = new TraceHandler();
        model.Run(new ModelContext(new Rng(1), tape).With(trace).With(new TagDraws(draws)));
        Assert.Null(tape.TakeEscaped());
        for (int t = 0; t < 3; t++)
        {
            var provenance = trace.Trace[$"y[{t}]"].LogProb.Provenance;
            Assert.NotNull(provenance);
            for (int u = 0; u < 3; u++) Assert.Equal(u == t, provenance.Contains($"z[{u}]"));
        }
        Close(N(0.5, 1, 1) + N(-1, -1, 1) + N(2, 1, 1), trace.Trace["y[0]"].LogProb.ToScalar() + trace.Trace["y[1]"].LogProb.ToScalar() + trace.Trace["y[2]"].LogProb.ToScalar());
    }

    [Fact]
    public void OrderedSite_IsTheOrderStatisticsOfItsDistribution_AndAnOrderedParamStartsIncreasing()
    {
        var asm = Build("""
            model O {
              data K: int = 3
              param c: ordered[2]
              mu: ordered[K] ~ Normal(1, 10)
              factor c[1] - c[0]
            }
            """, "ordered");
        var model = asm.Create("O", new DataSet());
        // log K! + Σ log N(muₖ; 1, 10) at an increasing point.
        float[] mu = [-3f, 0.5f, 4f];
        var trace = RunAt(model, new() { ["mu"] = Tensor.Vector(mu) });
        double expected = Math.Log(6) + mu.Sum(m => Normal.PDFLn(1, 10, m));
        Assert.Equal(expected, trace["mu"].ScaledLogProbSum().Value.ToScalar(), 1e-4);
        Assert.Same(Ppl.Runtime.Distributions.Constraints.Constraint.Ordered, trace["mu"].Distribution!.Support);
        // Drawn from the prior, it is increasing; the param starts at 0, 1 and is kept ordered by its transform.
        var store = new Ppl.Runtime.Params.ParamStore();
        for (ulong seed = 1; seed <= 20; seed++)
        {
            var t = new TraceHandler();
            model.Run(new ModelContext(new Rng(seed), null, store).With(t));
            Assert.True(Ppl.Runtime.Distributions.Constraints.Constraint.Ordered.Check(t.Trace["mu"].Value!.Value.Span));
        }
        Assert.Equal("ordered", store["c"].Constraint.Name);
        var c = store["c"].Transform.Forward(Ppl.Runtime.Autodiff.Var.Const(store["c"].Unconstrained.Value)).Value;
        Assert.Equal([0f, 1f], c.ToArray());
    }
}
