using Ppl.Inference.Elbo;
using Ppl.Inference.Estimators;
using Ppl.Inference.Tests.Elbo;
using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Distributions;
using Ppl.Runtime.Distributions.Constraints;
using Ppl.Runtime.Models;
using Ppl.Runtime.Params;
using Ppl.Runtime.Random;
using Ppl.Runtime.Tensors;
using static Ppl.Inference.Tests.Elbo.TestModels;

namespace Ppl.Inference.Tests.Enumeration;

/// <summary>
/// Enumeration in the guide (<c>--estimator enum</c> on a site a written guide samples): the ELBO and its gradient
/// are the analytic expectation over the guide's values, identical for every seed.
/// </summary>
public class GuideEnumerationTests
{
    static readonly ElboOptions Enumerate = new() { Force = EstimatorKind.Enumerate };

    static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));

    // ---- A global Bernoulli: z ~ Bernoulli(0.4); plate n: x ~ N(mu[z], 1); guide z ~ Bernoulli(logits θ). ----

    static readonly float[] Xs = [0.7f, 1.9f, 1.1f, -0.2f, 1.5f, 0.9f];
    static readonly float[] Mu = [-0.5f, 1f];
    const float Prior = 0.4f, Theta = 0.3f;

    static readonly LambdaModel Global = new("global", c =>
    {
        var mu = Vector(c, "mu", Mu, Constraint.Real);
        var z = c.Sample("z", new Bernoulli(Prior), At);
        using var plate = c.Plate("n", Xs.Length, null, At);
        c.Observe("x", new Normal(Ops.BroadcastTo(Ops.Gather(mu, z), Xs.Length), 1f), c.Constant(Tensor.FromArray(Xs, Xs.Length)), At);
    });

    static readonly LambdaModel GlobalGuide = new("global_guide", c => c.Sample("z", Bernoulli.FromLogits(Real(c, "theta", Theta)), At));

    /// <summary>ELBO = Σ_k q_k (a_k − log q_k), a_k = log p(z = k) + Σ_n log N(x_n; mu_k, 1); its θ- and mu-gradients.</summary>
    static (double Elbo, double Theta, double[] Mu) GlobalAnalytic()
    {
        double q1 = Sigmoid(Theta);
        double[] q = [1 - q1, q1];
        double[] b = new double[2];
        for (int k = 0; k < 2; k++)
            b[k] = Math.Log(k == 1 ? Prior : 1 - Prior) + Xs.Sum(x => LogNormal(x, Mu[k], 1)) - Math.Log(q[k]);
        double elbo = q[0] * b[0] + q[1] * b[1];
        // d/dθ Σ_k q_k b_k = Σ_k (dq_k/dθ) b_k (the −log q_k inside b contributes Σ_k dq_k = 0), dq_1/dθ = q0·q1 = −dq_0/dθ.
        double dTheta = q[0] * q[1] * (b[1] - b[0]);
        var dMu = new double[2];
        for (int k = 0; k < 2; k++) dMu[k] = q[k] * Xs.Sum(x => x - Mu[k]);
        return (elbo, dTheta, dMu);
    }

    static (double Elbo, double[] Grad) StepOnce(TraceElbo elbo, IModel model, IModel guide, string parameter, ulong seed)
    {
        var store = new ParamStore();
        var tape = new Tape();
        var step = elbo.Step(model, guide, store, tape, new Rng(seed));
        return (step.Elbo, store[parameter].Unconstrained.Grad!.ToArray().Select(g => -(double)g).ToArray());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Step_GlobalBernoulliEnumeratedInGuide_ElboAndGradientAreAnalyticForEverySeed(bool analyticKl)
    {
        var (elbo, dTheta, dMu) = GlobalAnalytic();
        var e = new TraceElbo(Enumerate with { AnalyticKl = analyticKl });
        for (ulong seed = 1; seed <= 3; seed++)
        {
            var (value, theta) = StepOnce(e, Global, GlobalGuide, "theta", seed);
            // float32 sums of a dozen terms of size ~10: 1e-4 relative is far above rounding, far below any estimator's noise.
            Assert.Equal(elbo, value, 1e-4 * Math.Abs(elbo));
            Assert.Equal(dTheta, theta[0], 1e-4);
            var (_, mu) = StepOnce(e, Global, GlobalGuide, "mu", seed);
            Assert.Equal(dMu[0], mu[0], 1e-4);
            Assert.Equal(dMu[1], mu[1], 1e-4);
        }
    }

    [Fact]
    public void Step_GlobalBernoulliEnumeratedInGuide_GradientHasZeroVarianceAcrossSeeds()
    {
        var e = new TraceElbo(Enumerate);
        var first = StepOnce(e, Global, GlobalGuide, "theta", 1);
        for (ulong seed = 2; seed <= 6; seed++) Assert.Equal(first.Grad, StepOnce(e, Global, GlobalGuide, "theta", seed).Grad);
    }

    [Fact]
    public void Step_GlobalBernoulli_ScoreFunctionAndDisArmAgreeWithEnumerationInExpectation()
    {
        var exact = StepOnce(new TraceElbo(Enumerate), Global, GlobalGuide, "theta", 1).Grad[0];
        foreach (var options in new[] { new ElboOptions { Force = EstimatorKind.ScoreFunction, AnalyticKl = false }, new ElboOptions { Force = EstimatorKind.DisArm, AnalyticKl = false } })
        {
            const int steps = 2000;
            var draws = Gradients(new TraceElbo(options), Global, GlobalGuide, "theta", steps, 23).Select(g => g[0]).ToList();
            // The sampled estimators' mean lies within 4 Monte Carlo standard errors (sd/√steps) of the exact gradient.
            double se = Sd(draws) / Math.Sqrt(steps);
            Assert.InRange(draws.Average(), exact - 4 * se, exact + 4 * se);
            Assert.True(se > 0, $"{options.Force}: a sampled estimator has variance");
        }
    }

    [Fact]
    public void Step_EnumeratedInGuide_ReportSaysSoAndWhy()
    {
        var e = new TraceElbo(Enumerate);
        StepOnce(e, Global, GlobalGuide, "theta", 1);
        var z = Assert.Single(e.Estimators, s => s.Site == "z");
        Assert.Equal(EstimatorKind.Enumerate, z.Kind);
        Assert.Contains("enumerated in the guide", z.Reason);
        Assert.Contains("--estimator enum", z.Reason);
        Assert.Contains("2 values", z.Reason);
    }

    // ---- A Categorical in a plate: plate n: z ~ Categorical(w), x ~ N(mu[z], σ); guide z ~ Categorical(logits L[n]). ----

    static readonly float[] Ys = [-2.2f, 0.3f, 1.8f, -0.6f, 2.9f];
    static readonly float[] W = [0.2f, 0.5f, 0.3f];
    static readonly float[] Means = [-2f, 0f, 2.5f];
    const float Sigma = 0.9f;
    static readonly float[] Logits = [0.4f, -0.3f, 0.1f, 0f, 0.6f, -0.2f, -0.5f, 0.2f, 0.9f, 0.3f, 0.3f, -1f, 1.2f, 0f, -0.4f];

    static readonly LambdaModel Plated = new("plated", c =>
    {
        var mu = Vector(c, "mu", Means, Constraint.Real);
        using var plate = c.Plate("n", Ys.Length, null, At);
        var z = c.Sample("z", Categorical.FromProbs(c.Constant(Tensor.FromArray(W, 3))).Expand([Ys.Length]), At);
        c.Observe("x", new Normal(Ops.Gather(mu, z), Sigma), c.Constant(Tensor.FromArray(Ys, Ys.Length)), At);
    });

    static readonly LambdaModel PlatedGuide = new("plated_guide", c =>
    {
        var l = c.Param("l", () => Tensor.FromArray(Logits, Ys.Length, 3), Constraint.Real, At);
        using var plate = c.Plate("n", Ys.Length, null, At);
        c.Sample("z", Categorical.FromLogits(l), At);
    });

    /// <summary>ELBO = Σ_n Σ_k q_nk b_nk, b_nk = log w_k + log N(x_n; mu_k, σ) − log q_nk; ∂/∂L_nj = q_nj (b_nj − Σ_k q_nk b_nk).</summary>
    static (double Elbo, double[] Logits, double[] Mu) PlatedAnalytic()
    {
        double elbo = 0;
        var dl = new double[Logits.Length];
        var dMu = new double[3];
        for (int n = 0; n < Ys.Length; n++)
        {
            var (q, b) = PlatedElement(n);
            double mean = q.Zip(b).Sum(p => p.First * p.Second);
            elbo += mean;
            for (int k = 0; k < 3; k++)
            {
                dl[3 * n + k] = q[k] * (b[k] - mean);
                dMu[k] += q[k] * (Ys[n] - Means[k]) / (Sigma * Sigma);
            }
        }
        return (elbo, dl, dMu);
    }

    /// <summary>Element n's guide probabilities q_nk = softmax(L_n)_k and b_nk.</summary>
    static (double[] Q, double[] B) PlatedElement(int n)
    {
        var row = Logits.Skip(3 * n).Take(3).Select(v => (double)v).ToArray();
        double max = row.Max(), norm = max + Math.Log(row.Sum(v => Math.Exp(v - max)));
        var q = row.Select(v => Math.Exp(v - norm)).ToArray();
        var b = new double[3];
        for (int k = 0; k < 3; k++) b[k] = Math.Log(W[k]) + LogNormal(Ys[n], Means[k], Sigma) - Math.Log(q[k]);
        return (q, b);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Step_CategoricalInPlateEnumeratedInGuide_ElboAndGradientAreAnalyticForEverySeed(bool analyticKl)
    {
        var (elbo, dl, dMu) = PlatedAnalytic();
        var e = new TraceElbo(Enumerate with { AnalyticKl = analyticKl });
        double[]? previous = null;
        for (ulong seed = 1; seed <= 3; seed++)
        {
            var (value, l) = StepOnce(e, Plated, PlatedGuide, "l", seed);
            Assert.Equal(elbo, value, 1e-4 * Math.Abs(elbo));   // float32 rounding of ~30 terms
            for (int i = 0; i < dl.Length; i++) Assert.Equal(dl[i], l[i], 1e-4);
            var (_, mu) = StepOnce(e, Plated, PlatedGuide, "mu", seed);
            for (int k = 0; k < 3; k++) Assert.Equal(dMu[k], mu[k], 1e-4);
            if (previous is not null) Assert.Equal(previous, l);   // zero variance: bit for bit the same each seed
            previous = l;
        }
    }

    [Fact]
    public void Step_CategoricalInPlate_ScoreFunctionAgreesWithEnumerationInExpectation()
    {
        var exact = StepOnce(new TraceElbo(Enumerate), Plated, PlatedGuide, "l", 1).Grad;
        const int steps = 2000;
        var draws = Gradients(new TraceElbo(new ElboOptions { Force = EstimatorKind.ScoreFunction, AnalyticKl = false }), Plated, PlatedGuide, "l", steps, 5);
        for (int i = 0; i < exact.Length; i++)
        {
            var d = draws.Select(g => g[i]).ToList();
            // Within 4 Monte Carlo standard errors of the exact gradient.
            double se = Sd(d) / Math.Sqrt(steps);
            Assert.InRange(d.Average(), exact[i] - 4 * se, exact[i] + 4 * se);
        }
    }

    [Fact]
    public void Step_CategoricalInSubsampledPlate_IsTheScaledExpectationOverTheMinibatch()
    {
        // The same model with the plate subsampled 2 of 5: every run must replay the first run's minibatch, and the
        // ELBO is (N/M) Σ over the minibatch of each element's exact expectation.
        const int m = 2;
        var model = new LambdaModel("plated_sub", c =>
        {
            var mu = Vector(c, "mu", Means, Constraint.Real);
            using var plate = c.Plate("n", Ys.Length, m, At);
            var z = c.Sample("z", Categorical.FromProbs(c.Constant(Tensor.FromArray(W, 3))).Expand([m]), At);
            c.Observe("x", new Normal(Ops.Gather(mu, z), Sigma), Ops.Gather(c.Constant(Tensor.FromArray(Ys, Ys.Length)), plate.Indices), At);
        });
        var guide = new LambdaModel("plated_sub_guide", c =>
        {
            var l = c.Param("l", () => Tensor.FromArray(Logits, Ys.Length, 3), Constraint.Real, At);
            using var plate = c.Plate("n", Ys.Length, m, At);
            c.Sample("z", Categorical.FromLogits(Ops.Gather(l, plate.Indices)), At);
        });
        var e = new TraceElbo(Enumerate with { AnalyticKl = false });
        for (ulong seed = 1; seed <= 4; seed++)
        {
            var step = e.Step(model, guide, new ParamStore(), new Tape(), new Rng(seed));
            var batch = step.GuideTrace["n"].Value!.Value.ToArray().Select(v => (int)v).ToArray();
            double expected = (double)Ys.Length / m * batch.Sum(n => PlatedElement(n) is var (q, b) ? q.Zip(b).Sum(p => p.First * p.Second) : 0);
            Assert.Equal(expected, step.Elbo, 1e-4 * Math.Abs(expected));   // float32 rounding
        }
    }

    // ---- A continuous guide site that depends on the enumerated one: drawn afresh for each value. ----

    static readonly LambdaModel Shifted = new("shifted", c =>
    {
        var z = c.Sample("z", new Bernoulli(0.5f), At);
        var w = c.Sample("w", new Normal(0f, 1f), At);
        c.Observe("x", new Normal(Ops.Add(w, Ops.Mul(z, 2f)), 1f), c.Constant(Tensor.Scalar(1.5f)), At);
    });

    static readonly LambdaModel ShiftedGuide = new("shifted_guide", c =>
    {
        var z = c.Sample("z", Bernoulli.FromLogits(Real(c, "theta", 0.2f)), At);
        c.Sample("w", new Normal(Ops.Gather(Vector(c, "m", [-1f, 1f], Constraint.Real), z), 1f), At);
    });

    [Fact]
    public void Step_ReparameterizedGuideSiteDependingOnEnumeratedSite_ElboIsUnbiasedForTheExactExpectation()
    {
        // ELBO = Σ_k q_k [log ½ − log q_k − KL(N(m_k, 1) ‖ N(0, 1)) + E_{w ~ N(m_k, 1)} log N(1.5; w + 2k, 1)],
        // with KL = m_k²/2 and E log N(x; w + 2k, 1) = −½ log 2π − ½ ((x − m_k − 2k)² + 1).
        double q1 = Sigmoid(0.2);
        double[] q = [1 - q1, q1], mk = [-1, 1];
        double analytic = 0;
        for (int k = 0; k < 2; k++)
            analytic += q[k] * (Math.Log(0.5) - Math.Log(q[k]) - mk[k] * mk[k] / 2 - 0.5 * Math.Log(2 * Math.PI) - 0.5 * ((1.5 - mk[k] - 2 * k) * (1.5 - mk[k] - 2 * k) + 1));
        var e = new TraceElbo(Enumerate);
        var store = new ParamStore();
        var tape = new Tape();
        var rng = new Rng(31);
        var values = new List<double>();
        for (int s = 0; s < 2000; s++)
        {
            tape.Reset();
            store.ZeroGrad();
            values.Add(e.Step(Shifted, ShiftedGuide, store, tape, rng).Elbo);
        }
        // Only w is random: the mean lies within 4 Monte Carlo standard errors of the analytic ELBO.
        double se = Sd(values) / Math.Sqrt(values.Count);
        Assert.InRange(values.Average(), analytic - 4 * se, analytic + 4 * se);
        Assert.True(se > 0);
    }

    // ---- Composition with the model's enumeration: a guide-enumerated global c, a model-enumerated y in a plate. ----

    static readonly float[] Vs = [0.4f, 2.1f, -0.8f, 1.3f];
    static readonly float[] YGivenC = [0.2f, 0.7f];        // p(y = 1 | c)
    static readonly float[] Loc = [-1f, 0.5f, 1f, 2f];     // mean of x for (c, y) at 2c + y

    static readonly LambdaModel Nested = new("nested", c =>
    {
        var cv = c.Sample("c", new Bernoulli(0.5f), At);
        using var plate = c.Plate("n", Vs.Length, null, At);
        var p = Ops.BroadcastTo(Ops.Gather(c.Constant(Tensor.FromArray(YGivenC, 2)), cv), Vs.Length);
        var y = c.Sample("y", new Bernoulli(p), At);
        var index = Ops.Add(Ops.Mul(Ops.BroadcastTo(cv, Vs.Length), 2f), y);
        c.Observe("x", new Normal(Ops.Gather(c.Constant(Tensor.FromArray(Loc, 4)), index), 1f), c.Constant(Tensor.FromArray(Vs, Vs.Length)), At);
    });

    static readonly LambdaModel NestedGuide = new("nested_guide", c => c.Sample("c", Bernoulli.FromLogits(Real(c, "theta", -0.4f)), At));

    [Fact]
    public void Step_GuideEnumeratedOverModelEnumerated_IsExactExpectationOfLogMarginal()
    {
        double q1 = Sigmoid(-0.4);
        double[] q = [1 - q1, q1];
        var b = new double[2];
        for (int cv = 0; cv < 2; cv++)
        {
            b[cv] = Math.Log(0.5) - Math.Log(q[cv]);
            foreach (var x in Vs)
                b[cv] += Math.Log((1 - YGivenC[cv]) * Math.Exp(LogNormal(x, Loc[2 * cv], 1)) + YGivenC[cv] * Math.Exp(LogNormal(x, Loc[2 * cv + 1], 1)));
        }
        double elbo = q[0] * b[0] + q[1] * b[1], dTheta = q[0] * q[1] * (b[1] - b[0]);
        var e = new TraceElbo(Enumerate with { AnalyticKl = false });
        for (ulong seed = 1; seed <= 2; seed++)
        {
            var (value, theta) = StepOnce(e, Nested, NestedGuide, "theta", seed);
            Assert.Equal(elbo, value, 1e-4 * Math.Abs(elbo));
            Assert.Equal(dTheta, theta[0], 1e-4);
        }
        Assert.Contains(e.Estimators, s => s.Site == "y" && s.Kind == EstimatorKind.Enumerate && s.Reason.Contains("does not sample"));
        Assert.Contains(e.Estimators, s => s.Site == "c" && s.Kind == EstimatorKind.Enumerate && s.Reason.Contains("in the guide"));
    }

    // ---- A fit: a 2-component mixture whose written guide samples every assignment. ----

    [Fact]
    public void Fit_MixtureWithWrittenGuideSamplingAssignments_RecoversMeansWithGuideEnumeration()
    {
        var model = EnumerationTests.FitMixture(out int n);
        var guide = new LambdaModel("guide", c =>
        {
            EnumerationTests.MixtureMeansGuide(c);
            var l = c.Param("l", () => Tensor.Zeros([n]), Constraint.Real, At);
            using var plate = c.Plate("n", n, null, At);
            c.Sample("z", Bernoulli.FromLogits(l), At);
        });
        EnumerationTests.AssertMixtureMeans(TestFit.Fit(model, guide, Enumerate, 400, 0.05f, 3));
    }

    // ---- Where it cannot apply: located errors. ----

    [Fact]
    public void Step_EnumerateVectorOfBitsInGuide_ErrorNamesSiteAndShape()
    {
        var model = new LambdaModel("bits", c => c.Sample("b", new Bernoulli(0.5f).Expand([8]), At));
        var guide = new LambdaModel("g", c => c.Sample("b", Bernoulli.FromLogits(Vector(c, "l", new float[8], Constraint.Real)), At));
        var e = Assert.Throws<EstimatorException>(() => new TraceElbo(Enumerate).Step(model, guide, new ParamStore(), new Tape(), new Rng(1)));
        Assert.Contains("'b'", e.Message);
        Assert.Contains("[8]", e.Message);
    }

    [Fact]
    public void Step_EnumerateCategoricalOverBudgetInGuide_ErrorNamesSiteAndBudget()
    {
        const int k = EstimatorPolicy.GuideEnumerationMaxValues + 1;
        var model = new LambdaModel("wide", c => c.Sample("s", Categorical.FromProbs(c.Constant(Tensor.Full(1f / k, k))), At));
        var guide = new LambdaModel("g", c => c.Sample("s", Categorical.FromLogits(Vector(c, "l", new float[k], Constraint.Real)), At));
        var e = Assert.Throws<EstimatorException>(() => new TraceElbo(Enumerate).Step(model, guide, new ParamStore(), new Tape(), new Rng(1)));
        Assert.Contains("'s'", e.Message);
        Assert.Contains($"{k} values", e.Message);
    }

    [Fact]
    public void Step_TermOnTwoGuideEnumeratedSites_ErrorNamesBoth()
    {
        var model = new LambdaModel("two", c =>
        {
            var a = c.Sample("a", new Bernoulli(0.5f), At);
            var b = c.Sample("b", new Bernoulli(0.5f), At);
            c.Observe("x", new Normal(Ops.Add(a, b), 1f), c.Constant(Tensor.Scalar(1f)), At);
        });
        var guide = new LambdaModel("g", c =>
        {
            c.Sample("a", Bernoulli.FromLogits(Real(c, "la", 0f)), At);
            c.Sample("b", Bernoulli.FromLogits(Real(c, "lb", 0f)), At);
        });
        var e = Assert.Throws<EstimatorException>(() => new TraceElbo(Enumerate).Step(model, guide, new ParamStore(), new Tape(), new Rng(1)));
        Assert.Contains("'x'", e.Message);
        Assert.Contains("'a'", e.Message);
        Assert.Contains("'b'", e.Message);
    }

    [Fact]
    public void Step_TermOutsidePlateOfGuideEnumeratedSite_ErrorNamesBoth()
    {
        var model = new LambdaModel("outside", c =>
        {
            Var z;
            using (c.Plate("n", 3, null, At)) z = c.Sample("z", new Bernoulli(0.5f), [3], At);
            c.Observe("total", new Normal(Ops.Sum(z), 1f), c.Constant(Tensor.Scalar(2f)), At);
        });
        var guide = new LambdaModel("g", c =>
        {
            var l = Vector(c, "l", [0f, 0f, 0f], Constraint.Real);
            using var plate = c.Plate("n", 3, null, At);
            c.Sample("z", Bernoulli.FromLogits(l), At);
        });
        var e = Assert.Throws<EstimatorException>(() => new TraceElbo(Enumerate).Step(model, guide, new ParamStore(), new Tape(), new Rng(1)));
        Assert.Contains("'total'", e.Message);
        Assert.Contains("'z'", e.Message);
        Assert.Contains("plate 'n'", e.Message);
    }

    [Fact]
    public void Step_ValueReadAsNumberOutsideProvenance_IsALocatedErrorNotAWrongSum()
    {
        // The model reads z as a plain number (ToScalar), so the observation's density loses z's provenance; the runs
        // disagree on it and the check catches it.
        var model = new LambdaModel("escape", c =>
        {
            var z = c.Sample("z", new Bernoulli(0.5f), At);
            float shift = z.Value.ToScalar();
            c.Observe("x", new Normal(shift, 1f), c.Constant(Tensor.Scalar(1f)), At);
        });
        var guide = new LambdaModel("g", c => c.Sample("z", Bernoulli.FromLogits(Real(c, "l", 0f)), At));
        var e = Assert.Throws<EstimatorException>(() => new TraceElbo(Enumerate).Step(model, guide, new ParamStore(), new Tape(), new Rng(1)));
        Assert.Contains("'x'", e.Message);
        Assert.Contains("'z'", e.Message);
    }
}
