using MathNet.Numerics;
using MathNet.Numerics.LinearAlgebra;
using Ppl.Language.Build;
using Ppl.Language.Semantics;
using Ppl.Runtime.Data;
using Ppl.Runtime.Models;
using Ppl.Runtime.Random;
using Ppl.Runtime.Sites;
using Ppl.Runtime.Tensors;
using MN = MathNet.Numerics.Distributions;

namespace Ppl.Language.Tests.Emit;

/// <summary>
/// One site per row: a distribution call written in .ppl (by position, by name in a shuffled order, each
/// parameterisation), emitted, compiled and run at a fixed value, its log density compared with MathNet's density or
/// the closed form written out in double. Every argument gets a distinct value, so binding one argument to another's
/// slot (an order mismatch between <see cref="Builtins"/> and a runtime constructor or factory) changes the density.
/// All rows are sites of one model, compiled once.
/// </summary>
public sealed class DistributionPipelineTests(DistributionPipelineTests.Fixture fixture) : IClassFixture<DistributionPipelineTests.Fixture>
{
    /// <summary>A site <c>Site ~ Call</c> at <c>Value</c> (observed data when <c>Observed</c>), whose log density must be <c>Expected</c>.</summary>
    public sealed record Case(string Site, string Call, Tensor Value, double Expected, bool Observed = false, bool Integer = false);

    static Tensor S(double v) => Tensor.Scalar((float)v);
    static Tensor V(params double[] v) => Tensor.Vector(v.Select(x => (float)x).ToArray());
    static double LogSigmoid(double l) => -Math.Log(1 + Math.Exp(-l));

    /// <summary>Dirichlet density on the first K − 1 coordinates: log Γ(Σα) − Σ log Γ(αₖ) + Σ (αₖ − 1) log xₖ.</summary>
    static double DirichletLn(double[] alpha, double[] x) =>
        SpecialFunctions.GammaLn(alpha.Sum()) - alpha.Sum(SpecialFunctions.GammaLn) + alpha.Zip(x, (a, v) => (a - 1) * Math.Log(v)).Sum();

    /// <summary>−½(k log 2π + log det Σ + dᵀΣ⁻¹d), by MathNet's dense LU.</summary>
    static double MvnLn(double[] x, double[] mu, double[,] cov)
    {
        var sigma = Matrix<double>.Build.DenseOfArray(cov);
        var d = Vector<double>.Build.DenseOfEnumerable(x.Zip(mu, (a, b) => a - b));
        return -0.5 * (x.Length * Math.Log(2 * Math.PI) + Math.Log(sigma.Determinant()) + d * sigma.Solve(d));
    }

    static double[,] TimesTranspose(double[,] l)
    {
        var m = Matrix<double>.Build.DenseOfArray(l);
        return (m * m.Transpose()).ToArray();
    }

    /// <summary>Binary Concrete (Maddison et al. 2017, eq. 21): λ α y^(−λ−1) (1 − y)^(−λ−1) / (α y^(−λ) + (1 − y)^(−λ))², α = p/(1 − p).</summary>
    static double RelaxedBernoulliLn(double lambda, double alpha, double y) =>
        Math.Log(lambda) + Math.Log(alpha) - (lambda + 1) * (Math.Log(y) + Math.Log(1 - y))
        - 2 * Math.Log(alpha * Math.Pow(y, -lambda) + Math.Pow(1 - y, -lambda));

    /// <summary>Concrete (Maddison et al. 2017, definition 1): (K − 1)! λ^(K−1) Πₖ αₖ yₖ^(−λ−1) / (Σᵢ αᵢ yᵢ^(−λ)), on K − 1 coordinates.</summary>
    static double ConcreteLn(double lambda, double[] alpha, double[] y)
    {
        int k = y.Length;
        double denominator = Math.Log(alpha.Zip(y, (a, v) => a * Math.Pow(v, -lambda)).Sum());
        return SpecialFunctions.FactorialLn(k - 1) + (k - 1) * Math.Log(lambda)
            + alpha.Zip(y, (a, v) => Math.Log(a) - (lambda + 1) * Math.Log(v) - denominator).Sum();
    }

    static readonly double[] Simplex = [0.2, 0.5, 0.3];
    static readonly double[] Logits3 = [0.1, -0.4, 1.2];
    static double LogSoftmax(double[] l, int k) => l[k] - Math.Log(l.Sum(Math.Exp));
    static readonly double[,] Cov = { { 2, 0.3 }, { 0.3, 1 } };
    static readonly double[,] Tril = { { 1.2, 0 }, { 0.4, 0.8 } };

    /// <summary>The table: at least one positional and one named row per distribution, one per parameterisation.</summary>
    public static readonly IReadOnlyList<Case> Cases =
    [
        new("normal_pos", "Normal(-0.7, 1.9)", S(0.4), MN.Normal.PDFLn(-0.7, 1.9, 0.4)),
        new("normal_named", "Normal(scale: 1.9, loc: -0.7)", S(0.4), MN.Normal.PDFLn(-0.7, 1.9, 0.4)),
        new("normal_vec", "Normal([0.5, -1, 2], 1.5)", V(0, 0.2, 1), MN.Normal.PDFLn(0.5, 1.5, 0) + MN.Normal.PDFLn(-1, 1.5, 0.2) + MN.Normal.PDFLn(2, 1.5, 1)),
        new("lognormal_pos", "LogNormal(0.3, 0.6)", S(1.7), MN.LogNormal.PDFLn(0.3, 0.6, 1.7)),
        new("lognormal_named", "LogNormal(scale: 0.6, loc: 0.3)", S(1.7), MN.LogNormal.PDFLn(0.3, 0.6, 1.7)),
        new("halfnormal_pos", "HalfNormal(1.3)", S(0.8), Math.Log(2) + MN.Normal.PDFLn(0, 1.3, 0.8)),
        new("halfnormal_named", "HalfNormal(scale: 1.3)", S(0.8), Math.Log(2) + MN.Normal.PDFLn(0, 1.3, 0.8)),
        new("cauchy_pos", "Cauchy(-0.4, 2.1)", S(1.1), MN.Cauchy.PDFLn(-0.4, 2.1, 1.1)),
        new("cauchy_named", "Cauchy(scale: 2.1, loc: -0.4)", S(1.1), MN.Cauchy.PDFLn(-0.4, 2.1, 1.1)),
        new("halfcauchy_pos", "HalfCauchy(1.6)", S(0.9), Math.Log(2) + MN.Cauchy.PDFLn(0, 1.6, 0.9)),
        new("halfcauchy_named", "HalfCauchy(scale: 1.6)", S(0.9), Math.Log(2) + MN.Cauchy.PDFLn(0, 1.6, 0.9)),
        new("studentt_pos", "StudentT(3.5, -0.7, 1.9)", S(0.4), MN.StudentT.PDFLn(-0.7, 1.9, 3.5, 0.4)),
        new("studentt_named", "StudentT(scale: 1.9, df: 3.5, loc: -0.7)", S(0.4), MN.StudentT.PDFLn(-0.7, 1.9, 3.5, 0.4)),
        new("studentt_vec", "StudentT([2.5, 6], 0.3, 1.2)", V(-1, 2), MN.StudentT.PDFLn(0.3, 1.2, 2.5, -1) + MN.StudentT.PDFLn(0.3, 1.2, 6, 2)),
        new("laplace_pos", "Laplace(0.3, 1.4)", S(-0.6), MN.Laplace.PDFLn(0.3, 1.4, -0.6)),
        new("laplace_named", "Laplace(scale: 1.4, loc: 0.3)", S(-0.6), MN.Laplace.PDFLn(0.3, 1.4, -0.6)),
        // Logistic: z = (x − μ)/s, log p = −z − log s − 2 log(1 + e^(−z)).
        new("logistic_pos", "Logistic(0.3, 1.4)", S(-0.6), LogisticLn(-0.6, 0.3, 1.4)),
        new("logistic_named", "Logistic(scale: 1.4, loc: 0.3)", S(-0.6), LogisticLn(-0.6, 0.3, 1.4)),
        // Gumbel: z = (x − μ)/β, log p = −log β − z − e^(−z).
        new("gumbel_pos", "Gumbel(0.3, 1.4)", S(-0.6), GumbelLn(-0.6, 0.3, 1.4)),
        new("gumbel_named", "Gumbel(scale: 1.4, loc: 0.3)", S(-0.6), GumbelLn(-0.6, 0.3, 1.4)),
        new("exponential_pos", "Exponential(1.7)", S(0.9), MN.Exponential.PDFLn(1.7, 0.9)),
        new("exponential_named", "Exponential(rate: 1.7)", S(0.9), MN.Exponential.PDFLn(1.7, 0.9)),
        new("gamma_pos", "Gamma(2.5, 1.7)", S(1.3), MN.Gamma.PDFLn(2.5, 1.7, 1.3)),
        new("gamma_named", "Gamma(rate: 1.7, shape: 2.5)", S(1.3), MN.Gamma.PDFLn(2.5, 1.7, 1.3)),
        new("gamma_vec", "Gamma([1.5, 2, 2.5], 1.7)", V(0.5, 1, 2), MN.Gamma.PDFLn(1.5, 1.7, 0.5) + MN.Gamma.PDFLn(2, 1.7, 1) + MN.Gamma.PDFLn(2.5, 1.7, 2)),
        new("invgamma_pos", "InverseGamma(2.5, 1.7)", S(1.3), MN.InverseGamma.PDFLn(2.5, 1.7, 1.3)),
        new("invgamma_named", "InverseGamma(scale: 1.7, shape: 2.5)", S(1.3), MN.InverseGamma.PDFLn(2.5, 1.7, 1.3)),
        new("beta_pos", "Beta(2.2, 3.1)", S(0.3), MN.Beta.PDFLn(2.2, 3.1, 0.3)),
        new("beta_named", "Beta(b: 3.1, a: 2.2)", S(0.3), MN.Beta.PDFLn(2.2, 3.1, 0.3)),
        // Uniform's density depends on its ends only through b − a; swapped ends give b − a < 0 and a NaN.
        new("uniform_pos", "Uniform(-1.5, 2.5)", S(0.7), MN.ContinuousUniform.PDFLn(-1.5, 2.5, 0.7)),
        new("uniform_named", "Uniform(high: 2.5, low: -1.5)", S(0.7), MN.ContinuousUniform.PDFLn(-1.5, 2.5, 0.7)),
        new("dirichlet_pos", "Dirichlet([1.5, 2, 3.5])", V(Simplex), DirichletLn([1.5, 2, 3.5], Simplex)),
        new("dirichlet_named", "Dirichlet(concentration: [1.5, 2, 3.5])", V(Simplex), DirichletLn([1.5, 2, 3.5], Simplex)),
        new("mvn_pos", "MultivariateNormal([0.5, -1], [[2, 0.3], [0.3, 1]])", V(1, 0.2), MvnLn([1, 0.2], [0.5, -1], Cov)),
        new("mvn_cov_named", "MultivariateNormal(cov: [[2, 0.3], [0.3, 1]], loc: [0.5, -1])", V(1, 0.2), MvnLn([1, 0.2], [0.5, -1], Cov)),
        new("mvn_tril_named", "MultivariateNormal(scale_tril: [[1.2, 0], [0.4, 0.8]], loc: [0.5, -1])", V(1, 0.2), MvnLn([1, 0.2], [0.5, -1], TimesTranspose(Tril))),
        new("bernoulli_pos", "Bernoulli(0.3)", S(1), Math.Log(0.3), Integer: true),
        new("bernoulli_probs", "Bernoulli(probs: 0.3)", S(0), Math.Log(0.7), Integer: true),
        new("bernoulli_logits", "Bernoulli(logits: -0.8)", S(1), LogSigmoid(-0.8), Integer: true),
        // Observed grey levels: the cross-entropy y log p + (1 − y) log(1 − p).
        new("bernoulli_grey", "Bernoulli(probs: 0.3)", S(0.25), 0.25 * Math.Log(0.3) + 0.75 * Math.Log(0.7), Observed: true),
        new("categorical_pos", "Categorical([0.2, 0.5, 0.3])", S(2), Math.Log(0.3), Integer: true),
        new("categorical_probs", "Categorical(probs: [2, 5, 3])", S(1), Math.Log(0.5), Integer: true),
        new("categorical_logits", "Categorical(logits: [0.1, -0.4, 1.2])", S(1), LogSoftmax(Logits3, 1), Integer: true),
        new("binomial_pos", "Binomial(10, 0.35)", S(4), MN.Binomial.PMFLn(0.35, 10, 4), Integer: true),
        new("binomial_probs", "Binomial(probs: 0.35, n: 10)", S(4), MN.Binomial.PMFLn(0.35, 10, 4), Integer: true),
        new("binomial_logits", "Binomial(10, logits: 0.4)", S(7), MN.Binomial.PMFLn(1 / (1 + Math.Exp(-0.4)), 10, 7), Integer: true),
        new("binomial_observed", "Binomial(n: 12, logits: -0.3)", S(5), MN.Binomial.PMFLn(1 / (1 + Math.Exp(0.3)), 12, 5), Observed: true, Integer: true),
        new("poisson_pos", "Poisson(3.5)", S(2), MN.Poisson.PMFLn(3.5, 2), Integer: true),
        new("poisson_named", "Poisson(rate: 3.5)", S(5), MN.Poisson.PMFLn(3.5, 5), Observed: true, Integer: true),
        // Geometric counts failures before the first success; MathNet counts trials, so k + 1.
        new("geometric_pos", "Geometric(0.3)", S(2), MN.Geometric.PMFLn(0.3, 3), Integer: true),
        new("geometric_named", "Geometric(probs: 0.3)", S(4), MN.Geometric.PMFLn(0.3, 5), Observed: true, Integer: true),
        // NegativeBinomial(total r, probs p) counts successes before the r-th failure; MathNet's NB(r, q) counts
        // failures before the r-th success, so q = 1 − p.
        new("negbin_pos", "NegativeBinomial(2.5, 0.4)", S(3), MN.NegativeBinomial.PMFLn(2.5, 0.6, 3), Integer: true),
        new("negbin_named", "NegativeBinomial(probs: 0.4, total: 2.5)", S(3), MN.NegativeBinomial.PMFLn(2.5, 0.6, 3), Integer: true),
        new("relaxedbern_pos", "RelaxedBernoulli(0.7, 0.3)", S(0.4), RelaxedBernoulliLn(0.7, 0.3 / 0.7, 0.4)),
        new("relaxedbern_probs", "RelaxedBernoulli(probs: 0.3, temperature: 0.7)", S(0.4), RelaxedBernoulliLn(0.7, 0.3 / 0.7, 0.4)),
        new("relaxedbern_logits", "RelaxedBernoulli(logits: -0.5, temperature: 0.7)", S(0.6), RelaxedBernoulliLn(0.7, Math.Exp(-0.5), 0.6)),
        new("relaxedcat_pos", "RelaxedOneHotCategorical(0.7, [0.2, 0.5, 0.3])", V(0.1, 0.6, 0.3), ConcreteLn(0.7, Simplex, [0.1, 0.6, 0.3])),
        new("relaxedcat_probs", "RelaxedOneHotCategorical(probs: [0.2, 0.5, 0.3], temperature: 0.7)", V(0.1, 0.6, 0.3), ConcreteLn(0.7, Simplex, [0.1, 0.6, 0.3])),
        new("relaxedcat_logits", "RelaxedOneHotCategorical(logits: [0.1, -0.4, 1.2], temperature: 0.7)", V(0.1, 0.6, 0.3),
            ConcreteLn(0.7, Logits3.Select(Math.Exp).ToArray(), [0.1, 0.6, 0.3])),
        // The straight-through forms score a value that is no straight-through draw by the relaxed density itself.
        new("relaxedbern_st_pos", "RelaxedBernoulliStraightThrough(0.7, 0.3)", S(0.4), RelaxedBernoulliLn(0.7, 0.3 / 0.7, 0.4)),
        new("relaxedbern_st_probs", "RelaxedBernoulliStraightThrough(probs: 0.3, temperature: 0.7)", S(0.4), RelaxedBernoulliLn(0.7, 0.3 / 0.7, 0.4)),
        new("relaxedbern_st_logits", "RelaxedBernoulliStraightThrough(logits: -0.5, temperature: 0.7)", S(0.6), RelaxedBernoulliLn(0.7, Math.Exp(-0.5), 0.6)),
        new("relaxedcat_st_pos", "RelaxedOneHotCategoricalStraightThrough(0.7, [0.2, 0.5, 0.3])", V(0.1, 0.6, 0.3), ConcreteLn(0.7, Simplex, [0.1, 0.6, 0.3])),
        new("relaxedcat_st_probs", "RelaxedOneHotCategoricalStraightThrough(probs: [0.2, 0.5, 0.3], temperature: 0.7)", V(0.1, 0.6, 0.3), ConcreteLn(0.7, Simplex, [0.1, 0.6, 0.3])),
        new("relaxedcat_st_logits", "RelaxedOneHotCategoricalStraightThrough(logits: [0.1, -0.4, 1.2], temperature: 0.7)", V(0.1, 0.6, 0.3),
            ConcreteLn(0.7, Logits3.Select(Math.Exp).ToArray(), [0.1, 0.6, 0.3])),
    ];

    static double LogisticLn(double x, double mu, double s)
    {
        double z = (x - mu) / s;
        return -z - Math.Log(s) - 2 * Math.Log(1 + Math.Exp(-z));
    }

    static double GumbelLn(double x, double mu, double beta)
    {
        double z = (x - mu) / beta;
        return -Math.Log(beta) - z - Math.Exp(-z);
    }

    public static TheoryData<string> Sites() => new(Cases.Select(c => c.Site));

    /// <summary>The model of every row, compiled once, and its trace at the rows' values.</summary>
    public sealed class Fixture : IDisposable
    {
        readonly PipelineHarness harness = new();
        readonly ModelAssembly assembly;

        public Fixture()
        {
            var source = new System.Text.StringBuilder("model D {\n");
            foreach (var c in Cases.Where(c => c.Observed))
                source.Append($"  data {c.Site}: {(c.Integer ? "int" : "real")}\n");
            foreach (var c in Cases) source.Append($"  {c.Site} ~ {c.Call}\n");
            source.Append("}\n");
            assembly = harness.Compile(source.ToString(), "dists");

            var data = new DataSet();
            foreach (var c in Cases.Where(c => c.Observed)) data.Add(c.Site, c.Value, c.Integer);
            var values = Cases.Where(c => !c.Observed).ToDictionary(c => c.Site, c => c.Value);
            var trace = new TraceHandler();
            assembly.Create("D", data).Run(new ModelContext(new Rng(1)).With(new ConditionHandler(values)).With(trace));
            Trace = trace.Trace;
        }

        public Trace Trace { get; }

        public void Dispose()
        {
            assembly.Dispose();
            harness.Dispose();
        }
    }

    /// <summary>
    /// Tolerance 1e-4 relative (at least 1e-4 absolute): a single float32 density of O(1) arguments is good to ~1e-6,
    /// while a swapped or misbound argument moves every row here by more than 1e-2.
    /// </summary>
    [Theory]
    [MemberData(nameof(Sites))]
    public void Site_AtFixedValue_LogDensityMatchesIndependentFormula(string site)
    {
        var c = Cases.Single(x => x.Site == site);
        var s = fixture.Trace[site];
        double actual = s.ScaledLogProbSum().Value.ToScalar(), tol = 1e-4 * Math.Max(1, Math.Abs(c.Expected));
        Assert.InRange(actual, c.Expected - tol, c.Expected + tol);
    }

    /// <summary>
    /// Inside a plate, arguments that vary over it are aligned to the plate axis ahead of their event axes: one
    /// site per distribution with event rank 0, 1 and 2 arguments taken per element, scored against the rows summed.
    /// Tolerance as above.
    /// </summary>
    [Fact]
    public void PlatedSites_PerElementArguments_LogDensityIsTheSumOverElements()
    {
        double[][] a = [[1.5, 2, 3.5], [0.7, 1.2, 2.5]], loc = [[0.5, -1], [-0.3, 0.8]];
        double[] s = [0.6, 1.3];
        double[][] simplex = [[0.2, 0.5, 0.3], [0.1, 0.6, 0.3]], mvn = [[1, 0.2], [-0.4, 0.5]];
        double Sum(Func<int, double> row) => row(0) + row(1);
        static Tensor M(double[][] rows) => Tensor.FromArray(rows.SelectMany(r => r.Select(v => (float)v)).ToArray(), rows.Length, rows[0].Length);
        var rows = new (string Site, string Call, Tensor Value, double Expected)[]
        {
            ("d", "Dirichlet(A[n])", M(simplex), Sum(n => DirichletLn(a[n], simplex[n]))),
            ("c", "Categorical(A[n])", V(2, 0), Sum(n => Math.Log(a[n][n == 0 ? 2 : 0] / a[n].Sum()))),
            ("cl", "Categorical(logits: A[n])", V(1, 2), Sum(n => LogSoftmax(a[n], n + 1))),
            ("m", "MultivariateNormal(L[n], [[2, 0.3], [0.3, 1]])", M(mvn), Sum(n => MvnLn(mvn[n], loc[n], Cov))),
            ("mt", "MultivariateNormal(L[n], scale_tril: [[1.2, 0], [0.4, 0.8]])", M(mvn), Sum(n => MvnLn(mvn[n], loc[n], TimesTranspose(Tril)))),
            ("r", "RelaxedOneHotCategorical(S[n], A[n])", M(simplex), Sum(n => ConcreteLn(s[n], a[n], simplex[n]))),
            ("rb", "RelaxedBernoulli(S[n], logits: L[n, 0])", V(0.4, 0.7), Sum(n => RelaxedBernoulliLn(s[n], Math.Exp(loc[n][0]), n == 0 ? 0.4 : 0.7))),
            ("b", "Binomial(4, probs: S[n] / 2)", V(1, 3), Sum(n => MN.Binomial.PMFLn(s[n] / 2, 4, n == 0 ? 1 : 3))),
            ("t", "StudentT(S[n] + 2, L[n, 0], S[n])", V(0.2, -0.9), Sum(n => MN.StudentT.PDFLn(loc[n][0], s[n], s[n] + 2, n == 0 ? 0.2 : -0.9))),
            ("g", "Gamma(S[n], L[n, 1] + 2)", V(0.8, 1.6), Sum(n => MN.Gamma.PDFLn(s[n], loc[n][1] + 2, n == 0 ? 0.8 : 1.6))),
        };
        string source = "model P {\n  data N: int\n  data A: real[N, 3]\n  data L: real[N, 2]\n  data S: real[N]\n  plate n in N {\n"
            + string.Concat(rows.Select(r => $"    {r.Site}[n] ~ {r.Call}\n")) + "  }\n}\n";
        using var harness = new PipelineHarness();
        using var asm = harness.Compile(source, "plated");
        var data = new DataSet().Add("A", M(a)).Add("L", M(loc)).Add("S", V(s));
        var trace = new TraceHandler();
        asm.Create("P", data).Run(new ModelContext(new Rng(1)).With(new ConditionHandler(rows.ToDictionary(r => r.Site, r => r.Value))).With(trace));
        foreach (var (site, _, _, expected) in rows)
        {
            double actual = trace.Trace[site].ScaledLogProbSum().Value.ToScalar(), tol = 1e-4 * Math.Max(1, Math.Abs(expected));
            Assert.True(Math.Abs(actual - expected) <= tol, $"{site}: expected {expected}, got {actual}");
        }
    }

    [Fact]
    public void Cases_CoverEveryDistributionAndSignatureOfTheLanguage()
    {
        foreach (var info in Builtins.Distributions.Values)
        {
            var rows = Cases.Where(c => c.Call.StartsWith(info.Name + "(", StringComparison.Ordinal)).ToList();
            Assert.True(rows.Any(r => !r.Call.Contains(':', StringComparison.Ordinal)), $"{info.Name} has no positional row");
            foreach (var sig in info.Signatures)
                Assert.True(rows.Any(r => sig.Params.All(p => r.Call.Contains(p.Name + ":", StringComparison.Ordinal))),
                    $"{info.Name}({sig}) has no row naming all its parameters");
        }
    }
}
