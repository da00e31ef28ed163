using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Random;
using Ppl.Runtime.Tensors;
using Ppl.Runtime.Tests.Autodiff;
using MBeta = MathNet.Numerics.Distributions.Beta;
using MDirichlet = MathNet.Numerics.Distributions.Dirichlet;
using RDirichlet = Ppl.Runtime.Distributions.Dirichlet;

namespace Ppl.Runtime.Tests.Distributions;

public class DirichletTests
{
    public static readonly TheoryData<float[]> Concentrations = new()
    {
        new[] { 0.1f, 0.5f, 1f }, new[] { 3f, 50f, 1f }, new[] { 0.5f, 0.5f, 0.5f, 0.5f }, new[] { 2f, 7f },
    };

    [Theory]
    [MemberData(nameof(Concentrations))]
    public void LogProb_MatchesMathNet(float[] alpha)
    {
        var d = new RDirichlet(Tensor.Vector(alpha));
        var m = new MDirichlet(alpha.Select(v => (double)v).ToArray());
        var rng = new Rng(80);
        int checkedAgainstMathNet = 0;
        for (int trial = 0; trial < 5; trial++)
        {
            // A point of the simplex with no tiny entry (the density is −∞/+∞ only at the faces).
            var x = alpha.Select(_ => (float)(0.2 + rng.NextDouble())).ToArray();
            float sum = x.Sum();
            for (int j = 0; j < x.Length; j++) x[j] /= sum;
            // Reference in double from the float point: Σ (αⱼ − 1)·log xⱼ − Σ log Γ(αⱼ) + log Γ(α₀). (MathNet's DensityLn
            // returns 0 for a point whose coordinates, read in double, miss a sum of exactly 1; it is checked on a
            // point normalised in double.)
            double expected = alpha.Select((a, j) => (a - 1) * Math.Log(x[j]) - MathNet.Numerics.SpecialFunctions.GammaLn(a)).Sum()
                + MathNet.Numerics.SpecialFunctions.GammaLn(alpha.Sum(a => (double)a));
            var xd = x.Select(v => (double)v).ToArray();
            double sd = xd.Sum();
            for (int j = 0; j < xd.Length; j++) xd[j] /= sd;
            double refD = alpha.Select((a, j) => (a - 1) * Math.Log(xd[j]) - MathNet.Numerics.SpecialFunctions.GammaLn(a)).Sum()
                + MathNet.Numerics.SpecialFunctions.GammaLn(alpha.Sum(a => (double)a));
            double mathNet = m.DensityLn(xd);
            if (mathNet != 0) { Assert.Equal(refD, mathNet, 1e-7 * (1 + Math.Abs(refD))); checkedAgainstMathNet++; }
            float got = d.LogProb(Tensor.Vector(x)).ToScalar();
            // Σ (αⱼ − 1)·log xⱼ in float (a few ulps of each term) and log B(α) rounded once.
            double scale = alpha.Select((a, j) => Math.Abs((a - 1) * Math.Log(x[j]))).Sum() + 1;
            Assert.Equal(expected, got, 1e-6 * scale);
        }
        Assert.True(checkedAgainstMathNet > 0, "the reference was never cross-checked against MathNet");
    }

    [Fact]
    public void LogProb_Batched_ReducesTheEventAxis()
    {
        var alpha = Tensor.Matrix(new float[,] { { 1f, 2f, 3f }, { 0.5f, 0.5f, 0.5f } });
        var d = new RDirichlet(alpha);
        Assert.Equal([2], d.BatchShape);
        Assert.Equal([3], d.EventShape);
        var x = Tensor.Matrix(new float[,] { { 0.2f, 0.3f, 0.5f }, { 0.1f, 0.1f, 0.8f } });
        var lp = d.LogProb(x).Value;
        Assert.Equal([2], lp.Shape);
        for (int b = 0; b < 2; b++)
        {
            double a0 = 0, expected = 0;
            for (int j = 0; j < 3; j++)
            {
                double a = alpha[b, j];
                a0 += a;
                expected += (a - 1) * Math.Log(x[b, j]) - MathNet.Numerics.SpecialFunctions.GammaLn(a);
            }
            expected += MathNet.Numerics.SpecialFunctions.GammaLn(a0);
            Assert.Equal(expected, lp[b], 1e-5);
        }
    }

    [Fact]
    public void LogProb_Gradients_MatchFiniteDifferences()
    {
        var x = Tensor.Matrix(new float[,] { { 0.2f, 0.3f, 0.5f }, { 0.6f, 0.1f, 0.3f } });
        GradCheck.Check(v => new RDirichlet(v[0]).LogProb(v[1]),
            Tensor.Matrix(new float[,] { { 0.5f, 2f, 3f }, { 1.5f, 0.7f, 4f } }), x);
    }

    [Theory]
    [MemberData(nameof(Concentrations))]
    public void Sample_OnSimplex_MarginalsAreBeta(float[] alpha)
    {
        const int n = 20_000;
        int k = alpha.Length;
        var d = new RDirichlet(Tensor.Vector(alpha));
        var s = d.Sample(new Rng(81), [n]);
        Assert.Equal([n, k], s.Shape);
        double a0 = alpha.Sum();
        for (int i = 0; i < n; i++) Assert.True(d.Support.Check(s.Span.Slice(i * k, k)), $"draw {i} is not on the simplex");
        for (int j = 0; j < k; j++)
        {
            // zⱼ ~ Beta(αⱼ, α₀ − αⱼ); draws within 2^-24 of 1 sit at the largest float below 1 (see BetaTests).
            double a = alpha[j], b = a0 - a;
            var col = BernoulliTests.Column(s, j, k);
            const float top = 0.99999994f;
            double fTop = MBeta.CDF(a, b, top);
            GoodnessOfFit.AssertKs(col.Where(v => v < top), x => MBeta.CDF(a, b, x) / fTop, $"component {j}");
            GoodnessOfFit.AssertMoments(col, a / a0, a * b / (a0 * a0 * (a0 + 1)), $"component {j}");
        }
    }

    // ∂E[zᵢ]/∂αⱼ = (δᵢⱼα₀ − αᵢ)/α₀² and ∂E[zᵢ²]/∂αⱼ from E[zᵢ²] = αᵢ(αᵢ + 1)/(α₀(α₀ + 1)).
    [Theory]
    [MemberData(nameof(Concentrations))]
    public void RSample_ImplicitGradient_MatchesDerivativesOfMoments(float[] alpha)
    {
        // K² derivatives of two moments each; 10⁴ draws keep 5 SE within a few percent of each derivative.
        const int n = 10_000;
        int k = alpha.Length;
        double a0 = alpha.Sum(), q = a0 * (a0 + 1);
        for (int i = 0; i < k; i++)
        {
            int comp = i;
            double ai = alpha[i], m2 = ai * (ai + 1) / q;
            var g1 = ImplicitGradientChecks.PerDrawGradientsOfComponents(p => new RDirichlet(p), z => Ops.Index(z, -1, comp), alpha, n, (ulong)(90 + i));
            var g2 = ImplicitGradientChecks.PerDrawGradientsOfComponents(p => new RDirichlet(p), z => Ops.Square(Ops.Index(z, -1, comp)), alpha, n, (ulong)(190 + i));
            for (int j = 0; j < k; j++)
            {
                double dMean = ((i == j ? a0 : 0) - ai) / (a0 * a0);
                double dSecond = ((i == j ? 2 * ai + 1 : 0) - m2 * (2 * a0 + 1)) / q;
                ImplicitGradientChecks.AssertMeanNear(g1[j], dMean, $"dE[z{i}]/dα{j}");
                ImplicitGradientChecks.AssertMeanNear(g2[j], dSecond, $"dE[z{i}²]/dα{j}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Concentrations))]
    public void RSample_Gradient_MatchesQuantileCoupledFiniteDifferencesPerDraw(float[] alpha)
    {
        // L = Σᵢ wᵢzᵢ with fixed weights; the gammas are replayed from the seed (drawn component by component, event
        // by event), each αⱼ's gamma moved along its quantile coupling, and L differenced in double. Tolerance as in
        // BetaTests: 10⁻⁵ relative, plus 2^-22·Σ|wᵢ|·|∂zⱼ-scale| absolute for the float zᵢ entering the bracket.
        const int n = 100;
        const ulong seed = 82;
        int k = alpha.Length;
        var w = Enumerable.Range(0, k).Select(i => 0.5f + 0.37f * i).ToArray();
        var tape = new Tape();
        var t = Tensor.Zeros(n, k);
        for (int i = 0; i < n; i++) alpha.AsSpan().CopyTo(t.Span.Slice(i * k, k));
        var p = tape.Attach(Var.Parameter(t));
        var z = new RDirichlet(p).RSample(new Rng(seed));
        tape.Backward(Ops.Sum(z * Var.Const(Tensor.Vector(w))));
        var g = p.Grad!;
        var replay = new Rng(seed);
        var logs = new double[k];
        for (int e = 0; e < n; e++)
        {
            for (int j = 0; j < k; j++) logs[j] = replay.LogGammaVariate(alpha[j]);
            for (int j = 0; j < k; j++)
            {
                double L(double step)
                {
                    var l = (double[])logs.Clone();
                    l[j] = QuantileCoupling.CoupledLogGamma(logs[j], alpha[j], alpha[j] + step);
                    double mx = l.Max(), s = l.Sum(v => Math.Exp(v - mx));
                    return l.Select((v, i) => w[i] * Math.Exp(v - mx) / s).Sum();
                }
                double h = 1e-3 * alpha[j];
                double D(double st) => (L(st) - L(-st)) / (2 * st);
                double fd = (4 * D(h) - D(2 * h)) / 3;
                double mxl = logs.Max(), zj = Math.Exp(logs[j] - mxl) / logs.Sum(v => Math.Exp(v - mxl));
                double scale = zj * Math.Abs(QuantileCoupling.LogShapeDerivative(logs[j], alpha[j])) * w.Sum();
                // The difference itself rounds: L is O(Σw) in double, so D carries ≈ 4ε·Σw/h.
                double fdRounding = 4 * 2.2e-16 * w.Sum() / h;
                Assert.True(Math.Abs(g[e, j] - fd) <= 1e-5 * Math.Abs(fd) + 2.4e-7 * scale + fdRounding,
                    $"draw {e}, ∂/∂α{j}: implicit {g[e, j]:G8}, quantile-coupled finite difference {fd:G8}");
            }
        }
    }

    [Fact]
    public void RSample_TinyConcentration_StaysOnSimplexWithFiniteGradients()
    {
        // α = 0.002: a quarter of the gammas underflow even a double (the op then uses the log-space derivative).
        var tape = new Tape();
        var p = tape.Attach(Var.Parameter(Tensor.Vector(0.002f, 0.002f, 0.002f)));
        var z = new RDirichlet(p).RSample(new Rng(83), [2000]);
        tape.Backward(Ops.Sum(Ops.Square(z)));
        var zs = z.Value;
        for (int i = 0; i < 2000; i++) Assert.True(new RDirichlet(p).Support.Check(zs.Span.Slice(i * 3, 3)));
        Assert.All(p.Grad!.ToArray(), v => Assert.True(float.IsFinite(v)));
    }

    [Theory]
    [MemberData(nameof(Concentrations))]
    public void MeanVarianceEntropy_MatchFormulas(float[] alpha)
    {
        var d = new RDirichlet(Tensor.Vector(alpha));
        var m = new MDirichlet(alpha.Select(v => (double)v).ToArray());
        double a0 = alpha.Sum();
        var mean = d.Mean.Value.ToArray(); var variance = d.Variance.Value.ToArray();
        for (int j = 0; j < alpha.Length; j++)
        {
            Assert.Equal(m.Mean[j], mean[j], 1e-6);
            Assert.Equal(m.Variance[j], variance[j], 1e-6);
        }
        // H = log B(α) + (α₀ − K)ψ(α₀) − Σ (αⱼ − 1)ψ(αⱼ), in double with MathNet's special functions.
        double logB = alpha.Sum(a => MathNet.Numerics.SpecialFunctions.GammaLn(a)) - MathNet.Numerics.SpecialFunctions.GammaLn(a0);
        double h = logB + (a0 - alpha.Length) * MathNet.Numerics.SpecialFunctions.DiGamma(a0)
            - alpha.Sum(a => (a - 1) * MathNet.Numerics.SpecialFunctions.DiGamma(a));
        Assert.Equal(h, d.Entropy().ToScalar(), 1e-5 * (1 + Math.Abs(h)));
    }

    [Fact]
    public void Entropy_Gradient_MatchesFiniteDifferences() =>
        GradCheck.Check(v => new RDirichlet(v[0]).Entropy(), Tensor.Matrix(new float[,] { { 0.5f, 2f, 3f }, { 1.5f, 0.7f, 4f } }));

    [Fact]
    public void Expand_KeepsTheEventAxis()
    {
        var e = new RDirichlet(Tensor.Vector(1f, 2f, 3f)).Expand([4, 2]);
        Assert.Equal([4, 2], e.BatchShape);
        Assert.Equal([3], e.EventShape);
        Assert.Equal([5, 4, 2, 3], e.RSample(new Rng(1), [5]).Shape);
        Assert.Equal([4, 2], e.LogProb(Tensor.Vector(0.2f, 0.3f, 0.5f)).Shape);
        Assert.Equal([4, 2], e.Entropy().Shape);
    }
}
