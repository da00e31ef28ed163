using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Tensors;

namespace Ppl.Runtime.Tests.Autodiff;

public class OpsStraightThroughTests
{
    [Fact]
    public void StraightThrough_ValueIsHard_GradientIsIdentityOnSoft()
    {
        var tape = new Tape();
        var soft = tape.Attach(Var.Parameter(Tensor.Vector(0.2f, 0.7f, 0.1f)));
        var hard = Tensor.Vector(0f, 1f, 0f);
        var y = Ops.StraightThrough(soft, hard);
        Assert.Equal(hard.ToArray(), y.Value.ToArray());
        tape.Backward(Ops.Sum(Ops.Mul(y, Var.Const(Tensor.Vector(3f, -1f, 2f)))));
        Assert.Equal([3f, -1f, 2f], soft.Grad!.ToArray());
    }
}
