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

public class UnconstrainedCoordinatesTests
{
    static readonly SiteLocation At = new("m.ppl", 1, 1);

    /// <summary>mu ~ Normal(0, 1), sigma ~ HalfNormal(2), w: real[3] ~ Normal(0, 1): a positive site between two real ones.</summary>
    sealed class Three : IModel
    {
        public string Name => "Three";
        public void Run(ModelContext ctx)
        {
            ctx.Sample("mu", new Normal(0f, 1f), At);
            ctx.Sample("sigma", new HalfNormal(2f), At);
            ctx.Sample("w", new Normal(Var.Const(Tensor.Zeros(3)), Var.Const(Tensor.Full(1f, 3))), At);
        }
    }

    static Trace Run(IModel guide, ParamStore store, Rng rng, Handler? set = null)
    {
        var h = new TraceHandler();
        var ctx = new ModelContext(rng, null, store).With(h);
        guide.Run(set is null ? ctx : ctx.With(set));
        return h.Trace;
    }

    [Theory]
    [InlineData(GuideKind.Normal)]
    [InlineData(GuideKind.Mvn)]
    [InlineData(GuideKind.LowRank)]
    public void Setter_AtTheCoordinatesOfADraw_GivesTheDrawBackWithItsJacobian(GuideKind kind)
    {
        var guide = AutoGuide.Create(kind, new Three(), seed: 1, initRadius: 1);
        var store = new ParamStore();
        var rng = new Rng(2);
        var draw = Run(guide, store, rng);
        var u = UnconstrainedCoordinates.Of(draw)!;
        Assert.Equal(5, u.Length);   // mu, log sigma, w[0..2]
        double sigma = draw.Find("sigma")!.Value!.Value.Span[0];
        Assert.Equal(Math.Log(sigma), u[1], 1e-5);

        var set = new UnconstrainedCoordinates.Setter(u);
        var again = Run(guide, store, new Rng(99), set);   // another stream: every value must come from u
        Assert.True(set.UsedAll);
        foreach (var name in new[] { "mu", "sigma", "w" })
            Assert.Equal(draw.Find(name)!.Value!.Value.ToArray(), again.Find(name)!.Value!.Value.ToArray());
        // Only sigma = exp(u) has a Jacobian: log |dσ/du| = u.
        Assert.Equal(u[1], set.LogDet, 1e-5);
        // Taking the draw back through the chains gives the same u and Jacobian as setting it.
        Assert.Equal(u, UnconstrainedCoordinates.Of(again, out double logDet));
        Assert.Equal(set.LogDet, logDet, 1e-5);
    }

    [Fact]
    public void Of_AnotherGuidesDrawReplayed_GivesThisGuidesCoordinatesAndJacobian()
    {
        // Two fits of a non-centred model whose partial centrings differ (λ 0.2 against 0.9): one draw has different u in
        // each (ã = λ·mu + tau^λ·r), and Of on the second guide replayed at the first's draw must give the second's u and
        // log |det J|, the ones setting that guide from u reproduces: what weighing a draw against another path's t needs.
        var model = new Tests.Guides.TestModels.NonCentred();
        var (a, b) = (AutoGuide.Create(GuideKind.Mvn, model), AutoGuide.Create(GuideKind.Mvn, model));
        var (storeA, storeB) = (new ParamStore(), new ParamStore());
        Run(a, storeA, new Rng(0));
        Run(b, storeB, new Rng(0));
        SetCentredness(storeA, 0.2f);
        SetCentredness(storeB, 0.9f);
        var draw = Run(a, storeA, new Rng(4));
        var h = new TraceHandler();
        b.Run(new ModelContext(new Rng(5), null, storeB).With(h).With(new ReplayHandler(draw)));
        var uB = UnconstrainedCoordinates.Of(h.Trace, out double logDetB)!;
        Assert.NotEqual(UnconstrainedCoordinates.Of(draw)![2], uB[2], 3);

        var set = new UnconstrainedCoordinates.Setter(uB);
        var again = Run(b, storeB, new Rng(99), set);
        Assert.True(set.UsedAll);
        foreach (var name in new[] { "mu", "tau", "r" })
        {
            var (x, y) = (draw.Find(name)!.Value!.Value.ToArray(), again.Find(name)!.Value!.Value.ToArray());
            for (int i = 0; i < x.Length; i++) Assert.Equal(x[i], y[i], 4);
        }
        Assert.Equal(set.LogDet, logDetB, 4);
    }

    static void SetCentredness(ParamStore store, float lambda)
    {
        var e = store["auto_mvn.r.centredness"];
        e.Unconstrained.Value.CopyFrom(e.Transform.Inverse(Var.Const(Tensor.Full(lambda, 3))).Value);
    }

    [Fact]
    public void Of_AGuideWithADiscreteSite_IsNull()
    {
        var guide = new LambdaModel("G", ctx =>
        {
            ctx.Sample("mu", new Normal(0f, 1f), At);
            ctx.Sample("k", new Bernoulli(Var.Const(Tensor.Scalar(0.3f))), At);
        });
        Assert.Null(UnconstrainedCoordinates.Of(Run(guide, new ParamStore(), new Rng(1))));
    }
}
