using Ppl.Runtime.Tensors;
using MN = MathNet.Numerics.Distributions;
using RHalfCauchy = Ppl.Runtime.Distributions.HalfCauchy;

namespace Ppl.Runtime.Tests.Distributions;

public class HalfCauchyTests
{
    [Theory]
    [InlineData(1, 0)] [InlineData(1, 0.7)] [InlineData(1e-3, 0.05)] [InlineData(100, 1e6)] [InlineData(2.5, 1e15)]
    public void LogProb_MatchesTwiceTheCauchyDensity(double sigma, double x)
    {
        double expected = Math.Log(2) + MN.Cauchy.PDFLn(0, sigma, x);
        double actual = new RHalfCauchy((float)sigma).LogProb((float)x).ToScalar();
        Assert.Equal(expected, actual, Math.Abs(expected) * 1e-5 + 1e-4);
    }

    [Fact]
    public void LogProb_Negative_IsMinusInfinity() => Assert.Equal(float.NegativeInfinity, new RHalfCauchy(1f).LogProb(-0.1f).ToScalar());

    [Fact]
    public void Sample_KsAndMedian_MatchLaw()
    {
        // F(x) = (2/π)·atan(x/σ); the median is σ. The fraction below it is binomial(½): 5 SE = 5·√(¼/n) ≈ 0.018.
        var s = DistributionChecks.CheckSamples(new RHalfCauchy(1.5f), x => 2 / Math.PI * Math.Atan(x / 1.5), moments: false);
        Assert.InRange(s.Count(v => v < 1.5f) / (double)s.Length, 0.5 - 0.018, 0.5 + 0.018);
    }

    [Fact]
    public void MeanAndVariance_AreInfinite()
    {
        var d = new RHalfCauchy(1f);
        Assert.Equal(float.PositiveInfinity, d.Mean.ToScalar());
        Assert.Equal(float.PositiveInfinity, d.Variance.ToScalar());
    }

    [Fact] public void Entropy_IsLogTwoPiSigma() => Assert.Equal(Math.Log(2 * Math.PI * 2.5), new RHalfCauchy(2.5f).Entropy().ToScalar(), 5);

    [Fact] public void Entropy_MatchesMonteCarlo() => DistributionChecks.CheckEntropy(new RHalfCauchy(0.3f));

    [Fact] public void Expand_BroadcastsBatch() => DistributionChecks.CheckExpand(new RHalfCauchy(0.7f), 1.3f);

    [Fact]
    public void RSample_Gradient_MatchesCommonRandomNumberFiniteDifferences() =>
        RSampleGradCheck.Check(p => new RHalfCauchy(p[0]), RSampleGradCheck.Probe, Tensor.Vector(0.3f, 1.6f));

    [Fact]
    public void LogProb_GradientInParametersAndValue_MatchesFiniteDifferences() =>
        Ppl.Runtime.Tests.Autodiff.GradCheck.Check(x => new RHalfCauchy(x[0]).LogProb(x[1]), Tensor.Vector(0.5f, 1.5f), Tensor.Vector(0.8f, 2.5f));
}
