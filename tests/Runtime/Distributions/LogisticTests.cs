using Ppl.Runtime.Tensors;
using MN = MathNet.Numerics.Distributions;
using RLogistic = Ppl.Runtime.Distributions.Logistic;

namespace Ppl.Runtime.Tests.Distributions;

public class LogisticTests
{
    [Theory]
    [InlineData(0, 1, 0)] [InlineData(1.5, 0.01, 1.52)] [InlineData(-3, 1e-3, 0.2)] [InlineData(2, 1, -600)] [InlineData(2, 1, 600)]
    public void LogProb_MatchesMathNet(double loc, double scale, double x)
    {
        double expected = MN.Logistic.PDFLn(loc, scale, x);
        double actual = new RLogistic((float)loc, (float)scale).LogProb((float)x).ToScalar();
        Assert.Equal(expected, actual, Math.Abs(expected) * 1e-5 + 1e-4);
    }

    [Fact]
    public void LogProb_FarTails_StayFinite()
    {
        // Beyond the double range of e^z (|z| ≈ 710) the density is e^{−|z|}/s: log p = −|z| − log s.
        var d = new RLogistic(0f, 0.5f);
        Assert.Equal(-2000 - Math.Log(0.5), d.LogProb(1000f).ToScalar(), 1e-2);
        Assert.Equal(-2000 - Math.Log(0.5), d.LogProb(-1000f).ToScalar(), 1e-2);
    }

    [Fact]
    public void Sample_MomentsAndKs_MatchLaw() =>
        DistributionChecks.CheckSamples(new RLogistic(0.5f, 1.2f), x => MN.Logistic.CDF(0.5, 1.2, x));

    [Fact]
    public void Moments_MatchMathNet()
    {
        var d = new RLogistic(0.5f, 1.2f);
        var m = new MN.Logistic(0.5, 1.2);
        Assert.Equal(m.Mean, d.Mean.ToScalar(), 1e-5);
        Assert.Equal(m.Variance, d.Variance.ToScalar(), 1e-5);
        Assert.Equal(m.Entropy, d.Entropy().ToScalar(), 1e-5);
    }

    [Fact] public void Entropy_MatchesMonteCarlo() => DistributionChecks.CheckEntropy(new RLogistic(2f, 0.2f));

    [Fact] public void Expand_BroadcastsBatch() => DistributionChecks.CheckExpand(new RLogistic(0.1f, 0.7f), 1.3f);

    [Fact]
    public void RSample_Gradient_MatchesCommonRandomNumberFiniteDifferences() =>
        RSampleGradCheck.Check(p => new RLogistic(p[0], p[1]), RSampleGradCheck.Probe, Tensor.Vector(0.2f, -0.4f), Tensor.Vector(0.3f, 1.6f));

    [Fact]
    public void LogProb_GradientInParametersAndValue_MatchesFiniteDifferences() =>
        Ppl.Runtime.Tests.Autodiff.GradCheck.Check(x => new RLogistic(x[0], x[1]).LogProb(x[2]), Tensor.Vector(0.2f, -0.4f), Tensor.Vector(0.3f, 1.6f), Tensor.Vector(0.8f, 2.5f));
}
