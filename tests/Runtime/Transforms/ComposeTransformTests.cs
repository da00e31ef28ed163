using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Tensors;
using Ppl.Runtime.Transforms;
using static Ppl.Runtime.Tests.Transforms.TransformCheck;

namespace Ppl.Runtime.Tests.Transforms;

public class ComposeTransformTests
{
    [Fact]
    public void Compose_ElementwiseThenStickBreaking_HasVectorEvents()
    {
        var t = new ComposeTransform(new AffineTransform(Var.Const(0.5f), Var.Const(2f)), StickBreakingTransform.Instance);
        Assert.Equal(1, t.EventDim);
        Assert.Equal(1, t.CodomainEventDim);
        Assert.Equal([7, 4], t.ForwardShape([7, 3]));
        Assert.Equal([7, 3], t.InverseShape([7, 4]));
    }

    [Fact]
    public void Compose_CorrCholeskyThenElementwise_HasMatrixCodomainEvents()
    {
        var t = new ComposeTransform(CorrCholeskyTransform.Instance, new AffineTransform(Var.Const(0f), Var.Const(3f)));
        Assert.Equal(1, t.EventDim);
        Assert.Equal(2, t.CodomainEventDim);
    }

    [Fact]
    public void Compose_AffineThenStickBreaking_LogDetMatchesNumericalJacobian() =>
        LogDetMatchesJacobian(new ComposeTransform(new AffineTransform(Var.Const(0.5f), Var.Const(-1.5f)), StickBreakingTransform.Instance),
            Uniform(1, -1, 1, 3, 3), y => All(y[..^1]));

    [Fact]
    public void Compose_AffineThenExp_InverseOfForwardIsIdentity() =>
        RoundTrip(new ComposeTransform(new AffineTransform(Var.Const(1f), Var.Const(0.5f)), new ExpTransform()), Uniform(2, -3, 3, 10));

    [Fact]
    public void Compose_AffineThenExp_LogDetIsSumOfParts()
    {
        var t = new ComposeTransform(new AffineTransform(Var.Const(1f), Var.Const(0.5f)), new ExpTransform());
        var x = Var.Const(Tensor.Vector(0.2f, -1f));
        var ld = t.LogAbsDetJacobian(x, t.Forward(x)).Value;
        for (int i = 0; i < 2; i++) Assert.Equal(Math.Log(0.5) + 1 + 0.5 * x.Value[i], ld[i], 1e-6);
    }
}
