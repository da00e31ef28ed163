using Ppl.Inference.Guides;
using Ppl.Inference.Posterior;
using Ppl.Inference.Tests.Elbo;
using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Distributions;
using Ppl.Runtime.Models;
using Ppl.Runtime.Params;
using Ppl.Runtime.Random;
using Ppl.Runtime.Sites;
using Ppl.Runtime.Tensors;

namespace Ppl.Inference.Tests.Posterior;

public class GaussianGuideDensityTests
{
    static readonly SiteLocation At = new("m.ppl", 1, 1);

    /// <summary>
    /// weights ~ Dirichlet(1, 1, 1), mu ~ Normal(0, 5), tau ~ HalfNormal(2) and r[3] ~ Normal(0, 1) used as mu + tau·r:
    /// a simplex (stick-breaking, a Jacobian of its own), a positive site, and a recentred one whose coordinates depend
    /// on the guide's λ and the point's mu and tau.
    /// </summary>
    sealed class Mixed : IModel
    {
        static readonly LocScaleUse Use = new(["mu", "tau"], static v => (v[0], v[1]), "mu + tau * r");

        public string Name => "Mixed";
        public void Run(ModelContext ctx)
        {
            ctx.Sample("weights", new Dirichlet(Var.Const(Tensor.Full(1f, 3))), At);
            var mu = ctx.Sample("mu", new Normal(0f, 5f), At);
            var tau = ctx.Sample("tau", new HalfNormal(2f), At);
            var r = ctx.Sample("r", new Normal(0f, 1f), [3], At, Use);
            ctx.Observe("y", new Normal(mu + tau * r, 1f), Var.Const(new Tensor([1f, 2f, 4f], 3)), At);
        }
    }

    static Trace Run(IModel guide, ParamStore store, Rng rng, Handler? replay = null)
    {
        var h = new TraceHandler();
        var ctx = new ModelContext(rng, null, store).With(h);
        guide.Run(replay is null ? ctx : ctx.With(replay));
        return h.Trace;
    }

    /// <summary>Moves every parameter of <paramref name="store"/> by N(0, 0.3²) on its unconstrained line: a fitted-looking guide, not its start.</summary>
    static void Perturb(ParamStore store, Rng rng)
    {
        foreach (var e in store.Entries)
        {
            var v = e.Unconstrained.Value.Span;
            for (int i = 0; i < v.Length; i++) v[i] += (float)(0.3 * rng.Normal());
        }
    }

    [Theory]
    [InlineData(GuideKind.Normal)]
    [InlineData(GuideKind.Mvn)]
    [InlineData(GuideKind.LowRank)]
    public void LogDensity_AtAnotherGuidesDraws_IsWhatReplayingTheGuideGives(GuideKind kind)
    {
        // Guide b's density at draws of guide a (another start, so far from b's centre too), against b replayed there.
        var model = new Mixed();
        var (a, b) = (AutoGuide.Create(kind, model, seed: 1, initRadius: 1), AutoGuide.Create(kind, model, seed: 2, initRadius: 1));
        var (storeA, storeB) = (new ParamStore(), new ParamStore());
        var rng = new Rng(3);
        Run(a, storeA, rng);
        Run(b, storeB, rng);
        Perturb(storeA, rng);
        Perturb(storeB, rng);
        Assert.True(b.IsRecentred);
        var density = GaussianGuideDensity.For(b, storeB)!;
        Assert.Equal(7, density.Dim);   // 2 of the stick-breaking, mu, log tau, 3 of r
        var u = new double[density.Dim];
        for (int i = 0; i < 20; i++)
        {
            var draw = Run(a, storeA, rng);
            var replayed = Run(b, storeB, new Rng(99), new ReplayHandler(draw));
            double expected = replayed.LogJoint().ToScalar();
            double actual = density.LogDensity(name => draw.Find(name)?.Value?.Value, u);
            // The replay adds float32 terms: a relative error of a few 1e-7 on each of a dozen terms.
            Assert.Equal(expected, actual, 1e-4 * (1 + Math.Abs(expected)));
            // The coordinates are the ones the replayed guide's chains give, with the same Jacobian.
            var of = UnconstrainedCoordinates.Of(replayed, out double logDet)!;
            Assert.True(density.Coordinates(name => draw.Find(name)?.Value?.Value, u, out double ours));
            for (int k = 0; k < of.Length; k++) Assert.Equal(of[k], u[k], 1e-4 * (1 + Math.Abs(of[k])));
            Assert.Equal(logDet, ours, 1e-4 * (1 + Math.Abs(logDet)));
        }
    }

    [Fact]
    public void For_AGuideThatIsNotABuiltInGaussian_IsNull()
    {
        var model = new Mixed();
        Assert.Null(GaussianGuideDensity.For(new LambdaModel("G", ctx => ctx.Sample("mu", new Normal(0f, 1f), At)), new ParamStore()));
        var flow = AutoGuide.Create(GuideKind.Planar, model, seed: 1);
        var store = new ParamStore();
        Run(flow, store, new Rng(1));
        Assert.Null(GaussianGuideDensity.For(flow, store));
    }

    [Fact]
    public void Coordinates_APointMissingASite_IsFalse()
    {
        var model = new Mixed();
        var guide = AutoGuide.Create(GuideKind.Normal, model, seed: 1);
        var store = new ParamStore();
        var draw = Run(guide, store, new Rng(2));
        var density = GaussianGuideDensity.For(guide, store)!;
        Assert.False(density.Coordinates(name => name == "tau" ? null : draw.Find(name)?.Value?.Value, new double[density.Dim], out _));
        Assert.Equal(double.NegativeInfinity, density.LogDensity(name => name == "tau" ? null : draw.Find(name)?.Value?.Value, new double[density.Dim]));
    }
}
