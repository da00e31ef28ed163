using Ppl.Runtime.Tensors;
using MN = MathNet.Numerics.Distributions;
using RHalfNormal = Ppl.Runtime.Distributions.HalfNormal;

namespace Ppl.Runtime.Tests.Distributions;

public class HalfNormalTests
{
    [Theory]
    [InlineData(1, 0)] [InlineData(1, 0.7)] [InlineData(1e-3, 0.05)] [InlineData(100, 1e4)] [InlineData(2.5, 1e-30)]
    public void LogProb_MatchesTwiceTheNormalDensity(double sigma, double x)
    {
        double expected = Math.Log(2) + MN.Normal.PDFLn(0, sigma, x);
        double actual = new RHalfNormal((float)sigma).LogProb((float)x).ToScalar();
        Assert.Equal(expected, actual, Math.Abs(expected) * 1e-5 + 1e-4);
    }

    [Fact]
    public void LogProb_Negative_IsMinusInfinity() => Assert.Equal(float.NegativeInfinity, new RHalfNormal(1f).LogProb(-0.1f).ToScalar());

    [Fact]
    public void Sample_MomentsAndKs_MatchLaw() =>
        // F(x) = 2Φ(x/σ) − 1.
        DistributionChecks.CheckSamples(new RHalfNormal(1.7f), x => 2 * MN.Normal.CDF(0, 1.7, x) - 1);

    [Fact]
    public void Moments_MatchFoldedNormal()
    {
        var d = new RHalfNormal(1.7f);
        Assert.Equal(1.7 * Math.Sqrt(2 / Math.PI), d.Mean.ToScalar(), 1e-5);
        Assert.Equal(1.7 * 1.7 * (1 - 2 / Math.PI), d.Variance.ToScalar(), 1e-5);
        Assert.Equal(0.5 * Math.Log(Math.PI * 1.7 * 1.7 / 2) + 0.5, d.Entropy().ToScalar(), 1e-5);
    }

    [Fact] public void Entropy_MatchesMonteCarlo() => DistributionChecks.CheckEntropy(new RHalfNormal(0.4f));

    [Fact] public void Expand_BroadcastsBatch() => DistributionChecks.CheckExpand(new RHalfNormal(0.4f), 0.3f);

    [Fact]
    public void RSample_Gradient_MatchesCommonRandomNumberFiniteDifferences() =>
        RSampleGradCheck.Check(p => new RHalfNormal(p[0]), RSampleGradCheck.Probe, Tensor.Vector(0.5f, 1.5f));

    [Fact]
    public void LogProb_GradientInParametersAndValue_MatchesFiniteDifferences() =>
        Ppl.Runtime.Tests.Autodiff.GradCheck.Check(x => new RHalfNormal(x[0]).LogProb(x[1]), Tensor.Vector(0.5f, 1.5f), Tensor.Vector(0.8f, 2.5f));
}
