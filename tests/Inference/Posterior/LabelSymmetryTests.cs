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

public class LabelSymmetryTests
{
    static readonly SiteLocation At = new("m.ppl", 1, 1);
    static readonly float[] Data = [-3.1f, -2.4f, -2.9f, 0.2f, -0.4f, 0.6f, 4.8f, 5.5f, 5.1f, 4.4f];

    /// <summary>
    /// A mixture of K = 3 normals with the components summed out by hand: weights ~ Dirichlet(1, 1, 1), mu[k] ~
    /// Normal(muPrior[k], 10), sigma[k] ~ HalfNormal(5), and a factor Σ_n log Σ_k w_k N(x_n; mu_k, sigma_k). With equal
    /// prior means it is exchangeable in the components; with <paramref name="muPrior"/> unequal it is not.
    /// </summary>
    sealed class Mixture(float[] muPrior, bool ordered = false) : IModel
    {
        public string Name => "Mixture";
        public void Run(ModelContext ctx)
        {
            var w = ctx.Sample("weights", new Dirichlet(Var.Const(Tensor.Full(1f, 3))), At);
            Distribution muLaw = new Normal(Var.Const(new Tensor(muPrior, 3)), Var.Const(Tensor.Full(10f, 3)));
            var mu = ctx.Sample("mu", ordered ? new OrderStatistics(muLaw) : muLaw, At);
            var sigma = ctx.Sample("sigma", new HalfNormal(Var.Const(Tensor.Full(5f, 3))), At);
            var x = Var.Const(new Tensor(Data, Data.Length, 1));
            var each = new Normal(Ops.Reshape(mu, 1, 3), Ops.Reshape(sigma, 1, 3)).LogProb(x) + Ops.Reshape(Ops.Log(w), 1, 3);
            ctx.Factor("x", Ops.Sum(Ops.LogSumExp(each, 1)), At);
        }
    }

    static (AutoGuide Guide, ParamStore Store) Fitted(IModel model)
    {
        var guide = AutoGuide.Create(GuideKind.Normal, model, seed: 1, initRadius: 1);
        var store = new ParamStore();
        var h = new TraceHandler();
        guide.Run(new ModelContext(new Rng(1), null, store).With(h));
        return (guide, store);
    }

    [Fact]
    public void Find_AnExchangeableMixture_RelabelsItsComponentSitesTogether()
    {
        var model = new Mixture([0f, 0f, 0f]);
        var (guide, store) = Fitted(model);
        var symmetry = LabelSymmetry.Find(model, guide, store, new Rng(2))!;
        Assert.NotNull(symmetry);
        Assert.Equal(3, symmetry.Components);
        Assert.Equal(6, symmetry.Count);
        Assert.Equal(["mu", "sigma", "weights"], symmetry.Sites.Order());
    }

    [Fact]
    public void Order_AMixture_IsByItsVectorOfRealsAndRelabelsEveryComponentSite()
    {
        var model = new Mixture([0f, 0f, 0f]);
        var (guide, store) = Fitted(model);
        var order = LabelSymmetry.Find(model, guide, store, new Rng(2))!.Order(model, guide, store, new Rng(3))!;
        Assert.Equal("mu", order.Key);   // weights come first but are a simplex; sigma is positive
        Assert.Equal(["mu", "sigma", "weights"], order.Axes.Keys.Order());
        Assert.Empty(order.LabelSites);
        // π sorts the key; relabelling by it orders a row: component i takes component π[i]'s values.
        double[] mu = [2.5, -1.0, 0.3];
        var pi = ComponentOrder.Sorting(mu);
        Assert.Equal([1, 2, 0], pi);
        var sorted = new double[3];
        ComponentOrder.Relabel(mu, [3], [0], pi, sorted);
        Assert.Equal([-1.0, 0.3, 2.5], sorted);
        // A K×K site along both axes: entry [i, j] takes entry [π(i), π(j)].
        double[] m = [0, 1, 2, 3, 4, 5, 6, 7, 8];
        var both = new double[9];
        ComponentOrder.Relabel(m, [3, 3], [0, 1], pi, both);
        Assert.Equal([4, 5, 3, 7, 8, 6, 1, 2, 0], both);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Order_ADeterministicSiteOfTheComponents_IsRelabelledOnlyWhenTheModelComputesItThatWay(bool cumulative)
    {
        // 2·mu is computed component by component, so relabelling its values is what the model computes at the
        // relabelled draw; the running sum of mu is not (its first entry is mu[0] whatever the order).
        var model = new LambdaModel("Derived", ctx =>
        {
            var mu = ctx.Sample("mu", new Normal(Var.Const(Tensor.Zeros(3)), Var.Const(Tensor.Full(10f, 3))), At);
            ctx.Deterministic("d", cumulative ? Ops.CumSum(mu) : mu * 2f, At);
        });
        var (guide, store) = Fitted(model);
        var symmetry = LabelSymmetry.Find(model, guide, store, new Rng(2))!;
        var order = symmetry.Order(model, guide, store, new Rng(3));
        if (cumulative) Assert.Null(order);
        else Assert.Equal([0], order!.Axes["d"]);
    }

    [Fact]
    public void Find_UnequalPriorMeans_IsNull()
    {
        var model = new Mixture([-1f, 0f, 1f]);
        var (guide, store) = Fitted(model);
        Assert.Null(LabelSymmetry.Find(model, guide, store, new Rng(2)));
    }

    [Fact]
    public void Find_AnOrderedVector_IsNullBecauseARelabelledOneIsNotOrdered()
    {
        // log p of the order statistics is the same at a relabelled point (Σ log p(y_k) + log K!), but the point is
        // outside the support: relabelling would weigh by a guide density there, which is not one.
        var model = new Mixture([0f, 0f, 0f], ordered: true);
        var (guide, store) = Fitted(model);
        Assert.Null(LabelSymmetry.Find(model, guide, store, new Rng(2)));
    }

    [Fact]
    public void Relabelled_AMatrixSite_PermutesBothOfItsAxes()
    {
        // Rows of a transition matrix: P[i] ~ Dirichlet(1, 1, 1) for each state i, with the states' weights. Relabelling
        // states permutes rows and columns alike, P'[i, j] = P[π(i), π(j)], under which the prior is invariant.
        var model = new LambdaModel("Transitions", ctx =>
        {
            ctx.Sample("weights", new Dirichlet(Var.Const(Tensor.Full(1f, 3))), At);
            ctx.Sample("P", new Dirichlet(Var.Const(Tensor.Full(1f, 3, 3))), At);
        });
        var (guide, store) = Fitted(model);
        var symmetry = LabelSymmetry.Find(model, guide, store, new Rng(2))!;
        Assert.NotNull(symmetry);
        var h = new TraceHandler();
        guide.Run(new ModelContext(new Rng(3), null, store).With(h));
        var p = h.Trace.Find("P")!.Value!.Value;
        int[] pi = [1, 2, 0];   // relabelling 3 in lexicographic order: 012, 021, 102, 120, ...
        var relabelled = symmetry.Relabelled(h.Trace, "P", 3)!;
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++)
                Assert.Equal(p[pi[i], pi[j]], relabelled[i, j]);
        Assert.Equal(p.ToArray(), symmetry.Relabelled(h.Trace, "P", 0)!.ToArray());
    }

    /// <summary>
    /// mu: real[2] whose posterior is known and symmetric under swapping mu[0] and mu[1]: clustering A, mass 0.8, at
    /// (−2, 2) and its swap (2, −2); clustering B, mass 0.2, at (5, 1) and (1, 5); unit covariance. Written as a wide
    /// prior and a factor, log target − log prior.
    /// </summary>
    sealed class TwoClusterings : IModel
    {
        public string Name => "TwoClusterings";
        public void Run(ModelContext ctx)
        {
            var prior = new Normal(Var.Const(Tensor.Zeros(2)), Var.Const(Tensor.Full(10f, 2)));
            var mu = ctx.Sample("mu", prior, At);
            var (a, b) = (Ops.Slice(mu, 0, 0, 1), Ops.Slice(mu, 0, 1, 2));
            Var Mode(float x, float y, float mass) => Ops.Exp(new Normal(x, 1f).LogProb(a) + new Normal(y, 1f).LogProb(b)) * mass;
            var target = Mode(-2, 2, 0.4f) + Mode(2, -2, 0.4f) + Mode(5, 1, 0.1f) + Mode(1, 5, 0.1f);
            ctx.Factor("target", Ops.Sum(Ops.Log(target)) - Ops.Sum(prior.LogProb(mu)), At);
        }
    }

    static LambdaModel GuideAt(float x, float y) =>
        new("G", ctx => ctx.Sample("mu", new Normal(Var.Const(new Tensor([x, y], 2)), Var.Const(Tensor.Full(1f, 2))), At));

    /// <summary>The share of the resampled draws in clustering B (either labelling), weighing against <paramref name="mixture"/>.</summary>
    static (double Share, double EffectiveDraws) ShareOfB(GuideMixture mixture, int threads = 1)
    {
        const int perPath = 2000, count = 6000;
        int n = mixture.Count * perPath;
        var inB = new bool[n];
        var logW = new double[n];
        var pathOf = new int[n];
        mixture.Draws(perPath, [11UL, 12UL, 13UL], (p, d, _, m, logMix, _) =>
        {
            int i = p * perPath + d;
            var mu = m.Find("mu")!.Value!.Value.Span;
            inB[i] = mu[0] + mu[1] > 3;
            logW[i] = m.LogJoint().ToScalar() - logMix;
            pathOf[i] = p;
        }, threads);
        var r = ImportanceResampling.Resample(logW, pathOf, mixture.Count, count, new Rng(14));
        return (r.Resampled.Count(i => inB[i]) / (double)count, r.EffectiveDraws);
    }

    [Fact]
    public void Draws_PathsThatFoundOneClusteringUnderTwoLabellings_WeighEveryClusteringByItsMass()
    {
        // Two paths found A, one under each labelling; one path found B, under one. Against q_mix, B's other labelling
        // (1, 5) is left to the tails of guides 4.2 and 5.7 of their sds away: the rare draws there carry huge weights
        // (with none at all B would get 0.1 / 0.9 = 0.11 of the draws). Against q_mix symmetrised over the swap, every
        // found clustering counts in both labellings, q_sym = (A + A' )/3 + (B + B')/6 on the target's components, so
        // the weights take two values, 1.2 on A and 0.6 on B, and B gets its mass, 0.2.
        var model = new TwoClusterings();
        (IModel, ParamStore)[] paths = [(GuideAt(-2, 2), new ParamStore()), (GuideAt(2, -2), new ParamStore()), (GuideAt(5, 1), new ParamStore())];
        var symmetry = LabelSymmetry.Find(model, paths[0].Item1, paths[0].Item2, new Rng(1))!;
        Assert.NotNull(symmetry);
        Assert.Equal(2, symmetry.Count);
        var (symmetrised, effective) = ShareOfB(new GuideMixture(model, paths, symmetry));
        var (_, plainEffective) = ShareOfB(new GuideMixture(model, paths));
        // Two weight values in proportions 0.8 : 0.2 of the draws by mass, 0.67 : 0.33 by proposal: Kish's ESS is 0.93 of the 6,000 proposals.
        Assert.True(effective > 1500, $"effective draws {effective}");
        Assert.True(plainEffective < effective / 4, $"effective draws {plainEffective} against q_mix, {effective} against q_sym");
        // Standard errors: resampling √(0.2·0.8/6000) = 0.005, the weights' (effective draws ≥ 1,500, asserted)
        // √(0.16/1500) = 0.010; together 0.012, tolerance 4 of them.
        Assert.Equal(0.2, symmetrised, 0.045);
        // The same draws and weights on two threads (each its own lanes of the guides' stores).
        Assert.Equal((symmetrised, effective), ShareOfB(new GuideMixture(model, paths, symmetry), threads: 2));
    }
}
