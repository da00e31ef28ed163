using Ppl.Runtime.Params;
using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Distributions;
using Ppl.Runtime.Distributions.Constraints;
using Ppl.Runtime.Flows;
using Ppl.Runtime.Nn;
using Ppl.Runtime.Random;
using Ppl.Runtime.Tensors;
using Ppl.Runtime.Tests.Flows;
using Ppl.Runtime.Transforms;
using RNormal = Ppl.Runtime.Distributions.Normal;

namespace Ppl.Runtime.Tests.Distributions;

public class TransformedDistributionTests
{
    [Theory]
    [InlineData(0, 1, 1)] [InlineData(0.5, 0.3, 2.2)] [InlineData(-2, 2, 1e-4)] [InlineData(1, 0.5, 50)]
    public void NormalThroughExp_IsLogNormal(double mu, double sigma, double y)
    {
        var d = new TransformedDistribution(new RNormal((float)mu, (float)sigma), new ExpTransform());
        double expected = MathNet.Numerics.Distributions.LogNormal.PDFLn(mu, sigma, y);
        Assert.Equal(expected, d.LogProb((float)y).ToScalar(), 1e-4 * (1 + Math.Abs(expected)));
        Assert.Same(Constraint.Positive, d.Support);
    }

    [Fact]
    public void NormalThroughSigmoid_IsLogitNormal()
    {
        // p(y) = φ(logit y) / (y(1 − y)).
        var d = new TransformedDistribution(new RNormal(0.3f, 1.2f), new IntervalTransform(0, 1));
        foreach (double y in new[] { 0.01, 0.4, 0.93 })
        {
            double l = Math.Log(y / (1 - y));
            double expected = MathNet.Numerics.Distributions.Normal.PDFLn(0.3, 1.2, l) - Math.Log(y * (1 - y));
            Assert.Equal(expected, d.LogProb((float)y).ToScalar(), 1e-4);
        }
    }

    [Fact]
    public void FlowOverBatchedNormal_HasVectorEventsAndPerRowLogProb()
    {
        var baseDist = new RNormal(Var.Const(Tensor.Zeros(5, 3)), Var.Const(Tensor.Full(1f, 5, 3)));
        var d = new TransformedDistribution(baseDist, Planar.Stack(3, 2, new Rng(1)));
        Assert.Equal([5], d.BatchShape);
        Assert.Equal([3], d.EventShape);
        var y = d.RSample(new Rng(2), [4]);
        Assert.Equal([4, 5, 3], y.Shape);
        Assert.Equal([4, 5], d.LogProb(y).Shape);
        Assert.Equal([4, 5, 3], d.Sample(new Rng(3), [4]).Shape);
    }

    [Fact]
    public void StickBreakingOverNormal_IsADistributionOnTheSimplex()
    {
        var d = new TransformedDistribution(new RNormal(Var.Const(Tensor.Zeros(3)), Var.Const(Tensor.Full(1f, 3))), StickBreakingTransform.Instance);
        Assert.Same(Constraint.Simplex, d.Support);
        Assert.Equal([4], d.EventShape);
        Assert.Empty(d.BatchShape);
        var y = d.Sample(new Rng(1), [10]);
        for (int i = 0; i < 10; i++) Assert.True(Constraint.Simplex.Check(y.Span.Slice(i * 4, 4)));
        Assert.Equal([10], d.LogProb(Var.Const(y)).Shape);
    }

    public static TheoryData<string> FlowKinds => ["planar", "radial", "iaf", "iaf-context"];

    static (TransformedDistribution D, IParameterized Flow) Flowed(string kind)
    {
        var baseDist = new RNormal(Var.Const(Tensor.Vector(0.2f, -0.4f, 0.1f)), Var.Const(Tensor.Vector(1f, 0.7f, 1.3f)));
        switch (kind)
        {
            case "planar":
            {
                var f = Planar.Stack(3, 2, new Rng(1));
                FlowCheck.Randomize(f, 2, 1.2f);
                return (new TransformedDistribution(baseDist, f), f);
            }
            case "radial":
            {
                var f = Radial.Stack(3, 2, new Rng(1));
                FlowCheck.Randomize(f, 3, 1.2f);
                return (new TransformedDistribution(baseDist, f), f);
            }
            case "iaf":
            {
                var f = Iaf.Stack(3, 2, 8, new Rng(1));
                FlowCheck.Randomize(f, 4, 0.4f);
                return (new TransformedDistribution(baseDist, f), f);
            }
            default:
            {
                var f = Iaf.Stack(3, 2, 8, new Rng(1), contextDim: 2);
                FlowCheck.Randomize(f, 5, 0.4f);
                var ctx = Var.Const(Transforms.TransformCheck.Uniform(6, -1, 1, 6, 2));
                var wide = baseDist.Expand([6, 3]);
                return (new TransformedDistribution(wide, f.Condition(ctx)), f);
            }
        }
    }

    [Theory, MemberData(nameof(FlowKinds))]
    public void LogProb_OfOwnRSample_MatchesLogProbThroughInverse(string kind)
    {
        var (d, _) = Flowed(kind);
        var y = d.RSample(new Rng(7), [6]);
        var cached = d.LogProb(y).Value.ToArray();
        var inverted = d.LogProb(Var.Const(y.Value.Clone())).Value.ToArray();
        Assert.Equal(cached.Length, inverted.Length);
        for (int i = 0; i < cached.Length; i++) Assert.Equal(cached[i], inverted[i], 2e-4 * (1 + Math.Abs(cached[i])));
    }

    [Theory, MemberData(nameof(FlowKinds))]
    public void LogProbOfRSample_Gradient_SameThroughCacheAndThroughInverse(string kind)
    {
        // d/dθ log q(y(θ, ε); θ) computed two ways: from the cached layer inputs, and by inverting a copy of y that is
        // still a function of θ (the inverse path, with Planar's implicit-function gradient).
        var (d, flow) = Flowed(kind);
        var ps = flow.NamedParameters().Select(p => p.Parameter).ToArray();
        float[][] Grad(bool viaCache)
        {
            var tape = new Tape();
            foreach (var p in ps) { tape.Attach(p); p.Grad!.Span.Clear(); }
            var y = d.RSample(new Rng(8), [4]);
            var lp = d.LogProb(viaCache ? y : y + 0f);
            tape.Backward(Ops.Sum(lp));
            var g = ps.Select(p => p.Grad!.ToArray()).ToArray();
            tape.Reset();
            return g;
        }
        var a = Grad(true); var b = Grad(false);
        for (int k = 0; k < a.Length; k++)
            for (int i = 0; i < a[k].Length; i++)
                Assert.True(Math.Abs(a[k][i] - b[k][i]) <= 1e-3 * (1 + Math.Abs(a[k][i])), $"parameter {k}[{i}]: cache {a[k][i]}, inverse {b[k][i]}");
    }

    [Fact]
    public void HasRSample_FollowsBase()
    {
        Assert.True(new TransformedDistribution(new RNormal(0f, 1f), new ExpTransform()).HasRSample);
    }

    [Fact]
    public void Expand_BroadcastsTheBase()
    {
        var d = new TransformedDistribution(new RNormal(Var.Const(Tensor.Zeros(2)), Var.Const(Tensor.Full(1f, 2))), Planar.Stack(2, 1, new Rng(1)));
        var e = d.Expand([7]);
        Assert.Equal([7], e.BatchShape);
        Assert.Equal([2], e.EventShape);
        Assert.Equal([7, 2], ((TransformedDistribution)e).Base.BatchShape);
    }

    [Fact]
    public void Sample_WithUnattachedFlowParameters_NeedsNoTape()
    {
        var d = new TransformedDistribution(FlowCheck.StandardNormal2(), Iaf.Stack(2, 2, 8, new Rng(1)));
        var s = d.Sample(new Rng(2), [100]);
        Assert.Equal([100, 2], s.Shape);
        Assert.All(s.ToArray(), v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void RSample_MeanOfExpTransformed_MatchesLogNormalMean()
    {
        const int n = 200_000;
        var d = new TransformedDistribution(new RNormal(0.1f, 0.4f), new ExpTransform());
        var s = d.RSample(new Rng(9), [n]).Value;
        double m = s.ToArray().Average(v => (double)v);
        double mean = Math.Exp(0.1 + 0.08), sd = mean * Math.Sqrt(Math.Exp(0.16) - 1);
        // 5 standard errors of the mean of n draws.
        Assert.InRange(m, mean - 5 * sd / Math.Sqrt(n), mean + 5 * sd / Math.Sqrt(n));
    }
}
