using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Tensors;
using MN = MathNet.Numerics.Distributions;
using RUniform = Ppl.Runtime.Distributions.Uniform;

namespace Ppl.Runtime.Tests.Distributions;

public class UniformTests
{
    [Theory]
    [InlineData(0, 1, 0.5)] [InlineData(-3, 2, 0)] [InlineData(1e-3, 2e-3, 1.5e-3)] [InlineData(-1e4, 1e4, 9999)] [InlineData(0, 1, 0)]
    public void LogProb_MatchesMathNet(double lo, double hi, double x)
    {
        double expected = MN.ContinuousUniform.PDFLn(lo, hi, x);
        double actual = new RUniform((float)lo, (float)hi).LogProb((float)x).ToScalar();
        Assert.Equal(expected, actual, Math.Abs(expected) * 1e-5 + 1e-4);
    }

    [Theory] [InlineData(-0.01f)] [InlineData(1.01f)]
    public void LogProb_Outside_IsMinusInfinity(float x) => Assert.Equal(float.NegativeInfinity, new RUniform(0f, 1f).LogProb(x).ToScalar());

    [Fact]
    public void LogProb_PerElementBounds_Broadcast()
    {
        var d = new RUniform(Var.Const(Tensor.Vector(0f, 1f)), Var.Const(Tensor.Vector(2f, 5f)));
        var lp = d.LogProb(1.5f).Value;
        Assert.Equal(-Math.Log(2), lp[0], 1e-6);
        Assert.Equal(-Math.Log(4), lp[1], 1e-6);
        Assert.Equal(float.NegativeInfinity, d.LogProb(0.5f).Value[1]);
    }

    [Fact]
    public void Support_SharedBounds_IsTheInterval()
    {
        var c = (Ppl.Runtime.Distributions.Constraints.Interval)new RUniform(-1f, 3f).Support;
        Assert.Equal((-1f, 3f), (c.Lower, c.Upper));
        Assert.Throws<NotSupportedException>(() => new RUniform(Var.Const(Tensor.Vector(0f, 1f)), 2f).Support);
    }

    [Fact]
    public void Sample_MomentsAndKs_MatchLaw() =>
        DistributionChecks.CheckSamples(new RUniform(-1f, 3f), x => MN.ContinuousUniform.CDF(-1, 3, x));

    [Fact]
    public void Moments_MatchMathNet()
    {
        var d = new RUniform(-1f, 3f);
        var m = new MN.ContinuousUniform(-1, 3);
        Assert.Equal(m.Mean, d.Mean.ToScalar(), 1e-6);
        Assert.Equal(m.Variance, d.Variance.ToScalar(), 1e-6);
        Assert.Equal(m.Entropy, d.Entropy().ToScalar(), 1e-6);
    }

    [Fact] public void Entropy_MatchesMonteCarlo() => DistributionChecks.CheckEntropy(new RUniform(2f, 2.5f));

    [Fact] public void Expand_BroadcastsBatch() => DistributionChecks.CheckExpand(new RUniform(0.1f, 1.7f), 1.3f);

    [Fact]
    public void RSample_Gradient_MatchesCommonRandomNumberFiniteDifferences() =>
        RSampleGradCheck.Check(p => new RUniform(p[0], p[1]), RSampleGradCheck.Probe, Tensor.Vector(0.2f, -0.4f), Tensor.Vector(0.5f, 1.6f));

    [Fact]
    public void LogProb_GradientInParametersAndValue_MatchesFiniteDifferences() =>
        Ppl.Runtime.Tests.Autodiff.GradCheck.Check(x => new RUniform(x[0], x[1]).LogProb(Var.Const(Tensor.Vector(0.5f, 0.5f))), Tensor.Vector(0.2f, -0.4f), Tensor.Vector(1.3f, 1.6f));
}
