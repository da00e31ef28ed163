using Ppl.Inference.Elbo;
using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Distributions;
using Ppl.Runtime.Params;
using Ppl.Runtime.Random;
using Ppl.Runtime.Tensors;
using static Ppl.Inference.Tests.Elbo.TestModels;
using static Ppl.Inference.Tests.Elbo.TestModels.NormalNormal;

namespace Ppl.Inference.Tests.Elbo;

public class TraceElboTests
{
    /// <summary>E_q[log p(x, mu) − log q(mu)] in closed form for q = N(m, s²).</summary>
    static double AnalyticElbo(double m, double s)
    {
        double half = 0.5 * Math.Log(2 * Math.PI);
        double prior = -half - 0.5 * (m * m + s * s);
        double lik = Xs.Sum(x => -half - 0.5 * ((x - m) * (x - m) + s * s));
        double entropy = 0.5 * Math.Log(2 * Math.PI * Math.E * s * s);
        return prior + lik + entropy;
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Step_NormalNormal_EstimateMatchesAnalyticElbo(bool analyticKl)
    {
        var elbo = new TraceElbo(new ElboOptions { AnalyticKl = analyticKl });
        var store = new ParamStore();
        var tape = new Tape();
        var rng = new Rng(7);
        var estimates = new List<double>();
        for (int i = 0; i < 2000; i++)
        {
            tape.Reset();
            estimates.Add(elbo.Step(Model, Guide, store, tape, rng).Elbo);
            store.ZeroGrad();
        }
        // 4 Monte Carlo standard errors of the mean of 2000 draws.
        double tol = 4 * Sd(estimates) / Math.Sqrt(estimates.Count) + 1e-4;
        Assert.Equal(AnalyticElbo(M, S), estimates.Average(), tol);
        Assert.Equal(EstimatorKind.Pathwise, elbo.Estimators.Single().Kind);
    }

    [Fact]
    public void Step_NormalNormal_GradientMatchesAnalyticGradient()
    {
        var elbo = new TraceElbo(new ElboOptions { AnalyticKl = false });
        var store = new ParamStore();
        var tape = new Tape();
        var rng = new Rng(11);
        var gm = new List<double>();
        for (int i = 0; i < 2000; i++)
        {
            tape.Reset();
            elbo.Step(Model, Guide, store, tape, rng);
            gm.Add(-store["m"].Unconstrained.Grad!.ToScalar());
            store.ZeroGrad();
        }
        // dELBO/dm = −m + Σ (x_i − m); tolerance 4 standard errors.
        double expected = -M + Xs.Sum(x => x - M);
        Assert.Equal(expected, gm.Average(), 4 * Sd(gm) / Math.Sqrt(gm.Count) + 1e-4);
    }
}
