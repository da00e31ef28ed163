using Ppl.Runtime.Random;
using Ppl.Runtime.Tensors;
using MN = MathNet.Numerics.Distributions;
using RCauchy = Ppl.Runtime.Distributions.Cauchy;

namespace Ppl.Runtime.Tests.Distributions;

public class CauchyTests
{
    [Theory]
    [InlineData(0, 1, 0)] [InlineData(1.5, 0.01, 1.52)] [InlineData(-3, 1e-3, 40)] [InlineData(2, 100, -1e6)] [InlineData(0, 1, 1e15)]
    public void LogProb_MatchesMathNet(double loc, double scale, double x)
    {
        double expected = MN.Cauchy.PDFLn(loc, scale, x);
        double actual = new RCauchy((float)loc, (float)scale).LogProb((float)x).ToScalar();
        Assert.Equal(expected, actual, Math.Abs(expected) * 1e-5 + 1e-4);
    }

    [Fact]
    public void Sample_KsAndQuartiles_MatchLaw()
    {
        // No moments exist; the KS test covers the whole law, and the quartiles μ ± σ are checked directly.
        var s = DistributionChecks.CheckSamples(new RCauchy(1f, 2f), x => MN.Cauchy.CDF(1, 2, x), moments: false);
        // The fraction below a quartile is binomial: SE = √(¼·¾/n) ≈ 0.0031 at n = 2·10⁴; 5 SE = 0.015.
        double below = s.Count(v => v < -1f) / (double)s.Length, above = s.Count(v => v > 3f) / (double)s.Length;
        Assert.InRange(below, 0.25 - 0.015, 0.25 + 0.015);
        Assert.InRange(above, 0.25 - 0.015, 0.25 + 0.015);
    }

    [Fact]
    public void Sample_FarTails_KeepCauchyMass()
    {
        // P(|X| > 1000) = (2/π)·atan(1/1000) ≈ 6.4·10⁻⁴: about 128 of 2·10⁵ draws (Poisson SE ≈ 11, 5 SE ≈ 57).
        // A tangent evaluated at a rounded π(u − ½) would lose exactly these draws.
        var s = new RCauchy(0f, 1f).Sample(new Rng(5), [200_000]).ToArray();
        int far = s.Count(v => Math.Abs(v) > 1000);
        Assert.InRange(far, 128 - 57, 128 + 57);
    }

    [Fact]
    public void MeanAndVariance_DoNotExist()
    {
        var d = new RCauchy(0f, 1f);
        Assert.True(float.IsNaN(d.Mean.ToScalar()));
        Assert.Equal(float.PositiveInfinity, d.Variance.ToScalar());
    }

    [Fact] public void Entropy_MatchesMathNet() => Assert.Equal(new MN.Cauchy(1, 2.5).Entropy, new RCauchy(1f, 2.5f).Entropy().ToScalar(), 5);

    [Fact] public void Entropy_MatchesMonteCarlo() => DistributionChecks.CheckEntropy(new RCauchy(-1f, 0.3f));

    [Fact] public void Expand_BroadcastsBatch() => DistributionChecks.CheckExpand(new RCauchy(0.1f, 0.7f), 1.3f);

    [Fact]
    public void RSample_Gradient_MatchesCommonRandomNumberFiniteDifferences() =>
        RSampleGradCheck.Check(p => new RCauchy(p[0], p[1]), RSampleGradCheck.Probe, Tensor.Vector(0.2f, -0.4f), Tensor.Vector(0.3f, 1.6f));

    [Fact]
    public void LogProb_GradientInParametersAndValue_MatchesFiniteDifferences() =>
        Ppl.Runtime.Tests.Autodiff.GradCheck.Check(x => new RCauchy(x[0], x[1]).LogProb(x[2]), Tensor.Vector(0.2f, -0.4f), Tensor.Vector(0.3f, 1.6f), Tensor.Vector(0.8f, 2.5f));
}
