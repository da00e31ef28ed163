using Ppl.Runtime.Tensors;
using MN = MathNet.Numerics.Distributions;
using RExponential = Ppl.Runtime.Distributions.Exponential;

namespace Ppl.Runtime.Tests.Distributions;

public class ExponentialTests
{
    [Theory]
    [InlineData(1, 0)] [InlineData(1, 0.7)] [InlineData(1e-3, 50)] [InlineData(1e3, 2e-3)] [InlineData(2.5, 1e4)]
    public void LogProb_MatchesMathNet(double rate, double x)
    {
        double expected = MN.Exponential.PDFLn(rate, x);
        double actual = new RExponential((float)rate).LogProb((float)x).ToScalar();
        Assert.Equal(expected, actual, Math.Abs(expected) * 1e-5 + 1e-4);
    }

    [Fact]
    public void LogProb_Negative_IsMinusInfinity() => Assert.Equal(float.NegativeInfinity, new RExponential(1f).LogProb(-0.1f).ToScalar());

    [Fact]
    public void Sample_MomentsAndKs_MatchLaw() =>
        DistributionChecks.CheckSamples(new RExponential(2.5f), x => MN.Exponential.CDF(2.5, x));

    [Fact]
    public void Moments_MatchMathNet()
    {
        var d = new RExponential(2.5f);
        var m = new MN.Exponential(2.5);
        Assert.Equal(m.Mean, d.Mean.ToScalar(), 1e-6);
        Assert.Equal(m.Variance, d.Variance.ToScalar(), 1e-6);
        Assert.Equal(m.Entropy, d.Entropy().ToScalar(), 1e-6);
    }

    [Fact] public void Entropy_MatchesMonteCarlo() => DistributionChecks.CheckEntropy(new RExponential(0.3f));

    [Fact] public void Expand_BroadcastsBatch() => DistributionChecks.CheckExpand(new RExponential(0.7f), 1.3f);

    [Fact]
    public void RSample_Gradient_MatchesCommonRandomNumberFiniteDifferences() =>
        RSampleGradCheck.Check(p => new RExponential(p[0]), RSampleGradCheck.Probe, Tensor.Vector(0.6f, 1.6f));

    [Fact]
    public void LogProb_GradientInParametersAndValue_MatchesFiniteDifferences() =>
        Ppl.Runtime.Tests.Autodiff.GradCheck.Check(x => new RExponential(x[0]).LogProb(x[1]), Tensor.Vector(0.5f, 1.5f), Tensor.Vector(0.8f, 2.5f));
}
