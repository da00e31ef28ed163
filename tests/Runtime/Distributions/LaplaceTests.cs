using Ppl.Runtime.Tensors;
using MN = MathNet.Numerics.Distributions;
using RLaplace = Ppl.Runtime.Distributions.Laplace;

namespace Ppl.Runtime.Tests.Distributions;

public class LaplaceTests
{
    [Theory]
    [InlineData(0, 1, 0)] [InlineData(1.5, 0.01, 1.52)] [InlineData(-3, 1e-3, 40)] [InlineData(2, 100, -1e6)] [InlineData(0, 1e-4, 1e-4)]
    public void LogProb_MatchesMathNet(double loc, double scale, double x)
    {
        double expected = MN.Laplace.PDFLn(loc, scale, x);
        double actual = new RLaplace((float)loc, (float)scale).LogProb((float)x).ToScalar();
        Assert.Equal(expected, actual, Math.Abs(expected) * 1e-5 + 1e-4);
    }

    [Fact]
    public void Sample_MomentsAndKs_MatchLaw() =>
        DistributionChecks.CheckSamples(new RLaplace(-1f, 0.7f), x => MN.Laplace.CDF(-1, 0.7, x));

    [Fact]
    public void Moments_MatchMathNet()
    {
        var d = new RLaplace(-1f, 0.7f);
        var m = new MN.Laplace(-1, 0.7);
        Assert.Equal(m.Mean, d.Mean.ToScalar(), 1e-5);
        Assert.Equal(m.Variance, d.Variance.ToScalar(), 1e-5);
        Assert.Equal(m.Entropy, d.Entropy().ToScalar(), 1e-5);
    }

    [Fact] public void Entropy_MatchesMonteCarlo() => DistributionChecks.CheckEntropy(new RLaplace(2f, 3f));

    [Fact] public void Expand_BroadcastsBatch() => DistributionChecks.CheckExpand(new RLaplace(0.1f, 0.7f), 1.3f);

    [Fact]
    public void RSample_Gradient_MatchesCommonRandomNumberFiniteDifferences() =>
        RSampleGradCheck.Check(p => new RLaplace(p[0], p[1]), RSampleGradCheck.Probe, Tensor.Vector(0.2f, -0.4f), Tensor.Vector(0.3f, 1.6f));

    [Fact]
    public void LogProb_GradientInParametersAndValue_MatchesFiniteDifferences() =>
        Ppl.Runtime.Tests.Autodiff.GradCheck.Check(x => new RLaplace(x[0], x[1]).LogProb(x[2]), Tensor.Vector(0.2f, -0.4f), Tensor.Vector(0.3f, 1.6f), Tensor.Vector(0.8f, 2.5f));
}
