using Ppl.Runtime.Params;
using MathNet.Numerics;
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
/// Each example (with its own data file) is compiled, run once under the tracing handler with every latent
/// site fixed, and its log joint compared with the same sum written out by hand with MathNet's densities.
/// Tolerance 1e-3 relative: float32 sums of at most a few hundred O(1)–O(10) terms are good to ~1e-5 relative,
/// while any wrong term (a missed site, a wrong parameterisation, a plate scale) moves the total by far more.
/// </summary>
public sealed class ExampleLogJointTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("ppl-examples-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    (IModel Model, DataSet Data, ModelAssembly Assembly) Load(string name)
    {
        string path = Path.Combine("examples", name, name + ".ppl");
        var file = TestPaths.Source(path);
        var result = Compiler.Compile(file, new CompileOptions(Path.Combine(dir, name + ".g.cs"), Path.Combine(dir, "cache")));
        Assert.True(result.Succeeded, DiagnosticRenderer.RenderAll(file, result.Diagnostics));
        var data = DataFiles.Read(Path.Combine(TestPaths.Examples, name, name + ".data.json"));
        return (result.Assembly!.Create(result.Checked!.Models.First().Name, data), data, result.Assembly!);
    }

    static double LogJoint(IModel model, Dictionary<string, Tensor> values)
    {
        var trace = new TraceHandler();
        model.Run(new ModelContext(new Rng(3)).With(new ConditionHandler(values)).With(trace));
        Assert.All(trace.Trace.Latents, s => Assert.Fail($"site {s.Name} was not fixed by the test"));
        return trace.Trace.LogJoint().ToScalar();
    }

    static float[] Floats(DataSet data, string name) => data.Reals(name, data.ShapeOf(name)).ToArray();
    static int[] Ints(DataSet data, string name) => data.Ints(name, data.ShapeOf(name)).Data;
    static double N(double x, double m, double s) => Normal.PDFLn(m, s, x);
    static double HalfNormalLn(double x, double s) => Math.Log(2) + N(x, 0, s);
    static double HalfCauchyLn(double x, double s) => Math.Log(2) + Cauchy.PDFLn(0, s, x);
    static double LogSigmoid(double l) => -Math.Log(1 + Math.Exp(-l));
    static float[] Seq(int n, Func<int, double> f) => Enumerable.Range(0, n).Select(i => (float)f(i)).ToArray();

    static void Close(double expected, double actual) =>
        Assert.InRange(actual, expected - 1e-3 * Math.Max(1, Math.Abs(expected)), expected + 1e-3 * Math.Max(1, Math.Abs(expected)));

    [Fact]
    public void EightSchools_AtFixedLatents_LogJointMatchesHand()
    {
        var (model, data, asm) = Load("eight_schools");
        using var _ = asm;
        float[] y = Floats(data, "y"), sigma = Floats(data, "sigma"), raw = Seq(8, j => 0.3 * j - 1);
        double mu = 4, tau = 3.5;
        double expected = N(mu, 0, 5) + HalfCauchyLn(tau, 5) + raw.Sum(r => N(r, 0, 1))
            + Enumerable.Range(0, 8).Sum(j => N(y[j], mu + tau * raw[j], sigma[j]));
        Close(expected, LogJoint(model, new() { ["mu"] = Tensor.Scalar(4), ["tau"] = Tensor.Scalar(3.5f), ["theta_raw"] = Tensor.Vector(raw) }));
    }

    [Fact]
    public void Coin_AtFixedLatents_LogJointMatchesHand()
    {
        var (model, data, asm) = Load("coin");
        using var _ = asm;
        int[] y = Ints(data, "y");
        double p = 0.65;
        double expected = Beta.PDFLn(2, 2, p) + y.Sum(v => v == 1 ? Math.Log(p) : Math.Log(1 - p));
        Close(expected, LogJoint(model, new() { ["p"] = Tensor.Scalar(0.65f) }));
    }

    [Fact]
    public void LinearRegression_AtFixedLatents_LogJointMatchesHand()
    {
        var (model, data, asm) = Load("linear_regression");
        using var _ = asm;
        float[] x = Floats(data, "X"), y = Floats(data, "y");
        int n = y.Length, d = x.Length / n;
        float[] beta = [1.8f, -0.9f];
        double alpha = 1.1, sigma = 0.6;
        double expected = N(alpha, 0, 10) + beta.Sum(b => N(b, 0, 10)) + HalfCauchyLn(sigma, 5)
            + Enumerable.Range(0, n).Sum(i => N(y[i], alpha + Enumerable.Range(0, d).Sum(k => x[i * d + k] * beta[k]), sigma));
        Close(expected, LogJoint(model, new() { ["alpha"] = Tensor.Scalar(1.1f), ["beta"] = Tensor.Vector(beta), ["sigma"] = Tensor.Scalar(0.6f) }));
    }

    [Fact]
    public void Radon_AtFixedLatents_LogJointMatchesHand()
    {
        var (model, data, asm) = Load("radon");
        using var _ = asm;
        int[] county = Ints(data, "county");
        float[] floor = Floats(data, "floor"), lr = Floats(data, "log_radon");
        int j = data.Int("J");
        float[] raw = Seq(j, k => 0.5 - 0.25 * k);
        double muA = 1.4, sigmaA = 0.4, b = -0.7, sigmaY = 0.8;
        double[] a = raw.Select(r => muA + sigmaA * r).ToArray();
        double expected = N(muA, 0, 10) + HalfNormalLn(sigmaA, 5) + raw.Sum(r => N(r, 0, 1)) + N(b, 0, 10) + HalfNormalLn(sigmaY, 5)
            + Enumerable.Range(0, lr.Length).Sum(i => N(lr[i], a[county[i]] + b * floor[i], sigmaY));
        Close(expected, LogJoint(model, new()
        {
            ["mu_a"] = Tensor.Scalar(1.4f), ["sigma_a"] = Tensor.Scalar(0.4f), ["a_raw"] = Tensor.Vector(raw),
            ["b"] = Tensor.Scalar(-0.7f), ["sigma_y"] = Tensor.Scalar(0.8f),
        }));
    }

    [Fact]
    public void HierarchicalRegression_AtFixedLatents_LogJointMatchesHand()
    {
        var (model, data, asm) = Load("hierarchical_regression");
        using var _ = asm;
        float[] x = Floats(data, "X"), y = Floats(data, "y");
        int[] g = Ints(data, "g");
        int n = y.Length, k = x.Length / n;
        float[] a = [-0.8f, 0.4f, 1.7f], beta = [1.3f, -0.5f];
        double muA = 0.3, sigmaA = 1.2, sigma = 0.7;
        double expected = N(muA, 0, 5) + HalfNormalLn(sigmaA, 2) + a.Sum(v => N(v, muA, sigmaA)) + beta.Sum(b => N(b, 0, 2))
            + HalfNormalLn(sigma, 1)
            + Enumerable.Range(0, n).Sum(i => N(y[i], a[g[i]] + Enumerable.Range(0, k).Sum(j => x[i * k + j] * beta[j]), sigma));
        Close(expected, LogJoint(model, new()
        {
            ["mu_a"] = Tensor.Scalar(0.3f), ["sigma_a"] = Tensor.Scalar(1.2f), ["a"] = Tensor.Vector(a),
            ["beta"] = Tensor.Vector(beta), ["sigma"] = Tensor.Scalar(0.7f),
        }));
    }

    [Fact]
    public void Gmm_AtFixedLatentsIncludingDiscreteAssignments_LogJointMatchesHand()
    {
        var (model, data, asm) = Load("gmm");
        using var _ = asm;
        float[] x = Floats(data, "x");
        float[] w = [0.2f, 0.3f, 0.5f], mu = [-4, 0, 5], sigma = [1, 1.5f, 0.8f];
        var z = x.Select(v => v < -2 ? 0 : v < 2.5 ? 1 : 2).ToArray();
        // Dirichlet(1, 1, 1) is uniform on the simplex with density Γ(3) = 2 (written out: MathNet's DensityLn
        // gives 0 here, normalising over K-1 coordinates).
        const double alpha = 1;
        double dirichlet = SpecialFunctions.GammaLn(3 * alpha) - 3 * SpecialFunctions.GammaLn(alpha) + w.Sum(v => (alpha - 1) * Math.Log(v));
        double expected = dirichlet
            + mu.Sum(m => N(m, 0, 10)) + sigma.Sum(s => HalfNormalLn(s, 5))
            + Enumerable.Range(0, x.Length).Sum(i => Math.Log(w[z[i]]) + N(x[i], mu[z[i]], sigma[z[i]]));
        Close(expected, LogJoint(model, new()
        {
            ["weights"] = Tensor.Vector(w), ["mu"] = Tensor.Vector(mu), ["sigma"] = Tensor.Vector(sigma),
            ["z"] = Tensor.Vector(z.Select(v => (float)v).ToArray()),
        }));
    }

    [Fact]
    public void Hmm_AtFixedStatePath_LogJointMatchesHand()
    {
        var (model, data, asm) = Load("hmm");
        using var _ = asm;
        float[] y = Floats(data, "y");
        float[] mu = [-2, 2];
        double sigma = 1.2, stay = 0.85;
        var z = y.Select(v => v < 0 ? 0 : 1).ToArray();
        double Trans(int from, int to) => from == to ? stay : 1 - stay;
        double expected = mu.Sum(m => N(m, 0, 5)) + HalfNormalLn(sigma, 2) + Beta.PDFLn(8, 2, stay)
            + Math.Log(0.5) + N(y[0], mu[z[0]], sigma)
            + Enumerable.Range(1, y.Length - 1).Sum(t => Math.Log(Trans(z[t - 1], z[t])) + N(y[t], mu[z[t]], sigma));
        var values = new Dictionary<string, Tensor> { ["mu"] = Tensor.Vector(mu), ["sigma"] = Tensor.Scalar(1.2f), ["stay"] = Tensor.Scalar(0.85f) };
        for (int t = 0; t < z.Length; t++) values[$"z[{t}]"] = Tensor.Scalar(z[t]);
        Close(expected, LogJoint(model, values));
    }

    [Fact]
    public void Logistic_AtFixedLatents_LogJointMatchesHand()
    {
        var (model, data, asm) = Load("logistic");
        using var _ = asm;
        float[] x = Floats(data, "X");
        int[] y = Ints(data, "y");
        int n = y.Length, d = x.Length / n;
        float[] w = [1.2f, -0.8f, 0.1f];
        double b = 0.4;
        double expected = w.Sum(v => N(v, 0, 1)) + N(b, 0, 5) + Enumerable.Range(0, n).Sum(i =>
        {
            double l = b + Enumerable.Range(0, d).Sum(k => x[i * d + k] * w[k]);
            return y[i] == 1 ? LogSigmoid(l) : LogSigmoid(-l);
        });
        Close(expected, LogJoint(model, new() { ["w"] = Tensor.Vector(w), ["b"] = Tensor.Scalar(0.4f) }));
    }

    [Fact]
    public void Vae_GuideThenModelReplayingIt_RunsMinibatchShapesThroughNetsAndFlow()
    {
        // The VAE's real data is Fashion-MNIST; 300 random grey images exercise the same code: the encoder net,
        // the planar flow on a plated site (vae_planar.ppl: vae.ppl has none), the decoder, the 128-image subsample
        // replayed from guide to model.
        string path = Path.Combine("examples", "vae", "vae_planar.ppl");
        var file = TestPaths.Source(path);
        var result = Compiler.Compile(file, new CompileOptions(Path.Combine(dir, "vae_planar.g.cs"), Path.Combine(dir, "cache")));
        Assert.True(result.Succeeded, DiagnosticRenderer.RenderAll(file, result.Diagnostics));
        using var asm = result.Assembly!;
        var rng = new System.Random(5);
        var pixels = new float[300 * 784];
        for (int i = 0; i < pixels.Length; i++) pixels[i] = rng.Next(256);
        var data = new DataSet().Add("x", Tensor.FromArray(pixels, 300, 784));
        var parameters = new ParamStore(seed: 1);

        var guideTrace = new TraceHandler();
        asm.Create("VaePlanarGuide", data).Run(new ModelContext(new Rng(11), parameters: parameters).With(guideTrace));
        var modelTrace = new TraceHandler();
        asm.Create("VaePlanar", data).Run(new ModelContext(new Rng(12), parameters: parameters).With(new ReplayHandler(guideTrace.Trace)).With(modelTrace));

        Assert.Equal([128, 20], guideTrace.Trace["z"].Value!.Shape);
        Assert.Equal([128, 20], modelTrace.Trace["z"].Value!.Shape);
        Assert.Equal([128, 784], modelTrace.Trace["x"].Value!.Shape);
        Assert.Equal(guideTrace.Trace["n"].Value!.Value.ToArray(), modelTrace.Trace["n"].Value!.Value.ToArray());
        Assert.Equal(300f / 128f, modelTrace.Trace["x"].Scale, 5);
        Assert.True(float.IsFinite(guideTrace.Trace.LogJoint().ToScalar()));
        Assert.True(float.IsFinite(modelTrace.Trace.LogJoint().ToScalar()));
        Assert.Contains(parameters.Entries, e => e.Name.StartsWith("z.flow0", StringComparison.Ordinal));
        Assert.Contains(parameters.Entries, e => e.Name.StartsWith("encoder", StringComparison.Ordinal));
    }
}
