using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Random;
using Ppl.Runtime.Tensors;
using Ppl.Runtime.Tests.Autodiff;
using MBeta = MathNet.Numerics.Distributions.Beta;
using RBeta = Ppl.Runtime.Distributions.Beta;

namespace Ppl.Runtime.Tests.Distributions;

public class BetaTests
{
    public static readonly TheoryData<double, double> Concentrations = new()
    {
        { 0.1, 0.1 }, { 0.5, 2 }, { 1, 1 }, { 3, 0.5 }, { 50, 20 },
    };

    [Theory]
    [InlineData(2, 3, 0.4)] [InlineData(0.1, 0.1, 1e-30)] [InlineData(0.1, 0.1, 0.5)] [InlineData(0.5, 0.5, 0.99999994)]
    [InlineData(1000, 3000, 0.25)] [InlineData(1, 1, 0)] [InlineData(1, 1, 1)] [InlineData(2, 1, 0)] [InlineData(0.5, 2, 0)]
    [InlineData(2, 2, 1.5)] [InlineData(2, 2, -0.1)] [InlineData(50, 20, 1e-3)]
    public void LogProb_MatchesMathNet(double a, double b, double x)
    {
        float af = (float)a, bf = (float)b, xf = (float)x;
        // Outside [0, 1] the density is 0; at the ends it is 0, finite or +∞ by the exponent (MathNet is NaN there).
        double expected = !(xf >= 0 && xf <= 1) ? double.NegativeInfinity
            : xf == 0 ? (af < 1 ? double.PositiveInfinity : af == 1 ? -MathNet.Numerics.SpecialFunctions.BetaLn(af, bf) : double.NegativeInfinity)
            : xf == 1 ? (bf < 1 ? double.PositiveInfinity : bf == 1 ? -MathNet.Numerics.SpecialFunctions.BetaLn(af, bf) : double.NegativeInfinity)
            : MBeta.PDFLn(af, bf, xf);
        float got = new RBeta(af, bf).LogProb(xf).ToScalar();
        if (double.IsInfinity(expected)) { Assert.Equal(expected, got); return; }
        // Rounded once from double; MathNet's log B(a, b) is good to ~1e-15 relative of its terms (a + b)·log(a + b).
        Assert.Equal(expected, got, Math.Abs(expected) * 1e-7 + 1e-14 * (af + bf) * Math.Log(af + bf + 2) + 1e-12);
    }

    [Fact]
    public void LogProb_Gradients_MatchFiniteDifferences() =>
        GradCheck.Check(v => new RBeta(v[1], v[2]).LogProb(v[0]),
            Tensor.Vector(0.2f, 0.5f, 0.9f), Tensor.Vector(0.5f, 2f, 9f), Tensor.Vector(1.5f, 0.7f, 3f));

    [Theory]
    [MemberData(nameof(Concentrations))]
    public void Sample_KolmogorovSmirnovAndMoments_MatchMathNet(double a, double b)
    {
        const int n = 20_000;
        var d = new RBeta((float)a, (float)b);
        var s = d.Sample(new Rng(71), [n]).ToArray();
        Assert.True(d.Support.Check(s));
        Assert.All(s, v => Assert.True(v > 0 && v < 1, $"draw {v} is not inside (0, 1)"));
        // Draws within 2^-24 of 1 are not representable apart from 1 in float and sit at the largest float below 1
        // (for a = b = 0.1 that is 9.5% of the mass). So: KS on the draws below that point against the CDF conditioned
        // on it, and the share at it against 1 − F(top) within 5 binomial SE.
        const float top = 0.99999994f;
        double fTop = MBeta.CDF(a, b, top);
        var below = s.Where(v => v < top).ToArray();
        double share = 1 - (double)below.Length / n, se = Math.Sqrt(fTop * (1 - fTop) / n);
        Assert.True(Math.Abs(share - (1 - fTop)) <= 5 * se + 1e-9, $"share at the top {share:G4}, expected {1 - fTop:G4}");
        GoodnessOfFit.AssertKs(below, x => MBeta.CDF(a, b, x) / fTop, $"Beta({a}, {b})");
        GoodnessOfFit.AssertMoments(s, a / (a + b), a * b / ((a + b) * (a + b) * (a + b + 1)), $"Beta({a}, {b})");
    }

    // The gamma-pair gradient against known derivatives: E[z] = a/s, E[z²] = a(a + 1)/(s(s + 1)), s = a + b.
    [Theory]
    [MemberData(nameof(Concentrations))]
    public void RSample_ImplicitGradient_MatchesDerivativesOfMoments(double a, double b)
    {
        const int n = 20_000;
        float af = (float)a, bf = (float)b;
        double s = a + b, q = s * (s + 1), m2 = a * (a + 1) / q;
        RBeta Make(Var[] p) => new(p[0], p[1]);
        ImplicitGradientChecks.AssertMeanNear(ImplicitGradientChecks.PerDrawGradients(Make, z => z, [af, bf], 0, n, 72),
            b / (s * s), $"dE[z]/da at ({a}, {b})");
        ImplicitGradientChecks.AssertMeanNear(ImplicitGradientChecks.PerDrawGradients(Make, z => z, [af, bf], 1, n, 73),
            -a / (s * s), $"dE[z]/db at ({a}, {b})");
        ImplicitGradientChecks.AssertMeanNear(ImplicitGradientChecks.PerDrawGradients(Make, Ops.Square, [af, bf], 0, n, 74),
            ((2 * a + 1) - m2 * (2 * s + 1)) / q, $"dE[z²]/da at ({a}, {b})");
        ImplicitGradientChecks.AssertMeanNear(ImplicitGradientChecks.PerDrawGradients(Make, Ops.Square, [af, bf], 1, n, 75),
            -m2 * (2 * s + 1) / q, $"dE[z²]/db at ({a}, {b})");
    }

    [Theory]
    [MemberData(nameof(Concentrations))]
    public void RSample_Gradient_MatchesQuantileCoupledFiniteDifferencesPerDraw(double a, double b)
    {
        // z = X/(X + Y) from log-gamma draws taken in order (X then Y per draw), which the test replays from the same
        // seed; each gamma is moved along its quantile coupling and z is differenced in double (through 1 − z when
        // z > ½, so no digits are lost near 1). The op never forms 1 − z either, so the two agree to float rounding
        // (2^-24 relative per factor) and the difference's error (10⁻⁹): 10⁻⁵ relative.
        const int n = 200;
        const ulong seed = 76;
        float af = (float)a, bf = (float)b;
        var tape = new Tape();
        var pa = tape.Attach(Var.Parameter(Tensor.Full(af, n)));
        var pb = tape.Attach(Var.Parameter(Tensor.Full(bf, n)));
        var z = new RBeta(pa, pb).RSample(new Rng(seed));
        tape.Backward(Ops.Sum(z));
        var replay = new Rng(seed);
        for (int i = 0; i < n; i++)
        {
            double lx = replay.LogGammaVariate(af), ly = replay.LogGammaVariate(bf);
            double zi = Sigmoid(lx - ly);
            Assert.Equal(zi, z.Value.Span[i], 2e-7 * zi + 1e-37);
            foreach (var (k, grad) in new[] { (0, pa.Grad!.Span[i]), (1, pb.Grad!.Span[i]) })
            {
                double shape = k == 0 ? af : bf, l = k == 0 ? lx : ly, other = k == 0 ? ly : lx;
                double sign = k == 0 ? 1 : -1;
                // z as a function of the moved log-gamma: σ(±(l′ − other)); 1 − z = σ(∓(l′ − other)).
                double Z(double step)
                {
                    double moved = QuantileCoupling.CoupledLogGamma(l, shape, shape + step);
                    return zi > 0.5 ? -Sigmoid(-sign * (moved - other)) : Sigmoid(sign * (moved - other));
                }
                double h = 1e-3 * shape;
                double D(double st) => (Z(st) - Z(-st)) / (2 * st);
                double fd = (4 * D(h) - D(2 * h)) / 3;
                Assert.True(Math.Abs(grad - fd) <= 1e-5 * Math.Abs(fd) + 1e-40,
                    $"draw {i} (z = {zi:G6}), ∂/∂{(k == 0 ? "a" : "b")}: implicit {grad:G8}, quantile-coupled finite difference {fd:G8}");
            }
        }
    }

    static double Sigmoid(double t) => t >= 0 ? 1 / (1 + Math.Exp(-t)) : Math.Exp(t) / (1 + Math.Exp(t));

    [Theory]
    [InlineData(0.1, 0.1)] [InlineData(2.5, 0.3)] [InlineData(40, 7)]
    public void MeanVarianceEntropy_MatchMathNet(double a, double b)
    {
        var m = new MBeta(a, b);
        var d = new RBeta((float)a, (float)b);
        Assert.Equal(m.Mean, d.Mean.ToScalar(), 1e-6 * m.Mean);
        Assert.Equal(m.Variance, d.Variance.ToScalar(), 1e-6 * m.Variance);
        Assert.Equal(m.Entropy, d.Entropy().ToScalar(), 1e-6 * (1 + Math.Abs(m.Entropy)));
    }

    [Fact]
    public void Entropy_Gradient_MatchesFiniteDifferences() =>
        GradCheck.Check(v => new RBeta(v[0], v[1]).Entropy(), Tensor.Vector(0.3f, 2f, 30f), Tensor.Vector(0.5f, 1f, 4f));

    [Fact]
    public void Expand_BroadcastsParameters_AndKeepsRSample()
    {
        var e = new RBeta(2f, Tensor.Vector(1f, 3f)).Expand([4, 2]);
        Assert.Equal([4, 2], e.BatchShape);
        Assert.True(e.HasRSample);
        Assert.Equal([3, 4, 2], e.RSample(new Rng(1), [3]).Shape);
        Assert.Equal([4, 2], e.LogProb(0.5f).Shape);
    }
}
