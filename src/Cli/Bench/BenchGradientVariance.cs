using Ppl.Inference.Elbo;
using Ppl.Inference.Estimators;
using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Distributions;
using Ppl.Runtime.Distributions.Constraints;
using Ppl.Runtime.Models;
using Ppl.Runtime.Params;
using Ppl.Runtime.Random;
using Ppl.Runtime.Sites;
using Ppl.Runtime.Tensors;

namespace Ppl.Cli.Bench;

/// <summary>
/// Gradient-variance benchmarks of the ELBO's estimators, measured at fixed guide parameters over many steps (the
/// gradients are read, never applied), each variance the sum over the parameter vector of the per-coordinate sample
/// variances.
/// <para><b>score-variance</b>: a discrete-latent model — 20 data points, each a 10-dimensional vector x_i with a
/// binary cluster z_i ~ Bernoulli(0.5) and x_i ~ N(±0.5·1, I) by z_i; the guide has one logit per data point,
/// spread over [−2, 2] (at logits 0 DisARM is exact and every ratio to it infinite). R = variance of plain REINFORCE
/// / variance of the default estimator (DisARM, one antithetic pair), both at the default's two model runs per step.
/// The EMA and leave-one-out lines give each control variate's own ratio against plain REINFORCE at the same
/// particle count (1 and 4) on the guide with logits 0; the DisARM lines compare it, on the spread guide, with plain
/// REINFORCE and leave-one-out at two model runs, and with the EMA at one run (variance × runs, the cost of a given
/// precision).</para>
/// <para><b>score-variance-guide-enum</b>: the same model and spread guide with the site enumerated in the guide; its
/// gradient variance (0: exact) beside DisARM's (<b>score-variance-guide-enum-disarm</b>), both absolute.</para>
/// <para><b>score-variance-learned</b>: the learned baseline on an amortized guide — 200 one-dimensional points
/// x_i ~ N(±0.5, 1) by a binary cluster z_i ~ Bernoulli(0.5), in a plate subsampled 20 at a time; the guide's logit
/// for point i is w·x_i + c (a linear encoder, w = 0.3, c = 0), so a baseline can only follow each element's typical
/// cost through the guide's input: the EMA pools over the changing minibatch, the learned baseline (a 16-unit net on the
/// detached logit) is trained alongside (Adam, learning rate 0.01, 6000 warm-up steps, the guide fixed). Lines: plain
/// REINFORCE / learned, and EMA / learned, at one particle with the score function forced. With 10-dimensional points
/// the logit (one projection of x_i) does not predict the cost, which follows |x_i|², and learned / EMA is 1.0.</para>
/// <para><b>grad-variance</b>: a Gaussian site where both estimators apply — μ ~ N(0, 1), five observations
/// x_i ~ N(μ, 1), guide N(m, s) at m = 0.3, s = 0.5; the variance of ∂ELBO/∂m by the pathwise estimator, by the
/// plain score function and by the score function with the default control variate, as ratios to the pathwise one
/// (Monte Carlo KL, so that every estimator sees the same terms).</para>
/// </summary>
public static class BenchGradientVariance
{
    const int Draws = 4000;

    static readonly SiteLocation At = SiteLocation.None;

    static readonly Lazy<(double Default, double Ema, double LeaveOneOut)> Score = new(MeasureScore);
    static readonly Lazy<(double Pathwise, double Score, double ScoreWithBaseline)> Gaussian = new(MeasureGaussian);

    /// <summary>Variance of plain REINFORCE over that of the default estimator (DisARM), at the same two model runs per step.</summary>
    public static double ScoreVarianceRatio() => Score.Value.Default;

    /// <summary>Plain REINFORCE over the EMA baseline, one particle.</summary>
    public static double EmaRatio() => Score.Value.Ema;

    /// <summary>Plain REINFORCE over the leave-one-out baseline, both with four particles.</summary>
    public static double LeaveOneOutRatio() => Score.Value.LeaveOneOut;

    /// <summary>The pathwise estimator's own variance of ∂ELBO/∂m on the Gaussian site (the unit of the two ratios).</summary>
    public static double PathwiseVariance() => Gaussian.Value.Pathwise;

    /// <summary>Plain score-function variance over pathwise variance on the Gaussian site.</summary>
    public static double ScoreOverPathwise() => Gaussian.Value.Score;

    /// <summary>Score function with the default control variate over pathwise, on the Gaussian site.</summary>
    public static double ScoreWithBaselineOverPathwise() => Gaussian.Value.ScoreWithBaseline;

    static (double, double, double) MeasureScore()
    {
        const int n = 20, d = 10;
        var rng = new Rng(17);
        var data = new float[n * d];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < d; j++) data[i * d + j] = (i % 2 == 0 ? -0.5f : 0.5f) + (float)rng.Normal();
        var centres = Tensor.FromArray([-0.5f, 0.5f], 2, 1);
        var model = new DelegateModel("clusters", c =>
        {
            using var plate = c.Plate("n", n, null, At);
            var z = c.Sample("z", new Bernoulli(0.5f), [n], At);
            var mean = Ops.BroadcastTo(Ops.Gather(c.Constant(centres), z), n, d);
            c.Observe("x", new Normal(mean, 1f), c.Constant(Tensor.FromArray(data, n, d)), At);
        });
        var guide = new DelegateModel("clusters_guide", c =>
        {
            var logits = c.Param("logits", () => Tensor.Zeros([n]), Constraint.Real, At);
            using var plate = c.Plate("n", n, null, At);
            c.Sample("z", Bernoulli.FromLogits(logits), At);
        });
        // DisARM at logits 0 is exact for a per-element cost (b ≠ b̃ always, and ½(f(1) − f(0))·σ(0) is the gradient), so
        // its comparison uses logits spread over [−2, 2], where it is random.
        ClustersForDisArm = (model, new DelegateModel("clusters_guide_spread", c =>
        {
            var logits = c.Param("logits", () => Tensor.FromArray(Enumerable.Range(0, n).Select(i => -2f + 4f * i / (n - 1)).ToArray(), n), Constraint.Real, At);
            using var plate = c.Plate("n", n, null, At);
            c.Sample("z", Bernoulli.FromLogits(logits), At);
        }));
        double plain1 = Variance(model, guide, new ElboOptions { Baseline = BaselineKind.None }, "logits");
        double ema = Variance(model, guide, new ElboOptions { Baseline = BaselineKind.Ema }, "logits");
        double plain4 = Variance(model, guide, new ElboOptions { Baseline = BaselineKind.None, Particles = 4 }, "logits");
        double loo = Variance(model, guide, new ElboOptions { Particles = 4, Baseline = BaselineKind.LeaveOneOut }, "logits");
        // The default (DisARM for this Bernoulli site) against plain REINFORCE at the same two model runs per step.
        var (_, spread) = ClustersForDisArm!.Value;
        double byDefault = Variance(model, spread, new ElboOptions(), "logits");
        double plain2 = Variance(model, spread, new ElboOptions { Baseline = BaselineKind.None, Particles = 2 }, "logits");
        return (plain2 / byDefault, plain1 / ema, plain4 / loo);
    }

    static (IModel Model, IModel Guide)? ClustersForDisArm;

    static readonly Lazy<(double OverPlain, double OverLeaveOneOut, double OverEmaPerRun)> DisArmRatios = new(() =>
    {
        _ = Score.Value;
        var (model, guide) = ClustersForDisArm!.Value;
        double disarm = Variance(model, guide, new ElboOptions { Force = EstimatorKind.DisArm }, "logits");
        double plain2 = Variance(model, guide, new ElboOptions { Baseline = BaselineKind.None, Particles = 2 }, "logits");
        double loo2 = Variance(model, guide, new ElboOptions { Particles = 2, Baseline = BaselineKind.LeaveOneOut }, "logits");
        double ema1 = Variance(model, guide, new ElboOptions { Baseline = BaselineKind.Ema }, "logits");
        return (plain2 / disarm, loo2 / disarm, ema1 / (2 * disarm));
    });

    /// <summary>
    /// score-variance-disarm: on the same clusters model with guide logits spread over [−2, 2], plain REINFORCE with two particles over DisARM (one antithetic
    /// pair): both evaluate the model twice per step.
    /// </summary>
    public static double DisArmRatio() => DisArmRatios.Value.OverPlain;

    /// <summary>score-variance-disarm-vs-leave-one-out: leave-one-out with two particles over DisARM, same two evaluations.</summary>
    public static double DisArmOverLeaveOneOut() => DisArmRatios.Value.OverLeaveOneOut;

    /// <summary>
    /// score-variance-disarm-vs-ema-per-run: the EMA baseline at one particle (one model run) over DisARM (two runs),
    /// each variance times its runs per step: above 1, DisARM reaches a given precision in fewer model runs even though
    /// the default doubles the runs of a one-particle fit.
    /// </summary>
    public static double DisArmOverEmaPerRun() => DisArmRatios.Value.OverEmaPerRun;

    static readonly Lazy<(double Enumerated, double DisArm)> GuideEnumVariances = new(() =>
    {
        _ = Score.Value;
        var (model, guide) = ClustersForDisArm!.Value;
        return (Variance(model, guide, new ElboOptions { Force = EstimatorKind.Enumerate }, "logits"),
            Variance(model, guide, new ElboOptions { Force = EstimatorKind.DisArm }, "logits"));
    });

    /// <summary>
    /// score-variance-guide-enum: the gradient variance with the Bernoulli site enumerated in the guide
    /// (<c>--estimator enum</c>), on the clusters model with the spread guide: exactly 0, the gradient being the exact
    /// expectation (two model runs per step, as DisARM's pair).
    /// </summary>
    public static double GuideEnumVariance() => GuideEnumVariances.Value.Enumerated;

    /// <summary>score-variance-guide-enum-disarm: DisARM's gradient variance on the same model and guide, the figure the zero above is set against.</summary>
    public static double GuideEnumDisArmVariance() => GuideEnumVariances.Value.DisArm;

    static readonly Lazy<(double OverPlain, double OverEma)> LearnedRatios = new(MeasureLearned);

    /// <summary>score-variance-learned: plain REINFORCE over the learned baseline on the amortized clusters guide (one particle).</summary>
    public static double LearnedRatio() => LearnedRatios.Value.OverPlain;

    /// <summary>score-variance-learned-vs-ema: the (pooled) EMA baseline over the learned baseline, same model and guide.</summary>
    public static double LearnedOverEma() => LearnedRatios.Value.OverEma;

    static (double, double) MeasureLearned()
    {
        const int n = 200, d = 1, m = 20;
        var rng = new Rng(23);
        var data = new float[n * d];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < d; j++) data[i * d + j] = (i % 2 == 0 ? -0.5f : 0.5f) + (float)rng.Normal();
        var x = Tensor.FromArray(data, n, d);
        var centres = Tensor.FromArray([-0.5f, 0.5f], 2, 1);
        var model = new DelegateModel("clusters_200", c =>
        {
            using var plate = c.Plate("n", n, m, At);
            var z = c.Sample("z", new Bernoulli(0.5f), [m], At);
            var mean = Ops.BroadcastTo(Ops.Gather(c.Constant(centres), z), m, d);
            c.Observe("x", new Normal(mean, 1f), Ops.Gather(c.Constant(x), plate.Indices), At);
        });
        var guide = new DelegateModel("clusters_200_encoder", c =>
        {
            var w = c.Param("w", () => Tensor.FromArray(Enumerable.Repeat(0.3f, d).ToArray(), d, 1), Constraint.Real, At);
            var bias = c.Param("c", () => Tensor.Scalar(0f), Constraint.Real, At);
            using var plate = c.Plate("n", n, m, At);
            var logits = Ops.Add(Ops.Reshape(Ops.MatMul(Ops.Gather(c.Constant(x), plate.Indices), w), m), Ops.BroadcastTo(bias, m));
            c.Sample("z", Bernoulli.FromLogits(logits), At);
        });
        var score = new ElboOptions { Force = EstimatorKind.ScoreFunction };
        double plain = Variance(model, guide, score with { Baseline = BaselineKind.None }, "w");
        double ema = Variance(model, guide, score with { Baseline = BaselineKind.Ema }, "w");
        double learned = Variance(model, guide, score with { Baseline = BaselineKind.Learned }, "w", train: "baseline.");
        return (plain / learned, ema / learned);
    }

    static (double, double, double) MeasureGaussian()
    {
        var (model, guide) = GaussianModel();
        double pathwise = Variance(model, guide, new ElboOptions { AnalyticKl = false }, "m");
        double score = Variance(model, guide, new ElboOptions { AnalyticKl = false, Force = EstimatorKind.ScoreFunction, Baseline = BaselineKind.None }, "m");
        double withBaseline = Variance(model, guide, new ElboOptions { AnalyticKl = false, Force = EstimatorKind.ScoreFunction }, "m");
        return (pathwise, score / pathwise, withBaseline / pathwise);
    }

    /// <summary>
    /// Wall time of one ELBO step (forward, surrogate, backward) with 8 particles over that with one, on the
    /// Gaussian model: the particles run one after another through the generated-style code on one tape, then one
    /// backward pass.
    /// </summary>
    public static double ParticleCostRatio()
    {
        var (model, guide) = GaussianModel();
        double Time(int k)
        {
            var elbo = new TraceElbo(new ElboOptions { Particles = k });
            var store = new ParamStore();
            var tape = new Tape();
            var rng = new Rng(3);
            return BenchTimer.BestSecondsPerCall(() =>
            {
                tape.Reset();
                store.ZeroGrad();
                elbo.Step(model, guide, store, tape, rng);
            });
        }
        return Time(8) / Time(1);
    }

    static (IModel Model, IModel Guide) GaussianModel()
    {
        var rng = new Rng(19);
        var xs = new float[100];
        for (int i = 0; i < xs.Length; i++) xs[i] = 1f + (float)rng.Normal();
        var model = new DelegateModel("normal", c =>
        {
            var mu = c.Sample("mu", new Normal(0f, 1f), At);
            using var plate = c.Plate("n", xs.Length, null, At);
            c.Observe("x", new Normal(Ops.BroadcastTo(mu, xs.Length), 1f), c.Constant(Tensor.FromArray(xs, xs.Length)), At);
        });
        var guide = new DelegateModel("normal_guide", c => c.Sample("mu", new Normal(
            c.Param("m", () => Tensor.Scalar(0.9f), Constraint.Real, At), c.Param("s", () => Tensor.Scalar(0.15f), Constraint.Positive, At)), At));
        return (model, guide);
    }

    /// <summary>Σ over the parameter's coordinates of the sample variance of ∂ELBO/∂parameter over <see cref="Draws"/> steps.</summary>
    /// <param name="model">the model</param>
    /// <param name="guide">the guide, at its initial parameters throughout</param>
    /// <param name="options">the estimator's options</param>
    /// <param name="parameter">the guide parameter whose gradient is read</param>
    /// <param name="train">a name prefix of parameters an optimizer trains while the rest stay fixed (a learned
    /// baseline's net, trained for 6000 warm-up steps and then on through the measured ones); null: none</param>
    static double Variance(IModel model, IModel guide, ElboOptions options, string parameter, string? train = null)
    {
        var elbo = new TraceElbo(options);
        var store = new ParamStore();
        var tape = new Tape();
        var rng = new Rng(29);
        var adam = new Ppl.Inference.Optimizers.Adam(0.01f);
        double[]? sum = null, sumSq = null;
        for (int i = train is null ? 0 : -6000; i < Draws; i++)
        {
            tape.Reset();
            store.ZeroGrad();
            elbo.Step(model, guide, store, tape, rng);
            if (train is not null) adam.Step(store.Entries.Where(e => e.Name.StartsWith(train, StringComparison.Ordinal)).Select(e => e.Unconstrained));
            if (i < 0) continue;
            var g = store[parameter].Unconstrained.Grad!.Span;
            sum ??= new double[g.Length];
            sumSq ??= new double[g.Length];
            for (int j = 0; j < g.Length; j++) { sum[j] += g[j]; sumSq[j] += (double)g[j] * g[j]; }
        }
        double total = 0;
        // Clamped at 0: a constant gradient (an exact estimator) leaves only rounding, which may fall below it.
        for (int j = 0; j < sum!.Length; j++) total += Math.Max(0, (sumSq![j] - sum[j] * sum[j] / Draws) / (Draws - 1));
        return total;
    }
}
