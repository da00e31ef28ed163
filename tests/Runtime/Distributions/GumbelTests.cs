using Ppl.Runtime.Tensors;
using RGumbel = Ppl.Runtime.Distributions.Gumbel;

namespace Ppl.Runtime.Tests.Distributions;

public class GumbelTests
{
    const double EulerGamma = 0.57721566490153286;

    /// <summary>MathNet has no Gumbel; the reference is the textbook density in double, −z − e^{−z} − log β.</summary>
    static double LogPdf(double mu, double beta, double x)
    {
        double z = (x - mu) / beta;
        return -z - Math.Exp(-z) - Math.Log(beta);
    }

    [Theory]
    [InlineData(0, 1, 0)] [InlineData(1.5, 0.01, 1.52)] [InlineData(-3, 1e-3, -3.004)] [InlineData(2, 1, 500)] [InlineData(0, 2, -20)]
    public void LogProb_MatchesTextbookDensity(double mu, double beta, double x)
    {
        // The reference takes the float-rounded inputs: at β = 10⁻³ rounding x to float alone moves e^{−z} by 1%.
        double expected = LogPdf((float)mu, (float)beta, (float)x);
        double actual = new RGumbel((float)mu, (float)beta).LogProb((float)x).ToScalar();
        Assert.Equal(expected, actual, Math.Abs(expected) * 1e-5 + 1e-4);
    }

    [Fact]
    public void LogProb_DensityIntegratesToOne()
    {
        // Trapezoid rule on [μ − 5β, μ + 40β] with step β/200: the tails beyond hold < e^{−e^5} + 4e-18 of the mass,
        // and the rule's error for this smooth density is O(h²) ≈ 10⁻⁶.
        var d = new RGumbel(1f, 0.5f);
        int n = 9000;
        var x = Tensor.Zeros(n + 1);
        for (int i = 0; i <= n; i++) x[i] = 1f - 2.5f + i * 0.0025f;
        var p = Ppl.Runtime.Autodiff.Ops.Exp(d.LogProb(x)).Value;
        double s = 0;
        for (int i = 0; i <= n; i++) s += (i == 0 || i == n ? 0.5 : 1) * p[i];
        Assert.Equal(1, s * 0.0025, 1e-4);
    }

    [Fact]
    public void Sample_MomentsAndKs_MatchLaw() =>
        DistributionChecks.CheckSamples(new RGumbel(0.5f, 1.2f), x => Math.Exp(-Math.Exp(-(x - 0.5) / 1.2)));

    [Fact]
    public void Moments_MatchClosedForms()
    {
        var d = new RGumbel(0.5f, 1.2f);
        Assert.Equal(0.5 + 1.2 * EulerGamma, d.Mean.ToScalar(), 1e-5);
        Assert.Equal(Math.PI * Math.PI * 1.44 / 6, d.Variance.ToScalar(), 1e-5);
        Assert.Equal(Math.Log(1.2) + EulerGamma + 1, d.Entropy().ToScalar(), 1e-5);
    }

    [Fact] public void Entropy_MatchesMonteCarlo() => DistributionChecks.CheckEntropy(new RGumbel(2f, 0.2f));

    [Fact] public void Expand_BroadcastsBatch() => DistributionChecks.CheckExpand(new RGumbel(0.1f, 0.7f), 1.3f);

    [Fact]
    public void RSample_Gradient_MatchesCommonRandomNumberFiniteDifferences() =>
        RSampleGradCheck.Check(p => new RGumbel(p[0], p[1]), RSampleGradCheck.Probe, Tensor.Vector(0.2f, -0.4f), Tensor.Vector(0.3f, 1.6f));

    [Fact]
    public void LogProb_GradientInParametersAndValue_MatchesFiniteDifferences() =>
        Ppl.Runtime.Tests.Autodiff.GradCheck.Check(x => new RGumbel(x[0], x[1]).LogProb(x[2]), Tensor.Vector(0.2f, -0.4f), Tensor.Vector(0.3f, 1.6f), Tensor.Vector(0.8f, 2.5f));
}
