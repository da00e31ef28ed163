using Ppl.Inference.Elbo;
using Ppl.Inference.Estimators;
using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Distributions;
using Ppl.Runtime.Distributions.Constraints;
using Ppl.Runtime.Params;
using Ppl.Runtime.Random;
using Ppl.Runtime.Tensors;
using static Ppl.Inference.Tests.Elbo.TestModels;
using static Ppl.Inference.Tests.Elbo.TestModels.NormalNormal;

namespace Ppl.Inference.Tests.Elbo;

public class ScoreFunctionTests
{
    /// <summary>∂ELBO/∂m and ∂ELBO/∂log s of the Normal–Normal model in closed form (s = exp of its unconstrained value).</summary>
    static (double Dm, double DLogS) AnalyticGradient()
    {
        double dm = -M + Xs.Sum(x => x - M);
        double dlogs = -(1 + Xs.Length) * S * S + 1;
        return (dm, dlogs);
    }

    /// <summary>Gradient draws of ∂ELBO/∂m and ∂ELBO/∂(unconstrained s) over <paramref name="steps"/> steps.</summary>
    static (List<double> Dm, List<double> Ds) Gradients(ElboOptions options, int steps, ulong seed)
    {
        var elbo = new TraceElbo(options);
        var store = new ParamStore();
        var tape = new Tape();
        var rng = new Rng(seed);
        var dm = new List<double>();
        var ds = new List<double>();
        for (int i = 0; i < steps; i++)
        {
            tape.Reset();
            store.ZeroGrad();
            elbo.Step(Model, Guide, store, tape, rng);
            dm.Add(-store["m"].Unconstrained.Grad!.ToScalar());
            ds.Add(-store["s"].Unconstrained.Grad!.ToScalar());
        }
        return (dm, ds);
    }

    public static TheoryData<string, EstimatorKind?, BaselineKind?, int> Estimators => new()
    {
        { "pathwise", null, null, 1 },
        { "score, no baseline", EstimatorKind.ScoreFunction, BaselineKind.None, 1 },
        { "score, EMA", EstimatorKind.ScoreFunction, BaselineKind.Ema, 1 },
        { "score, leave-one-out", EstimatorKind.ScoreFunction, BaselineKind.LeaveOneOut, 4 },
    };

    [Theory]
    [MemberData(nameof(Estimators))]
    public void Step_EachEstimator_AgreesWithAnalyticGradientInExpectation(string label, EstimatorKind? force, BaselineKind? baseline, int particles)
    {
        _ = label;
        var (dm, ds) = Gradients(new ElboOptions { Force = force, Baseline = baseline, Particles = particles, AnalyticKl = false }, 4000, 21);
        var (em, es) = AnalyticGradient();
        // 4 Monte Carlo standard errors of a mean of 4000 gradient draws (the EMA baseline makes successive draws
        // slightly dependent; its correlation is small against this margin).
        Assert.Equal(em, dm.Average(), 4 * Sd(dm) / Math.Sqrt(dm.Count));
        Assert.Equal(es, ds.Average(), 4 * Sd(ds) / Math.Sqrt(ds.Count));
    }

    [Fact]
    public void Step_ForcedScoreWithAnalyticKl_AgreesWithAnalyticGradient()
    {
        // −KL carries the site's own terms exactly; the score part carries only the likelihood.
        var (dm, _) = Gradients(new ElboOptions { Force = EstimatorKind.ScoreFunction }, 4000, 22);
        Assert.Equal(AnalyticGradient().Dm, dm.Average(), 4 * Sd(dm) / Math.Sqrt(dm.Count)); // 4 standard errors
    }

    [Fact]
    public void Step_ControlVariates_ReduceVariance()
    {
        var none = Gradients(new ElboOptions { Force = EstimatorKind.ScoreFunction, Baseline = BaselineKind.None, AnalyticKl = false }, 2000, 23).Dm;
        var ema = Gradients(new ElboOptions { Force = EstimatorKind.ScoreFunction, AnalyticKl = false }, 2000, 23).Dm;
        var loo = Gradients(new ElboOptions { Force = EstimatorKind.ScoreFunction, Particles = 4, AnalyticKl = false }, 2000, 23).Dm;
        // The cost here is far from zero (≈ −8), so a baseline cuts the variance by much more than the factor 2 asserted.
        Assert.True(Variance(ema) * 2 < Variance(none), $"EMA {Variance(ema)} vs none {Variance(none)}");
        Assert.True(Variance(loo) * 4 * 2 < Variance(none), $"LOO (4 particles) {Variance(loo)} vs none {Variance(none)}");
    }

    // z ~ Bernoulli(0.5) feeds x; v ~ N(0, 1) is independent of z, and its guide N(0, 3) makes its terms noisy.
    static readonly LambdaModel RbModel = new("rb", c =>
    {
        var z = c.Sample("z", new Bernoulli(0.5f), At);
        c.Observe("x", new Normal(Ops.Sub(Ops.Mul(z, 2f), 1f), 1f), c.Constant(Tensor.Scalar(0.7f)), At);
        c.Sample("v", new Normal(0f, 1f), At);
    });

    static readonly LambdaModel RbGuide = new("rb_guide", c =>
    {
        c.Sample("z", Bernoulli.FromLogits(Real(c, "theta", 0.2f)), At);
        c.Sample("v", new Normal(0f, 3f), At);
    });

    static List<double> RbGradients(bool raoBlackwellize)
    {
        var elbo = new TraceElbo(new ElboOptions { RaoBlackwellize = raoBlackwellize, Baseline = BaselineKind.None, AnalyticKl = false });
        var store = new ParamStore();
        var tape = new Tape();
        var rng = new Rng(31);
        var g = new List<double>();
        for (int i = 0; i < 4000; i++)
        {
            tape.Reset();
            store.ZeroGrad();
            elbo.Step(RbModel, RbGuide, store, tape, rng);
            g.Add(-store["theta"].Unconstrained.Grad!.ToScalar());
        }
        return g;
    }

    [Fact]
    public void Step_RaoBlackwellization_LowersVarianceKeepsMean()
    {
        var rb = RbGradients(true);
        var whole = RbGradients(false);
        // Means agree within 4 standard errors of their difference; the noisy independent term (log-ratio sd ≈ 4)
        // dominates the whole-cost variance, so the Rao-Blackwellized one is far more than 4 times smaller.
        double se = Math.Sqrt(Variance(rb) / rb.Count + Variance(whole) / whole.Count);
        Assert.Equal(whole.Average(), rb.Average(), 4 * se);
        Assert.True(Variance(rb) * 4 < Variance(whole), $"Rao-Blackwellized {Variance(rb)} vs whole cost {Variance(whole)}");
    }

    [Fact]
    public void Step_RaoBlackwellizedCost_IsExactlyTheDownstreamTerms()
    {
        var elbo = new TraceElbo(new ElboOptions { Baseline = BaselineKind.None, AnalyticKl = false });
        var store = new ParamStore();
        var tape = new Tape();
        var step = elbo.Step(RbModel, RbGuide, store, tape, new Rng(5));
        // ∂/∂θ of the surrogate is (z − σ(θ)) · (log p(z) + log p(x | z) − log q(z)) from the score part, plus
        // −(z − σ(θ)) from the ELBO's own −log q(z) term: v's terms are not charged.
        var g = step.GuideTrace;
        var m = step.ModelTrace;
        double z = g["z"].Value!.ToScalar(), sigma = 1 / (1 + Math.Exp(-0.2));
        double cost = m["z"].LogProb.ToScalar() + m["x"].LogProb.ToScalar() - g["z"].LogProb.ToScalar();
        Assert.Equal((z - sigma) * (cost - 1), -store["theta"].Unconstrained.Grad!.ToScalar(), 4);
        Assert.Equal(EstimatorKind.ScoreFunction, elbo.Estimators.Single(e => e.Site == "z").Kind);
        Assert.Equal(EstimatorKind.Pathwise, elbo.Estimators.Single(e => e.Site == "v").Kind);
    }

    [Fact]
    public void Step_CategoricalSite_ModelTermOfItsValueIsCharged()
    {
        // Categorical's log density gathers by the value as ints; the model's log p(z) must still be in z's cost.
        var model = new LambdaModel("cat", c =>
        {
            var z = c.Sample("z", Categorical.FromProbs(Var.Const(Tensor.Vector(0.2f, 0.3f, 0.5f))), At);
            c.Observe("x", new Normal(Ops.Gather(c.Constant(Tensor.Vector(-1f, 0f, 2f)), z), 1f), c.Constant(Tensor.Scalar(0.4f)), At);
        });
        var guide = new LambdaModel("cat_guide", c =>
            c.Sample("z", Categorical.FromLogits(Vector(c, "logits", [0.1f, -0.2f, 0.3f], Constraint.Real)), At));
        var elbo = new TraceElbo(new ElboOptions { Baseline = BaselineKind.None, AnalyticKl = false });
        var store = new ParamStore();
        var step = elbo.Step(model, guide, store, new Tape(), new Rng(12));
        var g = step.GuideTrace;
        var m = step.ModelTrace;
        int z = (int)g["z"].Value!.ToScalar();
        double cost = m["z"].LogProb.ToScalar() + m["x"].LogProb.ToScalar() - g["z"].LogProb.ToScalar();
        double[] l = [0.1, -0.2, 0.3];
        double norm = l.Sum(Math.Exp);
        var grad = store["logits"].Unconstrained.Grad!.ToArray();
        for (int j = 0; j < 3; j++)
        {
            // ∂ log q(z)/∂l_j = [j = z] − softmax_j; the ELBO's own −log q term adds −(that).
            double score = (j == z ? 1 : 0) - Math.Exp(l[j]) / norm;
            Assert.Equal(score * (cost - 1), -grad[j], 4);
        }
    }

    [Fact]
    public void Step_PathwiseForcedOnBernoulli_ThrowsEstimatorException()
    {
        var elbo = new TraceElbo(new ElboOptions { Force = EstimatorKind.Pathwise });
        var e = Assert.Throws<EstimatorException>(() => elbo.Step(RbModel, RbGuide, new ParamStore(), new Tape(), new Rng(1)));
        Assert.Contains("'z'", e.Message);
        Assert.Contains("Bernoulli is discrete", e.Message);
    }

    /// <summary>A continuous distribution without a reparameterized sampler (a Normal that hides its RSample).</summary>
    sealed class OpaqueNormal(Var loc, Var scale) : Distribution
    {
        readonly Normal inner = new(loc, scale);
        public override int[] BatchShape => inner.BatchShape;
        public override Constraint Support => inner.Support;
        public override Var LogProb(Var value) => inner.LogProb(value);
        public override Tensor Sample(Rng rng, int[]? sampleShape = null) => inner.Sample(rng, sampleShape);
        public override Distribution Expand(int[] batchShape) => new OpaqueNormal(Ops.BroadcastTo(loc, batchShape), Ops.BroadcastTo(scale, batchShape));
    }

    [Fact]
    public void Step_ContinuousSiteWithoutRSample_WarnsAndUsesScoreFunction()
    {
        var guide = new LambdaModel("g", c => c.Sample("mu", new OpaqueNormal(Real(c, "m", M), Positive(c, "s", S)), At));
        var elbo = new TraceElbo();
        var store = new ParamStore();
        var tape = new Tape();
        elbo.Step(Model, guide, store, tape, new Rng(2));
        Assert.Equal(EstimatorKind.ScoreFunction, elbo.Estimators.Single().Kind);
        Assert.Contains("'mu'", Assert.Single(elbo.Warnings));
        Assert.NotEqual(0f, store["m"].Unconstrained.Grad!.ToScalar());
    }

    [Fact]
    public void Estimators_DefaultBaseline_DependsOnParticles()
    {
        Assert.Equal("ema(β=0.9)", EstimatorPolicy.Describe(EstimatorPolicy.DefaultBaseline(1)));
        Assert.Equal("leave-one-out", EstimatorPolicy.Describe(EstimatorPolicy.DefaultBaseline(8)));
    }
}
