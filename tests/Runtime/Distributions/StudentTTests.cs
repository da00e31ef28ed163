using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Random;
using Ppl.Runtime.Tensors;
using MN = MathNet.Numerics.Distributions;
using RStudentT = Ppl.Runtime.Distributions.StudentT;

namespace Ppl.Runtime.Tests.Distributions;

public class StudentTTests
{
    [Theory]
    [InlineData(3, 0, 1, 0)] [InlineData(1, 1.5, 0.01, 1.52)] [InlineData(0.5, -3, 1e-3, 40)] [InlineData(5, 2, 100, -1e6)]
    [InlineData(1e4, 0, 1, 2.5)] [InlineData(30, 1, 2, 1e3)] [InlineData(0.1, 0, 1, 1e10)]
    public void LogProb_MatchesMathNet(double df, double loc, double scale, double x)
    {
        double expected = MN.StudentT.PDFLn(loc, scale, df, x);
        double actual = new RStudentT((float)df, (float)loc, (float)scale).LogProb((float)x).ToScalar();
        Assert.Equal(expected, actual, Math.Abs(expected) * 1e-5 + 1e-4);
    }

    [Fact]
    public void LogProb_LargeDf_ApproachesNormal()
    {
        // At ν = 10⁶ the t density differs from the normal by O(1/ν); the log normaliser alone would lose ≈ 10⁻¹ in float.
        double expected = MN.Normal.PDFLn(0.5, 2, 1.7);
        Assert.Equal(expected, new RStudentT(1e6f, 0.5f, 2f).LogProb(1.7f).ToScalar(), 1e-4);
    }

    [Theory] [InlineData(10)] [InlineData(1.5)] [InlineData(0.7)]
    public void Sample_Ks_MatchesLaw(double df)
    {
        var d = new RStudentT((float)df, 0.5f, 1.5f);
        // Moments only where the fourth moment (which the variance's SE uses) exists: ν > 4.
        DistributionChecks.CheckSamples(d, x => MN.StudentT.CDF(0.5, 1.5, df, x), moments: df > 4, seed: (ulong)(df * 10));
    }

    [Fact]
    public void MeanAndVariance_FollowTheirRegimes()
    {
        var d = new RStudentT(Var.Const(Tensor.Vector(0.5f, 1.5f, 5f)), 2f, 3f);
        var m = d.Mean.Value; var v = d.Variance.Value;
        Assert.True(float.IsNaN(m[0]));
        Assert.Equal(2f, m[1]);
        Assert.Equal(2f, m[2]);
        Assert.True(float.IsNaN(v[0]));
        Assert.Equal(float.PositiveInfinity, v[1]);
        Assert.Equal(9 * 5 / 3.0, v[2], 1e-5);
    }

    [Theory] [InlineData(3)] [InlineData(0.8)] [InlineData(40)]
    public void Entropy_MatchesQuadrature(double df)
    {
        // MathNet has no t entropy: −∫ p log p by the trapezoid rule in x = μ + σ·sinh t, which turns the power-law
        // tails |x|^{−ν−1} into e^{−ν|t|}: on t ∈ [−100, 100] with step 10⁻³ the truncation (≈ e^{−80}) and the rule's
        // error are far below the tolerance.
        const double loc = 1, scale = 2.5;
        double h = Integrate(x => { double lp = MN.StudentT.PDFLn(loc, scale, df, x); return -Math.Exp(lp) * lp; }, loc, scale);
        Assert.Equal(h, new RStudentT((float)df, (float)loc, (float)scale).Entropy().ToScalar(), 1e-4);
    }

    [Fact]
    public void Entropy_LargeDf_ApproachesNormal() =>
        // H(ν) − H_normal = O(1/ν); at ν = 10⁶ float terms of size log ν would cancel to noise without the double op.
        Assert.Equal(new MN.Normal(0, 2.5).Entropy, new RStudentT(1e6f, 0f, 2.5f).Entropy().ToScalar(), 1e-5);

    [Fact] public void Entropy_MatchesMonteCarlo() => DistributionChecks.CheckEntropy(new RStudentT(4f, -1f, 0.3f));

    [Fact] public void Expand_BroadcastsBatch() => DistributionChecks.CheckExpand(new RStudentT(3f, 0.1f, 0.7f), 1.3f);

    [Fact]
    public void RSample_LocScaleGradient_MatchesCommonRandomNumberFiniteDifferences() =>
        // ν is held constant here: its gradient comes from the implicit rule, checked against quadrature below.
        RSampleGradCheck.Check(p => new RStudentT(Var.Const(Tensor.Vector(3f, 0.8f)), p[0], p[1]), RSampleGradCheck.Probe,
            Tensor.Vector(0.2f, -0.4f), Tensor.Vector(0.3f, 1.6f));

    [Theory] [InlineData(3)] [InlineData(0.8)] [InlineData(30)]
    public void RSample_DfGradient_MatchesQuantileCoupledFiniteDifferencesPerDraw(double df)
    {
        // White-box and deterministic: the draw is x = μ + σ·ε·√(α/g), α = ν/2, with ε and g taken from the generator in
        // this order (normals, then gammas), so the test replays them, checks it reproduces x, and differentiates
        // x(ν) = μ + σ·ε·√(α/g(α)) along the quantile coupling of g (the coupling the implicit gradient is the derivative
        // along; see QuantileCoupling), by a Richardson-extrapolated central difference in double. The op's float
        // chain rule then agrees to ≈ 10⁻⁵ relative; a dropped or wrong ν path is off by O(1).
        const int n = 200;
        const float loc = 0.3f, scale = 1.2f;
        var tape = new Tape();
        var nu = tape.Attach(Var.Parameter(Tensor.Full((float)df, n)));
        var x = new RStudentT(nu, loc, scale).RSample(new Rng(77));
        tape.Backward(Ops.Sum(x));

        var rng = new Rng(77);
        var eps = new float[n]; rng.FillNormal(eps);
        float a = (float)df * 0.5f;
        var alphas = Enumerable.Repeat(a, n).ToArray();
        var g = new float[n]; rng.FillGamma(alphas, g);
        for (int i = 0; i < n; i++)
        {
            double logG = Math.Log(g[i]);
            double X(double nuPrime)
            {
                double ap = nuPrime / 2, gp = Math.Exp(QuantileCoupling.CoupledLogGamma(logG, a, ap));
                return loc + scale * eps[i] * Math.Sqrt(ap / gp);
            }
            Assert.Equal(X(2 * a), x.Value[i], 1e-5 * (1 + Math.Abs(x.Value[i])));
            double h = 1e-3 * df;
            double D(double s) => (X(2 * a + s) - X(2 * a - s)) / (2 * s);
            double fd = (4 * D(h) - D(2 * h)) / 3;
            Assert.True(Math.Abs(nu.Grad![i] - fd) <= 1e-4 * (1 + Math.Abs(fd)),
                $"draw {i} (x = {x.Value[i]:G6}): implicit {nu.Grad[i]:G8}, quantile-coupled finite difference {fd:G8}");
        }
    }

    [Theory] [InlineData(3)] [InlineData(0.8)]
    public void RSample_DfGradient_MatchesQuadratureDerivativeOfExpectation(double df)
    {
        // The gamma draw behind ν is a rejection sampler, so a finite difference with common random numbers follows
        // the sampler's own path, not the implicit-reparameterization path: the two agree only in expectation. The
        // check is therefore statistical: d/dν E[g(X)] by central differences of E[g(X)] computed by quadrature, against
        // the mean of n per-draw implicit gradients (ν given as n equal parameters, one per draw, so each draw's gradient
        // is separate), within 5 standard errors of that mean.
        const double loc = 0.3, scale = 1.2, h = 1e-3;
        const int n = 20_000;
        static double G(double x) => x * x / (1 + x * x);
        double Expect(double v) => Integrate(x => G(x) * MN.StudentT.PDF(loc, scale, v, x), loc, scale);
        double expected = (Expect(df + h) - Expect(df - h)) / (2 * h);

        var tape = new Tape();
        var nu = tape.Attach(Var.Parameter(Tensor.Full((float)df, n)));
        var x = new RStudentT(nu, (float)loc, (float)scale).RSample(new Rng(21));
        tape.Backward(Ops.Sum(Ops.Elementwise<SquareOverOnePlusSquare>(x)));
        var grads = nu.Grad!.ToArray().Select(v => (double)v).ToArray();
        var (mean, se) = GoodnessOfFit.MeanAndSe(grads);
        Assert.True(Math.Abs(mean - expected) <= 5 * se, $"implicit gradient mean {mean} (SE {se:G3}), quadrature {expected}");
        // A dropped df path (gradient 0) or a wrong sign would be many SE away: the signal is ≫ 5 SE here.
        Assert.True(Math.Abs(expected) > 10 * se, $"test too weak: |d/dν| = {Math.Abs(expected)}, SE {se}");
    }

    /// <summary>∫ f(x) dx over ℝ by the trapezoid rule in x = μ + σ·sinh t, t ∈ [−100, 100], step 10⁻³.</summary>
    static double Integrate(Func<double, double> f, double loc, double scale)
    {
        const double step = 1e-3;
        double s = 0;
        for (int i = -100_000; i <= 100_000; i++)
        {
            double t = i * step;
            s += f(loc + scale * Math.Sinh(t)) * scale * Math.Cosh(t);
        }
        return s * step;
    }

    readonly struct SquareOverOnePlusSquare : IScalarFunction1
    {
        public static double Value(double x) => x * x / (1 + x * x);
        public static double Derivative(double x) => 2 * x / ((1 + x * x) * (1 + x * x));
    }

    [Fact]
    public void LogProb_GradientInParametersAndValue_MatchesFiniteDifferences() =>
        Ppl.Runtime.Tests.Autodiff.GradCheck.Check(x => new RStudentT(x[0], x[1], x[2]).LogProb(x[3]), Tensor.Vector(0.7f, 4f), Tensor.Vector(0.2f, -0.4f), Tensor.Vector(0.3f, 1.6f), Tensor.Vector(0.8f, 2.5f));
}
