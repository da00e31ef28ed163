using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Tensors;
using MN = MathNet.Numerics.Distributions;
using RLogNormal = Ppl.Runtime.Distributions.LogNormal;

namespace Ppl.Runtime.Tests.Distributions;

public class LogNormalTests
{
    [Theory]
    [InlineData(0, 1, 1)] [InlineData(0.5, 0.25, 2)] [InlineData(-3, 1e-3, 0.0498)] [InlineData(2, 3, 1e-20)]
    [InlineData(1, 0.5, 1e6)] [InlineData(-10, 2, 1e-5)]
    public void LogProb_MatchesMathNet(double mu, double sigma, double x)
    {
        double expected = MN.LogNormal.PDFLn(mu, sigma, x);
        double actual = new RLogNormal((float)mu, (float)sigma).LogProb((float)x).ToScalar();
        Assert.Equal(expected, actual, Math.Abs(expected) * 1e-5 + 1e-4);
    }

    [Theory] [InlineData(0)] [InlineData(-1)]
    public void LogProb_OutsideSupport_IsMinusInfinity(float x) =>
        Assert.Equal(float.NegativeInfinity, new RLogNormal(0f, 1f).LogProb(x).ToScalar());

    [Fact]
    public void Sample_MomentsAndKs_MatchLaw()
    {
        var d = new RLogNormal(0.3f, 0.4f);
        DistributionChecks.CheckSamples(d, x => MN.LogNormal.CDF(0.3, 0.4, x));
    }

    [Fact]
    public void Moments_MatchMathNet()
    {
        var d = new RLogNormal(0.3f, 0.4f);
        var m = new MN.LogNormal(0.3, 0.4);
        Assert.Equal(m.Mean, d.Mean.ToScalar(), 1e-5);
        Assert.Equal(m.Variance, d.Variance.ToScalar(), 1e-5);
        Assert.Equal(m.Entropy, d.Entropy().ToScalar(), 1e-5);
    }

    [Fact] public void Entropy_MatchesMonteCarlo() => DistributionChecks.CheckEntropy(new RLogNormal(-0.5f, 0.8f));

    [Fact] public void Expand_BroadcastsBatch() => DistributionChecks.CheckExpand(new RLogNormal(0.1f, 0.7f), 1.3f);

    [Fact]
    public void RSample_Gradient_MatchesCommonRandomNumberFiniteDifferences() =>
        RSampleGradCheck.Check(p => new RLogNormal(p[0], p[1]), RSampleGradCheck.Probe, Tensor.Vector(0.2f, -0.4f), Tensor.Vector(0.3f, 0.6f));

    [Fact]
    public void LogProb_GradientInParametersAndValue_MatchesFiniteDifferences() =>
        Ppl.Runtime.Tests.Autodiff.GradCheck.Check(x => new RLogNormal(x[0], x[1]).LogProb(x[2]), Tensor.Vector(0.2f, -0.4f), Tensor.Vector(0.3f, 1.6f), Tensor.Vector(0.8f, 2.5f));
}
