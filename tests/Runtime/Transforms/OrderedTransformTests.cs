using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Distributions.Constraints;
using Ppl.Runtime.Tensors;
using Ppl.Runtime.Transforms;
using static Ppl.Runtime.Tests.Transforms.TransformCheck;

namespace Ppl.Runtime.Tests.Transforms;

public class OrderedTransformTests
{
    static readonly OrderedTransform T = OrderedTransform.Instance;

    [Fact]
    public void Forward_IsStansConstruction()
    {
        // Stan: y₁ = x₁, yₖ = yₖ₋₁ + exp(xₖ).
        var y = T.Forward(Var.Const(Tensor.Vector([0.5f, -1f, 0f, 2f]))).Value;
        double[] expected = [0.5, 0.5 + Math.Exp(-1), 0.5 + Math.Exp(-1) + 1, 0.5 + Math.Exp(-1) + 1 + Math.Exp(2)];
        for (int k = 0; k < 4; k++) Assert.Equal(expected[k], y[k], 1e-5);
    }

    [Fact]
    public void Forward_Batch_IsIncreasing()
    {
        var y = T.Forward(Var.Const(Uniform(1, -6, 6, 10, 3))).Value;
        Assert.Equal([10, 3], y.Shape);
        for (int b = 0; b < 10; b++) Assert.True(Constraint.Ordered.Check(y.Span.Slice(b * 3, 3)));
        Assert.Same(T, BijectTo.For(Constraint.Ordered));
    }

    [Fact]
    public void Inverse_OfForward_IsIdentity() => RoundTrip(T, Uniform(2, -3, 3, 6, 4), 1e-3);

    [Fact]
    public void LogAbsDetJacobian_MatchesNumericalJacobian() => LogDetMatchesJacobian(T, Uniform(3, -2, 2, 4, 4), All);

    [Fact]
    public void LogDet_MatchesFiniteDifferences() => Autodiff.GradCheck.Check(x => T.LogAbsDetJacobian(x[0], T.Forward(x[0])), Uniform(5, -2, 2, 2, 3));

    [Fact]
    public void Forward_MatchesFiniteDifferences() => Autodiff.GradCheck.Check(x => T.Forward(x[0]), Uniform(4, -2, 2, 2, 3));

    [Fact]
    public void OneElement_IsTheIdentity()
    {
        var x = Var.Const(Tensor.Vector([1.5f]));
        Assert.Equal(1.5f, T.Forward(x).Value[0]);
        Assert.Equal(0f, T.LogAbsDetJacobian(x, x).Value.ToScalar());
    }

    [Fact]
    public void Constraint_RejectsTiesDecreasesAndNonFinite()
    {
        Assert.True(Constraint.Ordered.Check([-1f, 0f, 3f]));
        Assert.False(Constraint.Ordered.Check([-1f, -1f, 3f]));
        Assert.False(Constraint.Ordered.Check([0f, 3f, 2f]));
        Assert.False(Constraint.Ordered.Check([0f, float.NaN]));
        Assert.False(Constraint.Ordered.Check([0f, float.PositiveInfinity]));
    }
}
