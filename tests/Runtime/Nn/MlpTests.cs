using Ppl.Runtime.Params;
using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Nn;
using Ppl.Runtime.Random;
using Ppl.Runtime.Sites;
using Ppl.Runtime.Tensors;

namespace Ppl.Runtime.Tests.Nn;

public class MlpTests
{
    [Fact]
    public void NamedParameters_FollowLayerIndex()
    {
        var mlp = new Mlp([3, 5, 4, 2], Activation.Tanh, new Rng(1));
        Assert.Equal(["layers.0.weight", "layers.0.bias", "layers.1.weight", "layers.1.bias", "layers.2.weight", "layers.2.bias"],
            mlp.NamedParameters().Select(p => p.Name));
        Assert.Equal([3, 5], mlp.Layers[0].Weight.Shape);
    }

    [Fact]
    public void Init_FinalLayerAfterHiddenIsSmall_LoneLayerIsXavier()
    {
        // The largest |w| of 400·40 uniform draws lies within 0.1% of the bound, so the bounds tell the schemes apart.
        var deep = new Mlp([784, 400, 40], Activation.Relu, new Rng(4));
        float head = deep.Layers[1].Weight.Value.ToArray().Max(MathF.Abs), small = 1f / MathF.Sqrt(400);
        Assert.InRange(head, 0.99f * small, small);
        var lone = new Mlp([400, 40], Activation.Relu, new Rng(4));
        float single = lone.Layers[0].Weight.Value.ToArray().Max(MathF.Abs), xavier = MathF.Sqrt(6f / 440);
        Assert.InRange(single, 0.99f * xavier, xavier);
        Assert.All(deep.Layers.Concat(lone.Layers), l => Assert.All(l.Bias!.Value.ToArray(), b => Assert.Equal(0f, b)));
    }

    [Theory]
    [InlineData(Activation.Relu)] [InlineData(Activation.Tanh)] [InlineData(Activation.Softplus)] [InlineData(Activation.Elu)]
    public void Forward_IsLayersWithActivationBetweenAndLinearLast(Activation act)
    {
        var mlp = new Mlp([2, 6, 3], act, new Rng(2));
        var x = Var.Const(Autodiff.GradCheck.RandomTensor(new System.Random(3), [4, 2]));
        var expected = mlp.Layers[1].Forward(act.Apply(mlp.Layers[0].Forward(x))).Value;
        Assert.Equal(expected.ToArray(), mlp.Forward(x).Value.ToArray());
    }

    [Theory]
    [InlineData(Activation.Tanh)] [InlineData(Activation.Softplus)] [InlineData(Activation.Elu)]
    public void Gradients_MatchFiniteDifferences(Activation act)
    {
        var mlp = new Mlp([3, 4, 2], act, new Rng(4));
        foreach (var l in mlp.Layers) l.Bias!.Value.Span.Fill(0.1f);
        ParamGradCheck.Check(mlp, x => mlp.Forward(x[0]), inputs: Autodiff.GradCheck.RandomTensor(new System.Random(5), [3, 3]));
    }

    [Fact]
    public void ParamStore_GetModule_RegistersWeightsUnderTheNetName()
    {
        var store = new ParamStore(seed: 9);
        var tape = new Tape();
        var net = store.GetModule("encoder", rng => new Mlp([2, 3, 1], Activation.Relu, rng), tape);
        Assert.Equal(["encoder.layers.0.weight", "encoder.layers.0.bias", "encoder.layers.1.weight", "encoder.layers.1.bias"],
            store.Entries.Select(e => e.Name));
        Assert.Same(net, store.GetModule("encoder", rng => new Mlp([2, 3, 1], Activation.Relu, rng), tape));
        var again = new ParamStore(seed: 9).GetModule("encoder", rng => new Mlp([2, 3, 1], Activation.Relu, rng), null);
        Assert.Equal(net.Layers[0].Weight.Value.ToArray(), again.Layers[0].Weight.Value.ToArray());
    }
}
