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
