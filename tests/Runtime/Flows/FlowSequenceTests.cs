using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Flows;
using Ppl.Runtime.Random;
using Ppl.Runtime.Tensors;
using static Ppl.Runtime.Tests.Transforms.TransformCheck;

namespace Ppl.Runtime.Tests.Flows;

public class FlowSequenceTests
{
    static FlowSequence Mixed(int contextDim)
    {
        var rng = new Rng(1);
        var seq = new FlowSequence([new Planar(3, rng.Split(), contextDim), new Radial(3, rng.Split()), new Iaf(3, [6], rng.Split(), contextDim: contextDim)]);
        FlowCheck.Randomize(seq, 2, 0.6f);
        return seq;
    }

    [Fact]
    public void NamedParameters_PrefixedByLayerIndex()
    {
        var names = Mixed(0).NamedParameters().Select(p => p.Name).ToArray();
        Assert.Equal(["0.u", "0.w", "0.b", "1.z0", "1.alpha", "1.beta"], names[..6]);
        Assert.StartsWith("2.made.layers.0.", names[6]);
    }

    [Fact]
    public void LogDet_IsSumOfLayers()
    {
        var seq = Mixed(0);
        var x = Var.Const(Uniform(3, -1, 1, 4, 3));
        var (y, ld) = seq.ForwardWithLogDet(x);
        var h = x;
        var sum = new double[4];
        foreach (var f in seq.Flows)
        {
            var (next, part) = f.ForwardWithLogDet(h);
            for (int i = 0; i < 4; i++) sum[i] += part.Value[i];
            h = next;
        }
        Assert.Equal(h.Value.ToArray(), y.Value.ToArray());
        for (int i = 0; i < 4; i++) Assert.Equal(sum[i], ld.Value[i], 1e-5);
    }

    [Fact]
    public void LogDet_MatchesNumericalJacobian() => LogDetMatchesJacobian(Mixed(0), Uniform(4, -1.5, 1.5, 3, 3), All);

    [Fact]
    public void Conditioned_ContextReachesOnlyConditionalLayers_AndInverts()
    {
        var seq = Mixed(2);
        Assert.True(seq.IsConditional);
        Assert.Equal(2, seq.ContextDim);
        var t = seq.Condition(Var.Const(Uniform(5, -1, 1, 3, 2)));
        LogDetMatchesJacobian(t, Uniform(6, -1.5, 1.5, 3, 3), All);
        RoundTrip(t, Uniform(7, -2, 2, 3, 3), 2e-4);
    }

    [Fact]
    public void Conditioned_ZeroContextWeights_EqualsUnconditionedFlow()
    {
        // A new conditional flow starts with zero context maps: it is its unconditional self whatever the context.
        var cond = Planar.Stack(2, 2, new Rng(8), contextDim: 3);
        var plain = Planar.Stack(2, 2, new Rng(8));
        var x = Var.Const(Uniform(9, -1, 1, 5, 2));
        var a = cond.Condition(Var.Const(Uniform(10, -1, 1, 5, 3))).Forward(x).Value.ToArray();
        Assert.Equal(plain.Forward(x).Value.ToArray(), a);
    }

    [Fact]
    public void Constructor_MismatchedDimensions_Throws() =>
        Assert.Throws<ArgumentException>(() => new FlowSequence([new Planar(2, new Rng(1)), new Planar(3, new Rng(2))]));

    [Fact]
    public void Forward_WrongVectorSize_ThrowsShapeException() =>
        Assert.Throws<ShapeException>(() => Mixed(0).Forward(Var.Const(Tensor.Zeros(4, 2))));
}
