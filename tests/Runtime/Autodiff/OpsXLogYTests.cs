using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Tensors;
using static Ppl.Runtime.Tests.Autodiff.GradCheck;

namespace Ppl.Runtime.Tests.Autodiff;

public class OpsXLogYTests
{
    [Fact]
    public void XLogY_ZeroTimesLogZero_IsZero()
    {
        var y = Ops.XLogY(Tensor.Vector(0f, 0f, 2f, 1f), Tensor.Vector(0f, 3f, 0.5f, 0f)).Value.ToArray();
        Assert.Equal([0f, 0f, (float)(2 * Math.Log(0.5)), float.NegativeInfinity], y);
    }

    [Fact]
    public void XLogY_Gradients_MatchFiniteDifferences() =>
        Check(x => Ops.XLogY(x[0], x[1]), RandomTensor(new System.Random(3), [3, 2], -2, 2), RandomTensor(new System.Random(4), [2], 0.3, 3));

    [Fact]
    public void XLogY_AtZeroX_HasZeroGradients()
    {
        var tape = new Tape();
        var x = tape.Attach(Var.Parameter(Tensor.Vector(0f)));
        var y = tape.Attach(Var.Parameter(Tensor.Vector(0f)));
        tape.Backward(Ops.Sum(Ops.XLogY(x, y)));
        Assert.Equal(0f, x.Grad!.ToScalar());
        Assert.Equal(0f, y.Grad!.ToScalar());
    }
}
