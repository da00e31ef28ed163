using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Numerics;
using Ppl.Runtime.Random;
using Ppl.Runtime.Tensors;
using Ppl.Runtime.Tests.Autodiff;
using MGamma = MathNet.Numerics.Distributions.Gamma;
using RGamma = Ppl.Runtime.Distributions.Gamma;

namespace Ppl.Runtime.Tests.Distributions;

public class GammaTests
{
    public static readonly TheoryData<double> Shapes = new() { 0.1, 0.5, 1, 3, 50 };

    [Theory]
    [InlineData(0.1, 1, 1e-30)] [InlineData(0.1, 1, 5)] [InlineData(1, 2, 0)] [InlineData(1, 2, 3)] [InlineData(3, 0.5, 4)]
    [InlineData(50, 2, 25)] [InlineData(1000, 10, 100)] [InlineData(10000, 1, 10050)] [InlineData(2.5, 1e-3, 1e4)]
    [InlineData(0.5, 1e3, 1e-5)] [InlineData(2, 1, 0)] [InlineData(0.5, 1, 0)] [InlineData(3, 1, -1)]
    public void LogProb_MatchesMathNet(double shape, double rate, double x)
    {
        float a = (float)shape, b = (float)rate, xf = (float)x;
        // At x = 0 the density is +∞, β or 0 for α below, at or above 1 (MathNet gives NaN there).
        double expected = xf < 0 ? double.NegativeInfinity
            : xf == 0 ? (a < 1 ? double.PositiveInfinity : a == 1 ? Math.Log(b) : double.NegativeInfinity)
            : MGamma.PDFLn(a, b, xf);
        float got = new RGamma(a, b).LogProb(xf).ToScalar();
        if (double.IsInfinity(expected)) { Assert.Equal(expected, got); return; }
        // One double evaluation rounded once (2^-24 relative) plus MathNet's error: its log Γ is good to ~1e-15
        // relative of α·log α, and its own sum of terms of size α·log α carries ~1e-16 of each.
        double scale = Math.Abs(a * Math.Log(b)) + (a == 1 ? 0 : Math.Abs((a - 1) * Math.Log(xf))) + b * xf + Math.Abs(SpecialFunctions.LogGamma(a));
        Assert.Equal(expected, got, Math.Abs(expected) * 1e-7 + 1e-14 * scale);
    }

    [Fact]
    public void LogProb_Gradients_MatchFiniteDifferences() =>
        GradCheck.Check(v => new RGamma(v[1], v[2]).LogProb(v[0]),
            Tensor.Vector(0.3f, 2f, 7f), Tensor.Vector(0.5f, 2f, 9f), Tensor.Vector(1.5f, 0.7f, 1.2f));

    [Theory]
    [InlineData(0.1, 1)] [InlineData(0.5, 2)] [InlineData(1, 1)] [InlineData(3, 0.5)] [InlineData(50, 4)]
    public void Sample_KolmogorovSmirnovAndMoments_MatchMathNet(double shape, double rate)
    {
        const int n = 20_000;
        var d = new RGamma((float)shape, (float)rate);
        var s = d.Sample(new Rng(21), [n]).ToArray();
        Assert.All(s, v => Assert.True(v > 0 && float.IsFinite(v)));
        GoodnessOfFit.AssertKs(s, x => GoodnessOfFit.GammaCdf(shape, rate, x), $"Gamma({shape}, {rate})");
        GoodnessOfFit.AssertMoments(s, shape / rate, shape / (rate * rate), $"Gamma({shape}, {rate})");
    }

    [Fact]
    public void Sample_Batched_UsesEachElementsParameters()
    {
        const int n = 20_000;
        var d = new RGamma(Tensor.Vector(0.3f, 4f), Tensor.Matrix(new float[,] { { 1f }, { 3f } }));
        Assert.Equal([2, 2], d.BatchShape);
        var s = d.Sample(new Rng(22), [n]);
        Assert.Equal([n, 2, 2], s.Shape);
        for (int j = 0; j < 4; j++)
        {
            double a = j % 2 == 0 ? 0.3 : 4, b = j / 2 == 0 ? 1 : 3;
            GoodnessOfFit.AssertKs(BernoulliTests.Column(s, j, 4), x => GoodnessOfFit.GammaCdf(a, b, x), $"element {j}");
        }
    }

    // The implicit reparameterization gradient against known derivatives of expectations, for small and large shapes:
    // E[x] = α/β, E[x²] = α(α + 1)/β², E[log x] = ψ(α) − log β. Each per-draw derivative is one draw of an unbiased
    // estimator, so their mean must match within 5 SE.
    [Theory]
    [MemberData(nameof(Shapes))]
    public void RSample_ImplicitShapeGradient_MatchesDerivativesOfMoments(double shape)
    {
        const int n = 20_000;
        float a = (float)shape, b = 1.7f;
        RGamma Make(Var[] p) => new(p[0], p[1]);
        ImplicitGradientChecks.AssertMeanNear(ImplicitGradientChecks.PerDrawGradients(Make, x => x, [a, b], 0, n, 31),
            1 / b, $"dE[x]/dα at α={a}");
        ImplicitGradientChecks.AssertMeanNear(ImplicitGradientChecks.PerDrawGradients(Make, Ops.Square, [a, b], 0, n, 32),
            (2 * a + 1) / (b * b), $"dE[x²]/dα at α={a}");
        ImplicitGradientChecks.AssertMeanNear(ImplicitGradientChecks.PerDrawGradients(Make, Ops.Log, [a, b], 0, n, 33),
            SpecialFunctions.Trigamma(a), $"dE[log x]/dα at α={a}");
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void RSample_RateGradient_MatchesDerivativesOfMoments(double shape)
    {
        const int n = 20_000;
        float a = (float)shape, b = 1.7f;
        RGamma Make(Var[] p) => new(p[0], p[1]);
        ImplicitGradientChecks.AssertMeanNear(ImplicitGradientChecks.PerDrawGradients(Make, x => x, [a, b], 1, n, 34),
            -a / (b * b), $"dE[x]/dβ at α={a}");
        ImplicitGradientChecks.AssertMeanNear(ImplicitGradientChecks.PerDrawGradients(Make, Ops.Square, [a, b], 1, n, 35),
            -2 * a * (a + 1) / (b * b * b), $"dE[x²]/dβ at α={a}");
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void RSample_ShapeGradient_MatchesQuantileCoupledFiniteDifferencesPerDraw(double shape)
    {
        // Per draw, the op's dx/dα against the derivative of the quantile coupling x(α) = F⁻¹(F(x; α); α) by
        // finite differences in double (see QuantileCoupling): the same quantity computed independently, so they
        // agree to the float rounding of the op's result (2^-24 relative) and the difference's error (≈ 10⁻⁹
        // relative), well inside 10⁻⁵ relative; a wrong derivative (e.g. the α ≥ 1 approximation at α = 0.1) is off by
        // O(1) relative.
        const int n = 200;
        float a = (float)shape, b = 1.7f;
        var tape = new Tape();
        var alpha = tape.Attach(Var.Parameter(Tensor.Full(a, n)));
        var x = new RGamma(alpha, b).RSample(new Rng(51));
        tape.Backward(Ops.Sum(x));
        var xs = x.Value.Span; var g = alpha.Grad!.Span;
        for (int i = 0; i < n; i++)
        {
            double standard = (double)xs[i] * b;
            double fd = QuantileCoupling.ShapeDerivative(Math.Log(standard), a) / b;
            Assert.True(Math.Abs(g[i] - fd) <= 1e-5 * Math.Abs(fd) + 1e-300,
                $"draw {i} (x = {xs[i]:G6}): implicit {g[i]:G8}, quantile-coupled finite difference {fd:G8}");
        }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void RSample_RateGradient_MatchesFiniteDifferencesWithCommonRandomNumbers(double shape) =>
        ImplicitGradientChecks.AssertSmoothCrn(p => new RGamma(p[0], p[1]), Ops.Log1p, [(float)shape, 1.3f], 1, 2000, 43);

    [Theory]
    [InlineData(0.1, 1)] [InlineData(2.5, 0.3)] [InlineData(40, 7)]
    public void MeanVarianceEntropy_MatchMathNet(double shape, double rate)
    {
        var m = new MGamma(shape, rate);
        var d = new RGamma((float)shape, (float)rate);
        Assert.Equal(m.Mean, d.Mean.ToScalar(), 1e-6 * m.Mean);
        Assert.Equal(m.Variance, d.Variance.ToScalar(), 1e-6 * m.Variance);
        Assert.Equal(m.Entropy, d.Entropy().ToScalar(), 1e-6 * (1 + Math.Abs(m.Entropy)));
    }

    [Fact]
    public void Entropy_Gradient_MatchesFiniteDifferences() =>
        GradCheck.Check(v => new RGamma(v[0], v[1]).Entropy(), Tensor.Vector(0.3f, 2f, 30f), Tensor.Vector(0.5f, 1f, 4f));

    [Fact]
    public void Expand_BroadcastsParameters_AndKeepsRSample()
    {
        var e = new RGamma(2f, 3f).Expand([2, 3]);
        Assert.Equal([2, 3], e.BatchShape);
        Assert.True(e.HasRSample);
        Assert.Equal([2, 3], e.LogProb(1f).Shape);
        Assert.Equal([4, 2, 3], e.RSample(new Rng(1), [4]).Shape);
        Assert.Equal([2, 3], e.Entropy().Shape);
    }
}
