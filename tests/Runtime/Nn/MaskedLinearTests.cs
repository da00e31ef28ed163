using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Nn;
using Ppl.Runtime.Random;
using Ppl.Runtime.Tensors;

namespace Ppl.Runtime.Tests.Nn;

public class MaskedLinearTests
{
    static readonly Tensor Mask = Tensor.Matrix(new float[,] { { 1, 0, 1 }, { 0, 1, 1 } });

    [Fact]
    public void Forward_MaskedInputHasNoEffect()
    {
        var layer = new MaskedLinear(Mask, new Rng(1));
        var a = layer.Forward(Var.Const(Tensor.Vector(1, 2))).Value;
        var b = layer.Forward(Var.Const(Tensor.Vector(1, -7))).Value;
        Assert.Equal(a[0], b[0]); // output 0 sees only input 0
        Assert.NotEqual(a[1], b[1]);
    }

    [Fact]
    public void Gradients_MatchFiniteDifferencesAndMaskedWeightsGetNone()
    {
        var layer = new MaskedLinear(Mask, new Rng(2));
        ParamGradCheck.Check(layer, x => layer.Forward(x[0]), inputs: Autodiff.GradCheck.RandomTensor(new System.Random(3), [4, 2]));
        var tape = new Tape();
        foreach (var (_, p) in layer.NamedParameters()) { tape.Attach(p); p.Grad!.Span.Clear(); }
        tape.Backward(Ops.Sum(layer.Forward(Var.Const(Tensor.Full(1f, 3, 2)))));
        Assert.Equal(0f, layer.Weight.Grad![0, 1]);
        Assert.Equal(0f, layer.Weight.Grad![1, 0]);
    }
}
