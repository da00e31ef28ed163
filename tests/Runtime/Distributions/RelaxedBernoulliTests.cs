using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Random;
using Ppl.Runtime.Tensors;
using RelaxedB = Ppl.Runtime.Distributions.RelaxedBernoulli;

namespace Ppl.Runtime.Tests.Distributions;

public class RelaxedBernoulliTests
{
    /// <summary>Maddison et al. (2017) eq. 26 in double: λα y^{−λ−1}(1 − y)^{−λ−1} / (α y^{−λ} + (1 − y)^{−λ})², in logs.</summary>
    static double RefLogPdf(double lambda, double logit, double y)
    {
        double a = Math.Log(lambda) + logit - (lambda + 1) * (Math.Log(y) + Math.Log(1 - y));
        double d = Math.Log(Math.Exp(logit - lambda * Math.Log(y)) + Math.Exp(-lambda * Math.Log(1 - y)));
        return a - 2 * d;
    }

    [Theory]
    [InlineData(0.5, 0, 0.5)] [InlineData(0.5, 2, 0.9)] [InlineData(0.1, -1, 1e-3)] [InlineData(2, 3, 0.25)] [InlineData(0.3, 0.5, 0.999)]
    [InlineData(1, -4, 1e-6)]
    public void LogProb_MatchesConcreteDensity(double lambda, double logit, double y)
    {
        double expected = RefLogPdf((float)lambda, (float)logit, (float)y);
        double actual = RelaxedB.FromLogits((float)lambda, (float)logit).LogProb((float)y).ToScalar();
        Assert.Equal(expected, actual, Math.Abs(expected) * 1e-5 + 2e-4);
    }

    [Fact]
    public void FromProbs_EqualsFromLogits()
    {
        var a = new RelaxedB(0.7f, 0.2f).LogProb(0.3f).ToScalar();
        var b = RelaxedB.FromLogits(0.7f, (float)Math.Log(0.2 / 0.8)).LogProb(0.3f).ToScalar();
        Assert.Equal(b, a, 1e-5);
    }

    [Theory] [InlineData(0.5, 1)] [InlineData(2, -1)]
    public void LogProb_DensityIntegratesToOne(double lambda, double logit)
    {
        // ∫₀¹ p(y) dy = ∫ p(σ(x)) σ′(x) dx; trapezoid in x on [−60, 60] (step 0.01): the logistic tails beyond hold
        // < e^{−60·min(λ,1)/… } ≈ 10⁻¹³ and the rule is spectrally accurate for this smooth, decaying integrand.
        var d = RelaxedB.FromLogits((float)lambda, (float)logit);
        int n = 12_000;
        var y = Tensor.Zeros(n + 1);
        var jac = new double[n + 1];
        for (int i = 0; i <= n; i++)
        {
            double x = -60 + i * 0.01, s = 1 / (1 + Math.Exp(-x));
            y[i] = (float)s;
            jac[i] = s * (1 - s);
        }
        var lp = d.LogProb(y).Value;
        double sum = 0;
        for (int i = 0; i <= n; i++)
            if (y[i] > 0 && y[i] < 1) sum += (i == 0 || i == n ? 0.5 : 1) * Math.Exp(lp[i]) * jac[i];
        Assert.Equal(1, sum * 0.01, 2e-3);
    }

    [Fact]
    public void Sample_KsAndMean_MatchLaw()
    {
        const double lambda = 0.6, logit = 0.8;
        var d = RelaxedB.FromLogits((float)lambda, (float)logit);
        // F(y) = P(logit Y ≤ logit y) = σ(λ·logit(y) − l).
        var s = d.Sample(new Rng(1), [20_000]).ToArray();
        Assert.True(d.Support.Check(s));
        GoodnessOfFit.AssertKs(s, y => 1 / (1 + Math.Exp(-(lambda * Math.Log(y / (1 - y)) - logit))), "RelaxedBernoulli");
        // E[Y] = ∫ σ(x)·logistic(x; l/λ, 1/λ) dx by the trapezoid rule; the sample mean's SE is sd/√n, 5 SE.
        double mean = 0;
        for (int i = -60_000; i <= 60_000; i++)
        {
            double x = i * 1e-3, z = lambda * x - logit;
            double pdf = lambda * Math.Exp(-Math.Abs(z)) / Math.Pow(1 + Math.Exp(-Math.Abs(z)), 2);
            mean += 1e-3 * pdf / (1 + Math.Exp(-x));
        }
        var (m, v, _) = GoodnessOfFit.Moments(s);
        Assert.True(Math.Abs(m - mean) <= 5 * Math.Sqrt(v / s.Length), $"mean {m}, expected {mean}");
    }

    [Fact]
    public void Sample_LowTemperature_ConcentratesOnBernoulliAndStaysFinite()
    {
        // As λ → 0 the draws approach Bernoulli(σ(l)): P(Y > ½) = σ(l) for any λ (the logit's median is l/λ), and
        // P(ε < Y < 1 − ε) = σ(λ·logit(1 − ε) − l) − σ(λ·logit(ε) − l) shrinks with λ (0.135 at λ = 0.05, ε = 10⁻³).
        // Each fraction is binomial: SE ≤ √(¼/n) ≈ 0.0035 at n = 2·10⁴; 5 SE.
        const double lambda = 0.05, l = 1, eps = 1e-3;
        var d = RelaxedB.FromLogits((float)lambda, (float)l);
        var s = d.Sample(new Rng(2), [20_000]).ToArray();
        static double Sig(double x) => 1 / (1 + Math.Exp(-x));
        double logitEps = Math.Log(eps / (1 - eps));
        double middle = Sig(-lambda * logitEps - l) - Sig(lambda * logitEps - l);
        Assert.InRange(s.Count(v => v > 0.5f) / (double)s.Length, Sig(l) - 0.0175, Sig(l) + 0.0175);
        Assert.InRange(s.Count(v => v > eps && v < 1 - eps) / (double)s.Length, middle - 0.0175, middle + 0.0175);
        var lp = d.LogProb(Var.Const(Tensor.FromArray(s, s.Length))).Value.ToArray();
        Assert.All(lp, v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void Expand_BroadcastsBatch()
    {
        var d = RelaxedB.FromLogits(0.5f, 0.3f);
        var e = d.Expand([2, 3]);
        Assert.Equal([2, 3], e.BatchShape);
        foreach (float v in e.LogProb(0.4f).Value.Span) Assert.Equal(d.LogProb(0.4f).ToScalar(), v, 1e-6);
        Assert.Equal([4, 2, 3], e.Sample(new Rng(3), [4]).Shape);
    }

    [Fact]
    public void RSample_Gradient_MatchesCommonRandomNumberFiniteDifferences() =>
        RSampleGradCheck.Check(p => RelaxedB.FromLogits(p[0], p[1]), Ops.Square, Tensor.Vector(0.5f, 1.2f), Tensor.Vector(0.4f, -1f));

    [Fact]
    public void RSample_StraightThrough_ForwardIsRoundedAndBackwardIsRelaxed()
    {
        float[] GradOf(bool st, out Tensor value, out float logProb)
        {
            var tape = new Tape();
            var logits = tape.Attach(Var.Parameter(Tensor.Vector(0.3f, -0.7f, 2f)));
            var d = RelaxedB.FromLogits(0.5f, logits, straightThrough: st);
            var y = d.RSample(new Rng(9), [50]);
            value = y.Value.Clone();
            logProb = Ops.Sum(d.LogProb(y)).ToScalar();
            tape.Backward(Ops.Sum(Ops.Mul(y, Var.Const(Tensor.Vector(1f, -2f, 0.5f)))));
            return logits.Grad!.ToArray();
        }
        var soft = GradOf(false, out var relaxed, out var lpSoft);
        var hard = GradOf(true, out var rounded, out var lpHard);
        for (int i = 0; i < relaxed.Size; i++) Assert.Equal(relaxed.Span[i] > 0.5f ? 1f : 0f, rounded.Span[i]);
        Assert.Equal(soft, hard);
        Assert.Equal(lpSoft, lpHard);
    }

    [Fact]
    public void LogProb_GradientInTemperatureLogitsAndValue_MatchesFiniteDifferences() =>
        Ppl.Runtime.Tests.Autodiff.GradCheck.Check(x => RelaxedB.FromLogits(x[0], x[1]).LogProb(x[2]), Tensor.Vector(0.5f, 1.5f), Tensor.Vector(0.3f, -1.2f), Tensor.Vector(0.2f, 0.7f));
}
