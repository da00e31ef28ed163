using Ppl.Inference.Elbo;
using Ppl.Inference.Estimators;
using Ppl.Inference.Tests.Elbo;
using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Distributions;
using Ppl.Runtime.Distributions.Constraints;
using Ppl.Runtime.Params;
using Ppl.Runtime.Random;
using Ppl.Runtime.Tensors;
using static Ppl.Inference.Tests.Elbo.TestModels;

namespace Ppl.Inference.Tests.Estimators;

public class DisArmTests
{
    static readonly float[] Xs = [0.9f, -1.4f, 0.2f];
    static readonly float[] Theta = [0.3f, -0.8f, 1.5f];
    const float Prior = 0.3f;

    /// <summary>plate n: z ~ Bernoulli(0.3), x ~ N(2z − 1, 1). Guide: z ~ Bernoulli(logits θ) per element.</summary>
    static readonly LambdaModel Model = new("bern", c =>
    {
        using var plate = c.Plate("n", Xs.Length, null, At);
        var z = c.Sample("z", new Bernoulli(Prior), [Xs.Length], At);
        c.Observe("x", new Normal(Ops.Sub(Ops.Mul(z, 2f), 1f), 1f), c.Constant(Tensor.FromArray(Xs, Xs.Length)), At);
    });

    static readonly LambdaModel Guide = new("guide", c =>
    {
        using var plate = c.Plate("n", Xs.Length, null, At);
        c.Sample("z", Bernoulli.FromLogits(Vector(c, "theta", Theta, Constraint.Real)), At);
    });

    /// <summary>dELBO/dθ_i = q1·q0·[(a1 − log q1) − (a0 − log q0)], a_z = log p(z) + log N(x_i; 2z − 1, 1).</summary>
    static double Analytic(int i)
    {
        double q1 = 1 / (1 + Math.Exp(-Theta[i])), q0 = 1 - q1;
        double a1 = Math.Log(Prior) - 0.5 * (Xs[i] - 1) * (Xs[i] - 1), a0 = Math.Log(1 - Prior) - 0.5 * (Xs[i] + 1) * (Xs[i] + 1);
        return q1 * q0 * ((a1 - Math.Log(q1)) - (a0 - Math.Log(q0)));
    }

    static List<double[]> Gradients(ElboOptions options, int steps) => TestModels.Gradients(new TraceElbo(options), Model, Guide, "theta", steps, 17);

    [Fact]
    public void Step_DisArm_UnbiasedAndLowerVarianceThanLeaveOneOutAtTwoEvaluations()
    {
        const int steps = 3000;
        var disarm = Gradients(new ElboOptions { Force = EstimatorKind.DisArm, AnalyticKl = false }, steps);
        var loo = Gradients(new ElboOptions { Force = EstimatorKind.ScoreFunction, Particles = 2, Baseline = BaselineKind.LeaveOneOut, AnalyticKl = false }, steps);
        for (int i = 0; i < Xs.Length; i++)
        {
            var d = disarm.Select(g => g[i]).ToList();
            var l = loo.Select(g => g[i]).ToList();
            // Mean within 4 Monte Carlo standard errors (sd/sqrt(steps)) of the analytic gradient.
            Assert.InRange(d.Average(), Analytic(i) - 4 * Sd(d) / Math.Sqrt(steps), Analytic(i) + 4 * Sd(d) / Math.Sqrt(steps));
            Assert.InRange(l.Average(), Analytic(i) - 4 * Sd(l) / Math.Sqrt(steps), Analytic(i) + 4 * Sd(l) / Math.Sqrt(steps));
            // Both use two model evaluations per step; a variance ratio from 3000 draws has a standard error of about
            // sqrt(4/3000) ≈ 4%, so "lower" is asserted with that margin.
            Assert.True(Variance(d) < 0.92 * Variance(l), $"element {i}: DisARM variance {Variance(d)} vs leave-one-out {Variance(l)}");
        }
    }

    [Fact]
    public void Step_DefaultOnBernoulliGuideSite_IsDisArmAndReportsWhy()
    {
        var elbo = new TraceElbo(new ElboOptions { AnalyticKl = false });
        elbo.Step(Model, Guide, new ParamStore(), new Tape(), new Rng(3));
        var z = Assert.Single(elbo.Estimators, e => e.Site == "z");
        Assert.Equal(EstimatorKind.DisArm, z.Kind);
        Assert.Contains("leave-one-out", z.Reason);
        // The default is the forced estimator, draw for draw.
        var byDefault = Gradients(new ElboOptions { AnalyticKl = false }, 20);
        var forced = Gradients(new ElboOptions { Force = EstimatorKind.DisArm, AnalyticKl = false }, 20);
        for (int s = 0; s < byDefault.Count; s++) Assert.Equal(forced[s], byDefault[s]);
    }

    [Fact]
    public void Step_DefaultWithBaselineAsked_IsScoreFunction()
    {
        var elbo = new TraceElbo(new ElboOptions { Baseline = BaselineKind.Ema });
        elbo.Step(Model, Guide, new ParamStore(), new Tape(), new Rng(3));
        Assert.Equal(EstimatorKind.ScoreFunction, Assert.Single(elbo.Estimators, e => e.Site == "z").Kind);
    }

    [Fact]
    public void Step_DefaultOnBernoulliVector_MultivariateDisArmIsUnbiased()
    {
        // z ~ Bernoulli(0.3)², x ~ N(z0 + 2·z1, 1) with x = 1.7: one cost for both bits (no plate), so each bit's weight
        // uses the whole vector's f(b) − f(b̃). Guide z ~ Bernoulli(logits l).
        float[] l = [0.4f, -0.9f];
        const float x = 1.7f;
        var model = new LambdaModel("pair", c =>
        {
            var z = c.Sample("z", new Bernoulli(c.Constant(Tensor.FromArray([Prior, Prior], 2))), At);
            var mean = Ops.Add(Ops.Index(z, 0, 0), Ops.Mul(Ops.Index(z, 0, 1), 2f));
            c.Observe("x", new Normal(mean, 1f), c.Constant(Tensor.Scalar(x)), At);
        });
        var guide = new LambdaModel("g", c => c.Sample("z", Bernoulli.FromLogits(Vector(c, "l", l, Constraint.Real)), At));
        // dELBO/dl_j = Σ_z q(z)·(∂log q(z)/∂l_j)·(log p(z, x) − log q(z)), ∂log q/∂l_j = z_j − σ(l_j), over the four z.
        var analytic = new double[2];
        for (int z0 = 0; z0 < 2; z0++)
            for (int z1 = 0; z1 < 2; z1++)
            {
                int[] z = [z0, z1];
                double q = 1, logP = -0.5 * (x - z0 - 2 * z1) * (x - z0 - 2 * z1);
                for (int j = 0; j < 2; j++)
                {
                    double q1 = 1 / (1 + Math.Exp(-l[j]));
                    q *= z[j] == 1 ? q1 : 1 - q1;
                    logP += Math.Log(z[j] == 1 ? Prior : 1 - Prior);
                }
                for (int j = 0; j < 2; j++) analytic[j] += q * (z[j] - 1 / (1 + Math.Exp(-l[j]))) * (logP - Math.Log(q));
            }
        const int steps = 3000;
        var elbo = new TraceElbo(new ElboOptions { AnalyticKl = false });
        var draws = TestModels.Gradients(elbo, model, guide, "l", steps, 41);
        Assert.Equal(EstimatorKind.DisArm, Assert.Single(elbo.Estimators).Kind);
        for (int j = 0; j < 2; j++)
        {
            // Within 4 Monte Carlo standard errors (sd/sqrt(steps)) of the analytic gradient.
            var d = draws.Select(g => g[j]).ToList();
            Assert.InRange(d.Average(), analytic[j] - 4 * Sd(d) / Math.Sqrt(steps), analytic[j] + 4 * Sd(d) / Math.Sqrt(steps));
        }
    }

    [Fact]
    public void Step_DefaultWhenProbabilitiesDependOnAnotherDraw_FallsBackToScoreFunction()
    {
        var model = new LambdaModel("shift", c =>
        {
            var mu = c.Sample("mu", new Normal(0f, 1f), At);
            using var plate = c.Plate("n", Xs.Length, null, At);
            var z = c.Sample("z", new Bernoulli(Prior), [Xs.Length], At);
            c.Observe("x", new Normal(Ops.Add(Ops.Sub(Ops.Mul(z, 2f), 1f), Ops.BroadcastTo(mu, Xs.Length)), 1f), c.Constant(Tensor.FromArray(Xs, Xs.Length)), At);
        });
        var guide = new LambdaModel("g", c =>
        {
            var mu = c.Sample("mu", new Normal(Vector(c, "m", [0f], Constraint.Real), 1f), At);
            using var plate = c.Plate("n", Xs.Length, null, At);
            c.Sample("z", Bernoulli.FromLogits(Ops.BroadcastTo(Ops.Reshape(mu, []), Xs.Length)), At);
        });
        var elbo = new TraceElbo();
        var store = new ParamStore();
        var tape = new Tape();
        var rng = new Rng(5);
        for (int s = 0; s < 3; s++) { tape.Reset(); store.ZeroGrad(); Assert.True(double.IsFinite(elbo.Step(model, guide, store, tape, rng).Elbo)); }
        var z = Assert.Single(elbo.Estimators, e => e.Site == "z");
        Assert.Equal(EstimatorKind.ScoreFunction, z.Kind);
        Assert.Contains("depend on other random draws", z.Reason);
    }

    [Fact]
    public void Step_DefaultInSubsampledPlate_PairSharesMinibatchAndIsUnbiased()
    {
        // plate n of 3, subsample 2: the guide gathers its logits at the minibatch, so a pair that drew two different
        // minibatches would not share its probabilities (and would fall back to the score function).
        var model = new LambdaModel("bern_sub", c =>
        {
            using var plate = c.Plate("n", Xs.Length, 2, At);
            var z = c.Sample("z", new Bernoulli(Prior), [plate.Size], At);
            var x = Ops.Gather(c.Constant(Tensor.FromArray(Xs, Xs.Length)), plate.Indices);
            c.Observe("x", new Normal(Ops.Sub(Ops.Mul(z, 2f), 1f), 1f), x, At);
        });
        var guide = new LambdaModel("guide_sub", c =>
        {
            var theta = Vector(c, "theta", Theta, Constraint.Real);
            using var plate = c.Plate("n", Xs.Length, 2, At);
            c.Sample("z", Bernoulli.FromLogits(Ops.Gather(theta, plate.Indices)), At);
        });
        const int steps = 3000;
        var elbo = new TraceElbo(new ElboOptions { AnalyticKl = false });
        var draws = TestModels.Gradients(elbo, model, guide, "theta", steps, 31);
        Assert.Equal(EstimatorKind.DisArm, Assert.Single(elbo.Estimators, e => e.Site == "z").Kind);
        for (int i = 0; i < Xs.Length; i++)
        {
            // Element i is in the minibatch with probability 2/3 and then scaled by 3/2: the mean is the full gradient,
            // within 4 Monte Carlo standard errors (sd/sqrt(steps)).
            var d = draws.Select(g => g[i]).ToList();
            Assert.InRange(d.Average(), Analytic(i) - 4 * Sd(d) / Math.Sqrt(steps), Analytic(i) + 4 * Sd(d) / Math.Sqrt(steps));
        }
    }

    [Fact]
    public void Step_LearnedBaseline_UnbiasedAndLowerVarianceThanNone()
    {
        var elbo = new TraceElbo(new ElboOptions { Baseline = BaselineKind.Learned, AnalyticKl = false });
        var store = new ParamStore();
        var tape = new Tape();
        var rng = new Rng(23);
        var adam = new Ppl.Inference.Optimizers.Adam(0.01f);
        var draws = new List<double[]>();
        for (int s = 0; s < 2500; s++)
        {
            tape.Reset();
            store.ZeroGrad();
            var step = elbo.Step(Model, Guide, store, tape, rng);
            if (s >= 500) draws.Add(store["theta"].Unconstrained.Grad!.ToArray().Select(g => -(double)g).ToArray());
            // Train only the baseline's net: θ stays where the analytic gradient is computed.
            adam.Step(store.Entries.Where(e => e.Name.StartsWith("baseline.z.", StringComparison.Ordinal)).Select(e => e.Unconstrained));
        }
        Assert.Contains(store.Entries, e => e.Name.StartsWith("baseline.z.", StringComparison.Ordinal));
        var none = Gradients(new ElboOptions { Baseline = BaselineKind.None, AnalyticKl = false }, 2000);
        for (int i = 0; i < Xs.Length; i++)
        {
            var d = draws.Select(g => g[i]).ToList();
            var n = none.Select(g => g[i]).ToList();
            // Mean within 4 Monte Carlo standard errors (sd/sqrt(2000)) of the analytic gradient.
            Assert.InRange(d.Average(), Analytic(i) - 4 * Sd(d) / Math.Sqrt(d.Count), Analytic(i) + 4 * Sd(d) / Math.Sqrt(d.Count));
            // The variance ratio's standard error is about sqrt(4/2000) ≈ 4.5%; the baseline must clear it well.
            Assert.True(Variance(d) < 0.8 * Variance(n), $"element {i}: learned {Variance(d)} vs none {Variance(n)}");
        }
    }

    [Fact]
    public void Step_DisArmForcedOnCategorical_ErrorNamesSite()
    {
        var model = new LambdaModel("cat", c => c.Sample("k", Categorical.FromProbs(c.Constant(Tensor.FromArray([0.2f, 0.8f], 2))), At));
        var guide = new LambdaModel("g", c => c.Sample("k", Categorical.FromLogits(Vector(c, "l", [0f, 0f], Constraint.Real)), At));
        var e = Assert.Throws<EstimatorException>(() => new TraceElbo(new ElboOptions { Force = EstimatorKind.DisArm }).Step(model, guide, new ParamStore(), new Tape(), new Rng(1)));
        Assert.Contains("'k'", e.Message);
        Assert.Contains("Bernoulli", e.Message);
    }

    [Fact]
    public void Step_SteadyDisArmStep_AllocatesLessThanOneDraw()
    {
        // A binary VAE's shape in small: 64 elements of 256 bits, prior ones(256)·0.3 broadcast to the minibatch. The
        // pair's uniforms, both draws, the weights and the prior's broadcast are batch-sized (64 KiB each); a steady
        // step reuses their buffers (tape pool, per-site noise), so it allocates less than one of them.
        const int n = 64, bits = 256;
        var data = Tensor.Zeros(n, bits);
        new Rng(3).FillUniform(data.Span);
        var model = new LambdaModel("bits", c =>
        {
            using var plate = c.Plate("n", n, null, At);
            var z = c.Sample("z", new Bernoulli(Ops.Mul(c.Fill(1f, [bits]), Prior)), [n, bits], At);
            c.Observe("x", new Normal(z, 1f), c.Constant(data), At);
        });
        var guide = new LambdaModel("g", c =>
        {
            using var plate = c.Plate("n", n, null, At);
            c.Sample("z", Bernoulli.FromLogits(c.Param("theta", () => Tensor.Zeros(n, bits), Constraint.Real, At)), At);
        });
        var elbo = new TraceElbo();
        var store = new ParamStore();
        var tape = new Tape();
        var rng = new Rng(5);
        void Step() { tape.Reset(); store.ZeroGrad(); elbo.Step(model, guide, store, tape, rng); }
        for (int i = 0; i < 3; i++) Step();
        long before = GC.GetAllocatedBytesForCurrentThread();
        Step();
        long bytes = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(EstimatorKind.DisArm, Assert.Single(elbo.Estimators).Kind);
        Assert.True(bytes < n * bits * sizeof(float), $"a steady DisARM step allocated {bytes} bytes");
    }

    [Fact]
    public void Step_EnumerateForcedOnPoisson_ErrorNamesSite()
    {
        var model = new LambdaModel("pois", c => c.Sample("k", new Poisson(2f), At));
        var guide = new LambdaModel("g", c => c.Sample("k", new Poisson(Positive(c, "r", 1f)), At));
        var e = Assert.Throws<EstimatorException>(() => new TraceElbo(new ElboOptions { Force = EstimatorKind.Enumerate }).Step(model, guide, new ParamStore(), new Tape(), new Rng(1)));
        Assert.Contains("'k'", e.Message);
        Assert.Contains("infinite", e.Message);
    }
}
