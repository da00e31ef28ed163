using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Distributions;
using Ppl.Runtime.Flows;
using Ppl.Runtime.Random;
using Ppl.Runtime.Tests.Nn;
using static Ppl.Runtime.Tests.Transforms.TransformCheck;

namespace Ppl.Runtime.Tests.Flows;

public class RadialTests
{
    static Radial Distorted(int dim, int seed, int contextDim = 0)
    {
        var f = new Radial(dim, new Rng((ulong)seed), contextDim);
        FlowCheck.Randomize(f, seed, 1.5f);
        return f;
    }

    [Fact]
    public void LogDet_MatchesNumericalJacobian() => LogDetMatchesJacobian(Distorted(3, 1), Uniform(2, -2, 2, 4, 3), All);

    [Fact]
    public void Conditioned_LogDet_MatchesNumericalJacobian() =>
        LogDetMatchesJacobian(Distorted(3, 3, contextDim: 2).Condition(Var.Const(Uniform(4, -1, 1, 4, 2))), Uniform(5, -2, 2, 4, 3), All);

    [Fact]
    public void Inverse_OfForward_IsIdentity() => RoundTrip(Distorted(4, 6), Uniform(7, -3, 3, 20, 4), 2e-4);

    [Fact]
    public void Inverse_StrongContraction_StillInverts()
    {
        // β → −α is the most contracting allowed case (points near z₀ are pulled in hard).
        var f = new Radial(2, new Rng(1));
        var ps = f.NamedParameters().ToDictionary(p => p.Name, p => p.Parameter);
        ps["alpha"].Value.Span[0] = 1f;
        ps["beta"].Value.Span[0] = -6f;
        RoundTrip(f, Uniform(8, -2, 2, 20, 2), 1e-3);
    }

    [Fact]
    public void ForwardLogDetAndInverse_Gradients_MatchFiniteDifferences()
    {
        var f = Distorted(3, 9, contextDim: 2);
        var ctx = Uniform(10, -1, 1, 4, 2);
        ParamGradCheck.Check(f, x =>
        {
            var (y, ld) = f.ForwardWithLogDet(x[0], x[1]);
            return Ops.Concat([y, Ops.Reshape(ld, 4, 1), f.Inverse(x[0], x[1])], -1);
        }, inputs: [Uniform(11, -2, 2, 4, 3), ctx]);
    }

    [Fact]
    public void Density_OnGrid_IntegratesToOne()
    {
        var flows = Radial.Stack(2, 3, new Rng(12));
        FlowCheck.Randomize(flows, 13, 1.5f);
        var d = new TransformedDistribution(FlowCheck.StandardNormal2(), flows);
        // Midpoint rule with h = 0.04 (see GridIntegral); radial layers have a kink-free but sharp centre, so 2e-3.
        Assert.Equal(1.0, FlowCheck.GridIntegral(d, 8, 400), 2e-3);
    }
}
