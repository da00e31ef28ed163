using Ppl.Inference.Guides;
using Ppl.Inference.Posterior;
using Ppl.Inference.Tests.Elbo;
using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Distributions;
using Ppl.Runtime.Models;
using Ppl.Runtime.Params;
using Ppl.Runtime.Random;
using Ppl.Runtime.Sites;

namespace Ppl.Inference.Tests.Posterior;

public class GuideMixtureTests
{
    static readonly SiteLocation At = new("m.ppl", 1, 1);

    /// <summary>A written guide x ~ Normal(mean, sd).</summary>
    static LambdaModel NormalGuide(double mean, double sd) => new("G", ctx => ctx.Sample("x", new Normal((float)mean, (float)sd), At));

    /// <summary>
    /// A target whose mode masses are known exactly: p(x) = 0.8 N(x; −3, 1) + 0.2 N(x; 3, 1), written as a wide prior
    /// x ~ N(0, 10) and a factor log p(x) − log N(x; 0, 10) (both densities normalised, so the log joint is log p(x)).
    /// </summary>
    sealed class TwoModes : IModel
    {
        public string Name => "TwoModes";
        public void Run(ModelContext ctx)
        {
            var prior = new Normal(0f, 10f);
            var x = ctx.Sample("x", prior, At);
            var left = Ops.Exp(new Normal(-3f, 1f).LogProb(x)) * 0.8f;
            var right = Ops.Exp(new Normal(3f, 1f).LogProb(x)) * 0.2f;
            ctx.Factor("target", Ops.Log(left + right) - prior.LogProb(x), At);
        }
    }

    /// <summary>sigma ~ HalfNormal(5): a constrained site, so an automatic guide's density carries the log Jacobian.</summary>
    sealed class Positive : IModel
    {
        public string Name => "Positive";
        public void Run(ModelContext ctx) => ctx.Sample("sigma", new HalfNormal(5f), At);
    }

    static double LogNormal(double x, double mean, double sd) => -0.5 * Math.Pow((x - mean) / sd, 2) - Math.Log(sd) - 0.5 * Math.Log(2 * Math.PI);

    static Trace Draw(IModel guide, ParamStore store, Rng rng)
    {
        var h = new TraceHandler();
        guide.Run(new ModelContext(rng, null, store).With(h));
        return h.Trace;
    }

    [Fact]
    public void LogDensity_WrittenGuides_IsTheLogMeanOfEachDensity()
    {
        var mixture = new GuideMixture(new TwoModes(), [(NormalGuide(-2, 1.5), new ParamStore()), (NormalGuide(4, 0.5), new ParamStore())]);
        var rng = new Rng(5);
        for (int i = 0; i < 20; i++)
        {
            var draw = Draw(NormalGuide(0, 4), new ParamStore(), rng);
            double x = draw.Find("x")!.Value!.Value.Span[0];
            double direct = Math.Log(0.5 * Math.Exp(LogNormal(x, -2, 1.5)) + 0.5 * Math.Exp(LogNormal(x, 4, 0.5)));
            // float32 log densities: a relative error of a few 1e-7 on values up to ~100 nats.
            Assert.Equal(direct, mixture.LogDensity(draw), 1e-4 * Math.Max(1, Math.Abs(direct)));
        }
    }

    [Fact]
    public void LogDensity_AutomaticGuidesOnAConstrainedSite_IncludesEachJacobian()
    {
        // Two mean-field guides over log sigma, started at different random points: q_j(σ) = N(log σ; loc_j, 0.1) / σ.
        var model = new Positive();
        var guides = new[] { AutoGuide.Create(GuideKind.Normal, model, seed: 1, initRadius: 2), AutoGuide.Create(GuideKind.Normal, model, seed: 2, initRadius: 2) };
        var stores = new[] { new ParamStore(), new ParamStore() };
        var rng = new Rng(3);
        for (int j = 0; j < 2; j++) Draw(guides[j], stores[j], rng);   // creates the parameters at their initial values
        double[] loc = [.. stores.Select(s => (double)s["auto_normal.sigma.loc"].Unconstrained.Value.Span[0])];
        Assert.NotEqual(loc[0], loc[1], 3);
        var mixture = new GuideMixture(model, [(guides[0], stores[0]), (guides[1], stores[1])]);
        for (int i = 0; i < 10; i++)
        {
            var draw = Draw(guides[i % 2], stores[i % 2], rng);
            double sigma = draw.Find("sigma")!.Value!.Value.Span[0];
            double direct = Math.Log(0.5 * Math.Exp(LogNormal(Math.Log(sigma), loc[0], AutoGuide.InitScale))
                + 0.5 * Math.Exp(LogNormal(Math.Log(sigma), loc[1], AutoGuide.InitScale))) - Math.Log(sigma);
            Assert.Equal(direct, mixture.LogDensity(draw), 1e-3);
        }
    }

    [Fact]
    public void Draws_TwoGuidesOnABimodalTarget_ResampledMassIsTheTargets()
    {
        // Guides deliberately off the components (wrong centres and scales): the weights p / q_mix must correct them.
        var mixture = new GuideMixture(new TwoModes(), [(NormalGuide(-2.5, 1.4), new ParamStore()), (NormalGuide(3.4, 0.9), new ParamStore())]);
        const int perPath = 2000, count = 4000;
        var x = new double[2 * perPath];
        var logW = new double[2 * perPath];
        var pathOf = new int[2 * perPath];
        mixture.Draws(perPath, [11UL, 12UL], (p, d, _, m, logMix, logOwn) =>
        {
            int i = p * perPath + d;
            x[i] = m.Find("x")!.Value!.Value.Span[0];
            logW[i] = m.LogJoint().ToScalar() - logMix;
            pathOf[i] = p;
        });
        var r = ImportanceResampling.Resample(logW, pathOf, 2, count, new Rng(13));
        double left = r.Resampled.Count(i => x[i] < 0) / (double)count;
        // Exact mass of x < 0: 0.8 Φ(3) + 0.2 Φ(−3) = 0.7992. Standard errors: resampling √(0.8·0.2/4000) = 0.0063, the
        // importance weights' own (effective draws ≥ 2,000, asserted) √(0.16/2000) = 0.0089; together 0.011, tolerance 4 of them.
        Assert.True(r.EffectiveDraws > 2000, $"effective draws {r.EffectiveDraws}");
        Assert.Equal(0.7992, left, 0.045);
        // The paths' shares are the modes' masses, and so the effective number of paths 1 / (0.8² + 0.2²) = 1.47 (same SEs).
        Assert.Equal(0.8, r.PathShares[0], 0.045);
        Assert.Equal(1 / (0.64 + 0.04), r.EffectivePaths, 0.15);
        // Mean −3·0.8 + 3·0.2 = −1.8, sd √(1 + 9 − 3.24) = 2.6: standard error 2.6/√2000 = 0.058, tolerance 4 of them.
        Assert.Equal(-1.8, r.Resampled.Average(i => x[i]), 0.24);
    }

    [Fact]
    public void Draws_OnePath_AreThatGuidesDrawsWithItsDensity()
    {
        // A mixture of one guide is that guide: log q_mix equals the guide's own log density at every draw.
        var mixture = new GuideMixture(new TwoModes(), [(NormalGuide(1, 2), new ParamStore())]);
        mixture.Draws(50, [7UL], (_, _, _, m, logMix, logOwn) => Assert.Equal(logOwn, logMix, 12));
    }
}
