using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Nn;
using Ppl.Runtime.Random;
using Ppl.Runtime.Tensors;

namespace Ppl.Runtime.Tests.Nn;

public class LinearTests
{
    [Fact]
    public void Forward_Batch_IsInputTimesWeightPlusBias()
    {
        var layer = new Linear(3, 2, new Rng(1));
        layer.Bias!.Value.Span[0] = 0.5f;
        layer.Bias.Value.Span[1] = -1f;
        var x = Tensor.FromArray([1, 2, 3, 4, 5, 6], 2, 3);
        var y = layer.Forward(Var.Const(x)).Value;
        Assert.Equal([2, 2], y.Shape);
        var w = layer.Weight.Value;
        for (int b = 0; b < 2; b++)
            for (int o = 0; o < 2; o++)
            {
                double e = layer.Bias.Value[o];
                for (int i = 0; i < 3; i++) e += x[b, i] * w[i, o];
                Assert.Equal(e, y[b, o], 1e-5);
            }
    }

    [Fact]
    public void Forward_VectorAndLeadingAxes_KeepTheirShape()
    {
        var layer = new Linear(4, 3, new Rng(2));
        Assert.Equal([3], layer.Forward(Var.Const(Tensor.Zeros(4))).Shape);
        Assert.Equal([5, 2, 3], layer.Forward(Var.Const(Tensor.Zeros(5, 2, 4))).Shape);
    }

    [Fact]
    public void Forward_WrongInputSize_ThrowsShapeException() =>
        Assert.Throws<ShapeException>(() => new Linear(4, 3, new Rng(2)).Forward(Var.Const(Tensor.Zeros(2, 5))));

    [Fact]
    public void NamedParameters_AreWeightAndBias()
    {
        var names = new Linear(2, 2, new Rng(3)).NamedParameters().Select(p => p.Name);
        Assert.Equal(["weight", "bias"], names);
        Assert.Equal(["weight"], new Linear(2, 2, new Rng(3), bias: false).NamedParameters().Select(p => p.Name));
    }

    [Fact]
    public void Gradients_MatchFiniteDifferences()
    {
        var layer = new Linear(3, 4, new Rng(4));
        layer.Bias!.Value.Span.Fill(0.3f);
        ParamGradCheck.Check(layer, x => layer.Forward(x[0]), inputs: Autodiff.GradCheck.RandomTensor(new System.Random(1), [5, 3]));
    }

    [Fact]
    public void Forward_WithoutTape_UsesTheWeightsAsConstants()
    {
        var layer = new Linear(2, 2, new Rng(5));
        var y = layer.Forward(Var.Const(Tensor.Vector(1, 1)));
        Assert.False(y.RequiresGrad);
    }
}
