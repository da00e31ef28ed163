using Ppl.Inference.Guides;
using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Distributions;
using Ppl.Runtime.Models;
using Ppl.Runtime.Params;
using Ppl.Runtime.Random;
using Ppl.Runtime.Sites;
using Ppl.Runtime.Tensors;

namespace Ppl.Inference.Tests.Guides;

public class AutoGuideTests
{
    static Trace Run(IModel guide, ParamStore store, ulong seed)
    {
        var tracer = new TraceHandler();
        guide.Run(new ModelContext(new Rng(seed), null, store).With(tracer));
        return tracer.Trace;
    }

    static Trace Prior(IModel model)
    {
        var tracer = new TraceHandler();
        model.Run(new ModelContext(new Rng(1)).With(tracer));
        return tracer.Trace;
    }

    [Theory]
    [InlineData(GuideKind.Normal)]
    [InlineData(GuideKind.Mvn)]
    [InlineData(GuideKind.LowRank)]
    [InlineData(GuideKind.Delta)]
    [InlineData(GuideKind.Iaf)]
    [InlineData(GuideKind.Planar)]
    public void Create_EverySupport_DrawsHaveTheModelsShapesAndStayInTheSupport(GuideKind kind)
    {
        var model = new TestModels.Supports();
        var guide = AutoGuide.Create(kind, model);
        var prior = Prior(model);
        var store = new ParamStore();
        for (ulong seed = 0; seed < 50; seed++)
        {
            var trace = Run(guide, store, seed);
            foreach (var p in prior.Latents)
            {
                var s = trace[p.Name];
                Assert.Equal(p.Distribution!.Shape, s.Value!.Shape);
                Assert.True(p.Distribution.Support.Check(s.Value.Value.Span), $"{kind}: {p.Name} = {s.Value} outside {p.Distribution.Support}");
                Assert.True(float.IsFinite(Ops.Sum(s.LogProb).ToScalar()));
            }
        }
    }

    [Fact]
    public void Create_Normal_StartsAtThePriorMedianWithScaleOneTenth()
    {
        var store = new ParamStore();
        Run(AutoGuide.Create(GuideKind.Normal, new TestModels.Supports()), store, 0);
        float Loc(string site) => store[$"auto_normal.{site}.loc"].Unconstrained.Value.Span[0];
        Assert.Equal(3f, Loc("mu"));
        Assert.Equal(MathF.Log(5f), Loc("tau"), 6);
        // Beta(2, 2): a sample median of its median 1/2, sd 1 / (2 f(½) √201) = 0.0235 with f(½) = 1.5; 4 sd = 0.094.
        Assert.Equal(0.5f, 1f / (1f + MathF.Exp(-Loc("p"))), 0.094f);
        // Gamma(2, 1) has no closed-form median (1.6783): a sample median of 201 draws, whose sd is
        // 1 / (2 f(m) √201) = 0.113 with f(m) = m e^{-m} = 0.313; 4 sd = 0.45.
        Assert.Equal(1.6783f, MathF.Exp(Loc("g")), 0.45f);
        // theta ~ Normal(mu, 1) with mu at its prototype draw: each entry starts at that draw.
        Assert.All(store["auto_normal.theta.scale"].Unconstrained.Value.ToArray(), u => Assert.Equal(0.1f, MathF.Exp(u), 6));
        Assert.Equal([4], store["auto_normal.theta.loc"].Unconstrained.Shape);
        Assert.Equal([2], store["auto_normal.w.loc"].Unconstrained.Shape);   // stick-breaking: K − 1 coordinates
    }

    [Fact]
    public void Normal_LogQ_EqualsTheHandComputedDensityWithJacobian()
    {
        var store = new ParamStore();
        var trace = Run(AutoGuide.Create(GuideKind.Normal, new TestModels.Supports()), store, 3);
        // tau = exp(u), u ~ N(log 5, 0.1): log q(tau) = log N(log tau; log 5, 0.1) − log tau.
        double tau = trace["tau"].Value!.ToScalar(), u = Math.Log(tau), m = Math.Log(5), s = 0.1;
        double expected = -0.5 * Math.Pow((u - m) / s, 2) - Math.Log(s) - 0.5 * Math.Log(2 * Math.PI) - u;
        Assert.Equal(expected, trace["tau"].LogProb.ToScalar(), 4);
        // p = sigmoid(u): log q(p) = log N(logit p; 0, 0.1) − log(p(1 − p)).
        double p = trace["p"].Value!.ToScalar(), up = Math.Log(p / (1 - p)), mp = store["auto_normal.p.loc"].Unconstrained.Value.Span[0];
        double expectedP = -0.5 * Math.Pow((up - mp) / s, 2) - Math.Log(s) - 0.5 * Math.Log(2 * Math.PI) - Math.Log(p * (1 - p));
        Assert.Equal(expectedP, trace["p"].LogProb.ToScalar(), 3);
    }

    [Fact]
    public void Mvn_LogQ_SumsToTheHandComputedJointDensity()
    {
        var model = new TestModels.TwoReals();
        var guide = AutoGuide.Create(GuideKind.Mvn, model);
        var store = new ParamStore();
        Run(guide, store, 0);
        // Set loc and a full lower-triangular factor L (its unconstrained form is read back from the store's bijection).
        var loc = new Tensor([0.5f, -1f, 2f], 3);
        var l = new Tensor([0.8f, 0, 0, 0.3f, 0.5f, 0, -0.2f, 0.4f, 0.7f], 3, 3);
        store["auto_mvn.loc"].Unconstrained.Value.CopyFrom(loc);
        var entry = store["auto_mvn.scale_tril"];
        entry.Unconstrained.Value.CopyFrom(entry.Transform.Inverse(Var.Const(l)).Value);
        var trace = Run(guide, store, 11);
        var u = new[] { trace["a"].Value!.ToScalar(), trace["b"].Value!.Value.Span[0], trace["b"].Value!.Value.Span[1] };
        // log N(u; loc, LLᵀ) = −½|L⁻¹(u − loc)|² − Σ log L_ii − (3/2) log 2π, by forward substitution.
        var e = new double[3];
        for (int r = 0; r < 3; r++)
        {
            double acc = u[r] - loc.Span[r];
            for (int c = 0; c < r; c++) acc -= l[r, c] * e[c];
            e[r] = acc / l[r, r];
        }
        double expected = -0.5 * e.Sum(x => x * x) - Math.Log(0.8 * 0.5 * 0.7) - 1.5 * Math.Log(2 * Math.PI);
        double total = trace.LogJoint().ToScalar();
        Assert.Equal(expected, total, 3);
    }

    [Theory]
    [InlineData(GuideKind.Iaf)]
    [InlineData(GuideKind.Planar)]
    public void Flow_SitesAndAuxiliaryDrawAddUpToLogQOfTheConstrainedValues(GuideKind kind)
    {
        var trace = Run(AutoGuide.Create(kind, new TestModels.Supports()), new ParamStore(), 4);
        var aux = trace.Sites.Single(s => s.Name.EndsWith("_latent"));
        // log q(z) = log q_F(u) − Σ log|det J_T(u_b)|: for tau = exp(u_tau) the correction is −u_tau = −log tau.
        double tau = trace["tau"].Value!.ToScalar();
        Assert.Equal(-Math.Log(tau), trace["tau"].LogProb.ToScalar(), 4);
        Assert.Equal(0f, Ops.Sum(trace["mu"].LogProb).ToScalar());
        double sum = trace.Sites.Where(s => s.Kind == SiteKind.Sample).Sum(s => (double)Ops.Sum(s.LogProb).ToScalar());
        Assert.Equal(sum, trace.LogJoint().ToScalar(), 3);
        Assert.True(double.IsFinite(Ops.Sum(aux.LogProb).ToScalar()));
    }

    [Fact]
    public void Delta_SitsAtTheMedianWithZeroLogQ()
    {
        var trace = Run(AutoGuide.Create(GuideKind.Delta, new TestModels.Supports()), new ParamStore(), 0);
        Assert.Equal(5f, trace["tau"].Value!.ToScalar(), 4);
        Assert.Equal(0f, trace.LogJoint().ToScalar());
    }

    [Fact]
    public void Normal_SubsampledPlate_ReDeclaresThePlateAndGathersLocalParameters()
    {
        var store = new ParamStore();
        var trace = Run(AutoGuide.Create(GuideKind.Normal, new TestModels.Subsampled()), store, 5);
        var idx = trace["n"].Value!.Value.ToArray();
        Assert.Equal(3, idx.Length);
        Assert.Equal([3], trace["z"].Value!.Shape);
        Assert.Equal([10], store["auto_normal.z.loc"].Unconstrained.Shape);
        Assert.Equal(10f / 3f, trace["z"].Scale, 6);
        Assert.Throws<NotSupportedException>(() => AutoGuide.Create(GuideKind.Mvn, new TestModels.Subsampled()));
    }

    [Fact]
    public void Create_DiscreteLatents_GetLearnableLogitsStartedAtThePrior()
    {
        var store = new ParamStore();
        var trace = Run(AutoGuide.Create(GuideKind.Normal, new TestModels.Discrete(), enumerate: false), store, 0);
        Assert.Equal([2], trace["c"].Value!.Shape);
        Assert.Equal(MathF.Log(0.3f / 0.7f), store["auto_normal.c.logits"].Unconstrained.Value.Span[0], 5);
        var k = store["auto_normal.k.logits"].Unconstrained.Value.ToArray();
        Assert.Equal(MathF.Log(0.5f / 0.2f), k[1] - k[0], 5);
        Assert.False(trace["k"].IsReparameterized);
    }

    [Fact]
    public void Create_FiniteDiscreteLatentsByDefault_LeftOutForEnumerationWhereEnumerable()
    {
        // k (one value) is summed out by the ELBO; c has an axis of its own outside any plate, which the contraction
        // cannot sum, so the guide keeps a learnable Bernoulli for it.
        var trace = Run(AutoGuide.Create(GuideKind.Normal, new TestModels.Discrete()), new ParamStore(), 0);
        Assert.True(trace.Contains("c"));
        Assert.False(trace.Contains("k"));
    }

    [Fact]
    public void Latents_TiedVectorBesideDiscreteLatents_StartsAtSpreadQuantiles()
    {
        // Normal(0, 10) quantiles at 1/6, 1/2, 5/6 are -9.67, 0, 9.67. A sample quantile of 201 draws has sd
        // sqrt(p(1-p)/201)/f(x) ≈ 1.05 at p = 1/6 (f the prior's density there), 0.88 at the median: 4 sd bounds.
        var prior = new Normal(0f, 10f).Expand([3]);
        var mu = PriorMedian.SpreadQuantiles(prior, Ppl.Runtime.Transforms.BijectTo.For(prior.Support), new Rng(1)).ToArray();
        Assert.InRange(mu[0], -9.67f - 4.2f, -9.67f + 4.2f);
        Assert.InRange(mu[1], -3.6f, 3.6f);
        Assert.InRange(mu[2], 9.67f - 4.2f, 9.67f + 4.2f);
    }

    [Fact]
    public void SpreadQuantiles_OfAnOrderedVector_AreTheUnorderedSpreadInTheOrderedCoordinates()
    {
        // ordered[3] ~ Normal(0, 10) counts as tied and starts where the unordered vector does (bounds as above),
        // given in the ordered transform's coordinates (the first mean, then log gaps).
        var prior = new OrderStatistics(new Normal(0f, 10f).Expand([3]));
        Assert.True(PriorMedian.IsTied(prior));
        var t = Ppl.Runtime.Transforms.BijectTo.For(prior.Support);
        var x = PriorMedian.SpreadQuantiles(prior, t, new Rng(1));
        var mu = t.Forward(Ppl.Runtime.Autodiff.Var.Const(x)).Value.ToArray();
        Assert.InRange(mu[0], -9.67f - 4.2f, -9.67f + 4.2f);
        Assert.InRange(mu[1], -3.6f, 3.6f);
        Assert.InRange(mu[2], 9.67f - 4.2f, 9.67f + 4.2f);
        Assert.Equal(mu[0], x.ToArray()[0]);
    }

    [Fact]
    public void Latents_TiedVectorBesideDiscreteLatents_StartsAtTheBestCandidateApart()
    {
        // The start is the candidate (quantile spread or prior draws) of highest log joint with the assignments summed
        // out: never below the quantile spread's, and its components are distinct (no common saddle).
        var model = new TestModels.TiedMeans(withAssignment: true);
        var latents = ModelPrototype.Latents(model);
        var mu = latents.Single(l => l.Name == "mu").Init.ToArray();
        Assert.Equal(3, mu.Distinct().Count());
        double LogJoint(IReadOnlyList<LatentSite> starts) => new Ppl.Inference.Elbo.TraceElbo().Evaluate(model, new AutoDelta(model.Name, starts.Where(s => !s.IsDiscrete).ToList()), new ParamStore(), new Rng(0));
        var prior = latents.Single(l => l.Name == "mu");
        var spread = latents.Select(l => l.Name == "mu" ? l with { Init = PriorMedian.SpreadQuantiles(prior.Prior, prior.ToSupport!, new Rng(0).Fork(0x4D3D_1A4E)) } : l).ToList();   // ModelPrototype's stream
        Assert.True(LogJoint(latents) >= LogJoint(spread) - 1e-3, $"chosen {LogJoint(latents)} vs spread {LogJoint(spread)}");
    }

    [Fact]
    public void Latents_TiedVectorWithoutDiscreteLatents_StartsAtTheMedian()
    {
        var mu = ModelPrototype.Latents(new TestModels.TiedMeans(withAssignment: false)).Single(l => l.Name == "mu").Init.ToArray();
        Assert.Equal(new float[] { 0, 0, 0 }, mu);
    }
}
