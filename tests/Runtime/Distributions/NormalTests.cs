using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Random;
using Ppl.Runtime.Tensors;
using RNormal = Ppl.Runtime.Distributions.Normal;

namespace Ppl.Runtime.Tests.Distributions;

public class NormalTests
{
    [Theory]
    [InlineData(0, 1, 0)] [InlineData(1.5, 0.01, 1.52)] [InlineData(-3, 1e-3, 40)] [InlineData(2, 100, -1e4)]
    public void LogProb_MatchesMathNet(double mu, double sigma, double x)
    {
        var d = new RNormal((float)mu, (float)sigma);
        double expected = MathNet.Numerics.Distributions.Normal.PDFLn(mu, sigma, x);
        Assert.Equal(expected, d.LogProb((float)x).ToScalar(), Math.Abs(expected) * 1e-5 + 1e-4);
    }

    [Fact]
    public void RSample_Moments_WithinStandardError()
    {
        const int n = 100_000;
        var d = new RNormal(Var.Const(Tensor.Vector(1f, -2f)), Var.Const(Tensor.Vector(0.5f, 3f)));
        var s = d.RSample(new Rng(11), [n]).Value;
        Assert.Equal([n, 2], s.Shape);
        for (int j = 0; j < 2; j++)
        {
            double mu = j == 0 ? 1 : -2, sd = j == 0 ? 0.5 : 3;
            double m = 0;
            for (int i = 0; i < n; i++) m += s[i, j];
            m /= n;
            // mean of n draws has standard error sd/√n; 5 SE is a 1-in-3-million false alarm.
            Assert.InRange(m, mu - 5 * sd / Math.Sqrt(n), mu + 5 * sd / Math.Sqrt(n));
        }
    }

    [Fact]
    public void RSample_GradientOfMeanSquare_MatchesAnalytic()
    {
        // E[x²] = μ² + σ²; the pathwise estimate of d/dμ is 2μ and d/dσ is 2σ (up to MC error).
        var tape = new Tape();
        var mu = tape.Attach(Var.Parameter(Tensor.Scalar(0.8f)));
        var sigma = tape.Attach(Var.Parameter(Tensor.Scalar(1.3f)));
        const int n = 200_000;
        var x = new RNormal(mu, sigma).RSample(new Rng(3), [n]);
        tape.Backward(Ops.Mean(Ops.Square(x)));
        // d/dμ estimate = mean(2x): SE = 2σ/√n ≈ 0.006; d/dσ = mean(2xε): SE ≈ 2·sqrt(Var(xε))/√n < 0.02.
        Assert.Equal(1.6, mu.Grad!.ToScalar(), 0.03);
        Assert.Equal(2.6, sigma.Grad!.ToScalar(), 0.06);
    }

    [Fact]
    public void Entropy_MatchesMathNet() =>
        Assert.Equal(new MathNet.Numerics.Distributions.Normal(0, 2.5).Entropy, new RNormal(0f, 2.5f).Entropy().ToScalar(), 5);

    [Fact]
    public void Sample_MomentsAndKs_MatchLaw() =>
        DistributionChecks.CheckSamples(new RNormal(-1f, 0.7f), x => MathNet.Numerics.Distributions.Normal.CDF(-1, 0.7, x));

    [Fact] public void Entropy_MatchesMonteCarlo() => DistributionChecks.CheckEntropy(new RNormal(2f, 3f));

    [Fact] public void Expand_BroadcastsBatch() => DistributionChecks.CheckExpand(new RNormal(0.1f, 0.7f), 1.3f);

    [Fact]
    public void RSample_Gradient_MatchesCommonRandomNumberFiniteDifferences() =>
        RSampleGradCheck.Check(p => new RNormal(p[0], p[1]), RSampleGradCheck.Probe, Tensor.Vector(0.2f, -0.4f), Tensor.Vector(0.3f, 1.6f));

    [Fact]
    public void LogProb_GradientInParametersAndValue_MatchesFiniteDifferences() =>
        Ppl.Runtime.Tests.Autodiff.GradCheck.Check(x => new RNormal(x[0], x[1]).LogProb(x[2]), Tensor.Vector(0.2f, -0.4f), Tensor.Vector(0.3f, 1.6f), Tensor.Vector(0.8f, 2.5f));
}
