using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Numerics;
using Ppl.Runtime.Random;
using Ppl.Runtime.Tensors;
using Ppl.Runtime.Tests.Autodiff;
using MInverseGamma = MathNet.Numerics.Distributions.InverseGamma;
using RInverseGamma = Ppl.Runtime.Distributions.InverseGamma;

namespace Ppl.Runtime.Tests.Distributions;

public class InverseGammaTests
{
    [Theory]
    [InlineData(3, 2, 1.5)] [InlineData(0.1, 1, 1e20)] [InlineData(0.1, 1, 1e-3)] [InlineData(50, 10, 0.2)]
    [InlineData(1000, 999, 1.001)] [InlineData(2.5, 1e-3, 1e-5)] [InlineData(1, 1, 0)] [InlineData(1, 1, -2)]
    public void LogProb_MatchesMathNet(double shape, double scale, double y)
    {
        float a = (float)shape, b = (float)scale, yf = (float)y;
        double ad = a, bd = b, yd = yf;
        // Reference in double: α·log β − log Γ(α) − (α + 1)·log y − β/y. MathNet agrees where it is finite, but its
        // PDFLn takes the log of an underflowed density (−∞ at y = 10⁻³, α = 0.1, where the log density is −994.65).
        double expected = yf <= 0 ? double.NegativeInfinity
            : ad * Math.Log(bd) - MathNet.Numerics.SpecialFunctions.GammaLn(ad) - (ad + 1) * Math.Log(yd) - bd / yd;
        double mathNet = MInverseGamma.PDFLn(a, b, yf);
        if (double.IsFinite(mathNet) && yf > 0) Assert.Equal(expected, mathNet, 1e-9 * (1 + Math.Abs(expected)));
        float got = new RInverseGamma(a, b).LogProb(yf).ToScalar();
        if (double.IsInfinity(expected)) { Assert.Equal(expected, got); return; }
        double scaleOfTerms = Math.Abs(a * Math.Log(b)) + Math.Abs((a + 1) * Math.Log(yf)) + b / yf + Math.Abs(SpecialFunctions.LogGamma(a));
        Assert.Equal(expected, got, Math.Abs(expected) * 1e-7 + 1e-14 * scaleOfTerms);
    }

    [Fact]
    public void LogProb_Gradients_MatchFiniteDifferences() =>
        GradCheck.Check(v => new RInverseGamma(v[1], v[2]).LogProb(v[0]),
            Tensor.Vector(0.3f, 2f, 7f), Tensor.Vector(0.5f, 2f, 9f), Tensor.Vector(1.5f, 0.7f, 1.2f));

    [Theory]
    [InlineData(0.1, 1)] [InlineData(0.5, 2)] [InlineData(3, 1)] [InlineData(50, 4)]
    public void Sample_KolmogorovSmirnov_MatchesCdf(double shape, double scale)
    {
        const int n = 20_000;
        var s = new RInverseGamma((float)shape, (float)scale).Sample(new Rng(61), [n]).ToArray();
        Assert.All(s, v => Assert.True(v > 0 && float.IsFinite(v)));
        // F(y) = Q(α, β/y) = 1 − P(α, β/y); P from the reference that MathNet's small-argument underflow does not affect.
        GoodnessOfFit.AssertKs(s, y => 1 - GoodnessOfFit.GammaCdf(shape, scale, 1 / y), $"InverseGamma({shape}, {scale})");
    }

    [Fact]
    public void Sample_Moments_MatchWhereTheFourthMomentExists()
    {
        // The variance check needs E[y⁴] < ∞, i.e. α > 4.
        var d = new RInverseGamma(Tensor.Vector(6f, 50f), Tensor.Vector(2f, 3f));
        var s = d.Sample(new Rng(62), [20_000]);
        var mean = d.Mean.Value; var variance = d.Variance.Value;
        for (int j = 0; j < 2; j++) GoodnessOfFit.AssertMoments(BernoulliTests.Column(s, j, 2), mean[j], variance[j], $"element {j}");
    }

    [Theory]
    [MemberData(nameof(GammaTests.Shapes), MemberType = typeof(GammaTests))]
    public void RSample_ImplicitShapeGradient_MatchesDerivativesOfMoments(double shape)
    {
        // E[log y] = log β − ψ(α) exists for every α; E[y] = β/(α − 1) only for α > 1, and its per-draw derivative
        // −(β/X²)·dX/dα has finite variance only for α > 2, so it is checked at α = 3 and 50 (E[y²] at 50).
        const int n = 20_000;
        float a = (float)shape, b = 1.7f;
        RInverseGamma Make(Var[] p) => new(p[0], p[1]);
        ImplicitGradientChecks.AssertMeanNear(ImplicitGradientChecks.PerDrawGradients(Make, Ops.Log, [a, b], 0, n, 63),
            -SpecialFunctions.Trigamma(a), $"dE[log y]/dα at α={a}");
        ImplicitGradientChecks.AssertMeanNear(ImplicitGradientChecks.PerDrawGradients(Make, Ops.Log, [a, b], 1, n, 64),
            1 / b, $"dE[log y]/dβ at α={a}");
        if (a > 2)
            ImplicitGradientChecks.AssertMeanNear(ImplicitGradientChecks.PerDrawGradients(Make, y => y, [a, b], 0, n, 65),
                -b / ((a - 1) * (a - 1)), $"dE[y]/dα at α={a}");
        // E[y²] = β²/((α − 1)(α − 2)); its per-draw derivative 2y·dy/dα has finite variance for α > 4.
        double q = (a - 1.0) * (a - 2.0);
        if (a > 4)
            ImplicitGradientChecks.AssertMeanNear(ImplicitGradientChecks.PerDrawGradients(Make, Ops.Square, [a, b], 0, n, 68),
                -(double)b * b * (2 * a - 3) / (q * q), $"dE[y²]/dα at α={a}");
    }

    [Theory]
    [MemberData(nameof(GammaTests.Shapes), MemberType = typeof(GammaTests))]
    public void RSample_ShapeGradient_MatchesQuantileCoupledFiniteDifferencesPerDraw(double shape)
    {
        // y = β/X: dy/dα = −(y/X)·dX/dα with dX/dα from the quantile coupling of X (see GammaTests for the tolerance).
        const int n = 200;
        float a = (float)shape, b = 1.7f;
        var tape = new Tape();
        var alpha = tape.Attach(Var.Parameter(Tensor.Full(a, n)));
        var y = new RInverseGamma(alpha, b).RSample(new Rng(66));
        tape.Backward(Ops.Sum(y));
        var ys = y.Value.Span; var g = alpha.Grad!.Span;
        for (int i = 0; i < n; i++)
        {
            double x = b / (double)ys[i];
            double fd = -(ys[i] / x) * QuantileCoupling.ShapeDerivative(Math.Log(x), a);
            Assert.True(Math.Abs(g[i] - fd) <= 1e-5 * Math.Abs(fd),
                $"draw {i} (y = {ys[i]:G6}): implicit {g[i]:G8}, quantile-coupled finite difference {fd:G8}");
        }
    }

    [Theory]
    [InlineData(0.5)] [InlineData(3)] [InlineData(50)]
    public void RSample_ScaleGradient_MatchesFiniteDifferencesWithCommonRandomNumbers(double shape) =>
        ImplicitGradientChecks.AssertSmoothCrn(p => new RInverseGamma(p[0], p[1]), Ops.Log, [(float)shape, 1.3f], 1, 2000, 67);

    [Theory]
    [InlineData(3, 2)] [InlineData(2.5, 0.3)] [InlineData(40, 7)]
    public void MeanVarianceEntropy_MatchMathNet(double shape, double scale)
    {
        var m = new MInverseGamma(shape, scale);
        var d = new RInverseGamma((float)shape, (float)scale);
        Assert.Equal(m.Mean, d.Mean.ToScalar(), 1e-6 * m.Mean);
        Assert.Equal(m.Variance, d.Variance.ToScalar(), 1e-6 * m.Variance);
        Assert.Equal(m.Entropy, d.Entropy().ToScalar(), 1e-6 * (1 + Math.Abs(m.Entropy)));
    }

    [Fact]
    public void MeanVariance_InfiniteBelowTheirShapes()
    {
        var d = new RInverseGamma(Tensor.Vector(0.5f, 1.5f, 3f), 1f);
        Assert.Equal([float.PositiveInfinity, 2f, 0.5f], d.Mean.Value.ToArray());
        Assert.Equal(float.PositiveInfinity, d.Variance.Value[0]);
        Assert.Equal(float.PositiveInfinity, d.Variance.Value[1]);
        Assert.Equal(0.25f, d.Variance.Value[2], 1e-6f);
    }

    [Fact]
    public void MeanVarianceEntropy_Gradients_MatchFiniteDifferences()
    {
        GradCheck.Check(v => new RInverseGamma(v[0], v[1]).Mean, Tensor.Vector(1.5f, 3f, 30f), Tensor.Vector(0.5f, 1f, 4f));
        GradCheck.Check(v => new RInverseGamma(v[0], v[1]).Variance, Tensor.Vector(2.5f, 3f, 30f), Tensor.Vector(0.5f, 1f, 4f));
        GradCheck.Check(v => new RInverseGamma(v[0], v[1]).Entropy(), Tensor.Vector(0.3f, 2f, 30f), Tensor.Vector(0.5f, 1f, 4f));
    }

    [Fact]
    public void Expand_BroadcastsParameters_AndKeepsRSample()
    {
        var e = new RInverseGamma(2f, 3f).Expand([2, 3]);
        Assert.Equal([2, 3], e.BatchShape);
        Assert.True(e.HasRSample);
        Assert.Equal([4, 2, 3], e.RSample(new Rng(1), [4]).Shape);
        Assert.Equal([2, 3], e.LogProb(1f).Shape);
    }
}
