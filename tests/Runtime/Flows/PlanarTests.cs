using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Distributions;
using Ppl.Runtime.Flows;
using Ppl.Runtime.Random;
using Ppl.Runtime.Tensors;
using Ppl.Runtime.Tests.Nn;
using static Ppl.Runtime.Tests.Transforms.TransformCheck;

namespace Ppl.Runtime.Tests.Flows;

public class PlanarTests
{
    static Planar Distorted(int dim, int seed, int contextDim = 0)
    {
        var f = new Planar(dim, new Rng((ulong)seed), contextDim);
        FlowCheck.Randomize(f, seed, 1.5f);
        return f;
    }

    [Fact]
    public void LogDet_MatchesNumericalJacobian() => LogDetMatchesJacobian(Distorted(3, 1), Uniform(2, -2, 2, 4, 3), All);

    [Fact]
    public void Conditioned_LogDet_MatchesNumericalJacobian()
    {
        var f = Distorted(3, 3, contextDim: 2);
        LogDetMatchesJacobian(f.Condition(Var.Const(Uniform(4, -1, 1, 4, 2))), Uniform(5, -2, 2, 4, 3), All);
    }

    [Fact]
    public void Inverse_OfForward_IsIdentity() => RoundTrip(Distorted(4, 6), Uniform(7, -3, 3, 20, 4), 2e-4);

    [Fact]
    public void Inverse_NearlyFlatDirection_StillInverts()
    {
        // wᵀu ≪ 0 drives m = wᵀû towards −1: the map nearly flattens along w, the hardest case for the root solve.
        var f = new Planar(2, new Rng(1));
        var ps = f.NamedParameters().ToDictionary(p => p.Name, p => p.Parameter);
        ps["w"].Value.Span[0] = 2f; ps["w"].Value.Span[1] = 0f;
        ps["u"].Value.Span[0] = -20f; ps["u"].Value.Span[1] = 1f;
        RoundTrip(f, Uniform(8, -0.5, 0.5, 10, 2), 2e-3);
    }

    [Fact]
    public void UHat_KeepsWTransposeUHatAboveMinusOne()
    {
        var f = new Planar(2, new Rng(1));
        var ps = f.NamedParameters().ToDictionary(p => p.Name, p => p.Parameter);
        ps["w"].Value.Span[0] = 1f; ps["w"].Value.Span[1] = 1f;
        ps["u"].Value.Span[0] = -50f; ps["u"].Value.Span[1] = -50f;
        // Without the correction 1 + ψᵀu would be 1 − 100·(1 − tanh²) < 0 near the hyperplane; with it the log-det is finite.
        var x = Var.Const(Uniform(9, -1, 1, 50, 2));
        foreach (float v in f.LogAbsDetJacobian(x, f.Forward(x)).Value.Span) Assert.True(float.IsFinite(v));
    }

    [Fact]
    public void ForwardAndLogDet_ParameterGradients_MatchFiniteDifferences()
    {
        var f = Distorted(3, 10, contextDim: 2);
        var ctx = Uniform(11, -1, 1, 4, 2);
        ParamGradCheck.Check(f, x =>
        {
            var (y, ld) = f.ForwardWithLogDet(x[0], x[1]);
            return Ops.Concat([y, Ops.Reshape(ld, 4, 1)], -1);
        }, inputs: [Uniform(12, -2, 2, 4, 3), ctx]);
    }

    [Fact]
    public void Inverse_ImplicitGradients_MatchFiniteDifferences()
    {
        // The root is found numerically; the gradient comes from one symbolic Newton step (implicit function theorem).
        var f = Distorted(3, 13);
        ParamGradCheck.Check(f, y => f.Inverse(y[0], null), inputs: Uniform(14, -2, 2, 4, 3));
    }

    [Fact]
    public void Density_OnGrid_IntegratesToOne()
    {
        var flows = Planar.Stack(2, 3, new Rng(15));
        FlowCheck.Randomize(flows, 16, 1.2f);
        var d = new TransformedDistribution(FlowCheck.StandardNormal2(), flows);
        // Midpoint rule with h = 0.04 (see GridIntegral): error ≲ 1e-4; 1e-3 leaves room for float32 log-densities.
        Assert.Equal(1.0, FlowCheck.GridIntegral(d, 8, 400), 1e-3);
    }

    [Fact]
    public void Unconditioned_UseOfConditionalFlow_Throws()
    {
        var f = new Planar(2, new Rng(1), contextDim: 3);
        Assert.Throws<InvalidOperationException>(() => f.Forward(Var.Const(Tensor.Zeros(2))));
        Assert.Throws<ShapeException>(() => f.Condition(Var.Const(Tensor.Zeros(2))));
    }
}
