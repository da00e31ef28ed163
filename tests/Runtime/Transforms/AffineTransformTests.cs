using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Distributions.Constraints;
using Ppl.Runtime.Tensors;
using Ppl.Runtime.Transforms;
using static Ppl.Runtime.Tests.Transforms.TransformCheck;

namespace Ppl.Runtime.Tests.Transforms;

public class AffineTransformTests
{
    static Transform Make() => new AffineTransform(Var.Const(1.5f), Var.Const(-0.7f));

    [Fact] public void Inverse_OfForward_IsIdentity() => RoundTrip(Make(), Uniform(1, -4, 4, 50));

    [Fact] public void LogAbsDetJacobian_MatchesNumericalDerivative() => LogDetMatchesJacobian(Make(), Uniform(2, -4, 4, 20), All);

    [Fact]
    public void Forward_LandsInCodomain() =>
        Assert.True(Make().Codomain.Check(Make().Forward(Var.Const(Uniform(3, -10, 10, 100))).Value.Span));

    [Fact]
    public void EventDim_SumsLogScalesOverTheEvent()
    {
        var t = new AffineTransform(Var.Const(Tensor.Vector(1, 2)), Var.Const(Tensor.Vector(2, 3)), eventDim: 1);
        var x = Var.Const(Tensor.Zeros(4, 2));
        var ld = t.LogAbsDetJacobian(x, t.Forward(x));
        Assert.Equal([4], ld.Shape);
        Assert.Equal(Math.Log(6), ld.Value[0], 1e-6);
    }

    [Fact]
    public void ParameterGradients_MatchFiniteDifferences() =>
        Autodiff.GradCheck.Check(p =>
        {
            var t = new AffineTransform(p[0], p[1]);
            var x = Var.Const(Tensor.Vector(0.3f, -1.2f));
            return Ops.Concat([t.Forward(x), t.LogAbsDetJacobian(x, x), t.Inverse(x)], 0);
        }, Tensor.Vector(0.4f, -0.2f), Tensor.Vector(1.3f, -0.8f));
}
