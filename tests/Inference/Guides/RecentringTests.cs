using Ppl.Inference.Guides;
using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Params;
using Ppl.Runtime.Random;
using Ppl.Runtime.Sites;
using Ppl.Runtime.Tensors;

namespace Ppl.Inference.Tests.Guides;

public class RecentringTests
{
    static Trace Run(Ppl.Runtime.Models.IModel guide, ParamStore store, ulong seed)
    {
        var tracer = new TraceHandler();
        guide.Run(new ModelContext(new Rng(seed), null, store).With(tracer));
        return tracer.Trace;
    }

    static void SetConstrained(ParamStore store, string name, Tensor value)
    {
        var e = store[name];
        e.Unconstrained.Value.CopyFrom(e.Transform.Inverse(Var.Const(value)).Value);
    }

    static double LogNormal(double x, double m, double s) => -0.5 * Math.Pow((x - m) / s, 2) - Math.Log(s) - 0.5 * Math.Log(2 * Math.PI);

    [Fact]
    public void Normal_RecentredSite_LogQIsTheCentredCoordinatesDensityPlusLambdaLogScale()
    {
        var guide = AutoGuide.Create(GuideKind.Normal, new TestModels.NonCentred());
        var store = new ParamStore();
        Run(guide, store, 0);
        var lambda = new[] { 0.1f, 0.5f, 0.9f };
        var loc = new[] { 0.3f, -1.2f, 2.5f };
        var scale = new[] { 0.4f, 0.7f, 1.3f };
        SetConstrained(store, "auto_normal.r.centredness", new Tensor(lambda, 3));
        SetConstrained(store, "auto_normal.r.loc", new Tensor(loc, 3));
        SetConstrained(store, "auto_normal.r.scale", new Tensor(scale, 3));
        var trace = Run(guide, store, 7);
        double mu = trace["mu"].Value!.ToScalar(), tau = trace["tau"].Value!.ToScalar();
        var r = trace["r"].Value!.Value.ToArray();
        // Change of variables r -> ã = λ·mu + tau^λ·r (dã/dr = tau^λ): log q(r) = Σ log N(ã; loc, scale) + λ·log tau.
        double expected = 0;
        for (int j = 0; j < 3; j++)
        {
            double a = lambda[j] * mu + Math.Pow(tau, lambda[j]) * r[j];
            expected += LogNormal(a, loc[j], scale[j]) + lambda[j] * Math.Log(tau);
        }
        Assert.Equal(expected, Ops.Sum(trace["r"].LogProb).ToScalar(), 3);
    }

    [Fact]
    public void Mvn_RecentredSite_JointLogQIsTheStackedNormalsDensityWithBothJacobians()
    {
        var guide = AutoGuide.Create(GuideKind.Mvn, new TestModels.NonCentred());
        var store = new ParamStore();
        Run(guide, store, 0);
        const int D = 5;   // mu, log tau, ã[3]
        var loc = new Tensor([0.5f, 0.2f, 1f, -0.5f, 2f], D);
        var l = Tensor.Zeros(D, D);
        for (int i = 0; i < D; i++)
        {
            l[i, i] = 0.3f + 0.1f * i;
            for (int j = 0; j < i; j++) l[i, j] = 0.05f * (i - 2 * j);
        }
        store["auto_mvn.loc"].Unconstrained.Value.CopyFrom(loc);
        SetConstrained(store, "auto_mvn.scale_tril", l);
        var lambda = new[] { 0.2f, 0.6f, 0.95f };
        SetConstrained(store, "auto_mvn.r.centredness", new Tensor(lambda, 3));
        var trace = Run(guide, store, 5);
        double mu = trace["mu"].Value!.ToScalar(), tau = trace["tau"].Value!.ToScalar();
        var r = trace["r"].Value!.Value.ToArray();
        var u = new double[D];
        u[0] = mu;
        u[1] = Math.Log(tau);
        for (int j = 0; j < 3; j++) u[2 + j] = lambda[j] * mu + Math.Pow(tau, lambda[j]) * r[j];
        // log N(u; loc, LLᵀ) by forward substitution, − log tau for tau = exp(u₁), + Σ λ_j log tau for each r_j.
        var e = new double[D];
        double logDiag = 0;
        for (int i = 0; i < D; i++)
        {
            double acc = u[i] - loc.Span[i];
            for (int c = 0; c < i; c++) acc -= l[i, c] * e[c];
            e[i] = acc / l[i, i];
            logDiag += Math.Log(l[i, i]);
        }
        double expected = -0.5 * e.Sum(x => x * x) - logDiag - 0.5 * D * Math.Log(2 * Math.PI) - Math.Log(tau) + lambda.Sum(x => x * Math.Log(tau));
        Assert.Equal(expected, trace.LogJoint().ToScalar(), 3);
    }

    [Fact]
    public void Create_NonCentredSite_StartsTheCentredCoordinateAtLambdaTimesTheLocation()
    {
        var guide = AutoGuide.Create(GuideKind.Normal, new TestModels.NonCentred());
        var r = Assert.Single(guide.RecentredSites);
        Assert.Equal("r", r.Name);
        Assert.Equal(["auto_normal.r.centredness"], guide.CentrednessNames);
        // ã₀ = λ₀·L₀ + S₀^λ₀·r₀ with r₀ = 0 (the prior median) and L₀ = mu's start.
        double mu0 = guide.Latents.First(s => s.Name == "mu").Init.Span[0];
        Assert.All(r.Init.ToArray(), a => Assert.Equal(Recentring.InitCentredness * mu0, a, 5));
    }

    [Fact]
    public void Create_InputDrawnAfterTheSite_DrawsItAsDeclared()
    {
        var guide = AutoGuide.Create(GuideKind.Normal, new TestModels.NonCentred(lateInput: true));
        Assert.Empty(guide.RecentredSites);
        var store = new ParamStore();
        Run(guide, store, 0);
        Assert.DoesNotContain(store.Entries, e => e.Name.EndsWith(".centredness", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(GuideKind.Delta)]
    [InlineData(GuideKind.Iaf)]
    public void Create_FamiliesWithoutCentring_DrawItAsDeclared(GuideKind kind) =>
        Assert.Empty(AutoGuide.Create(kind, new TestModels.NonCentred()).RecentredSites);

    [Theory]
    [InlineData(GuideKind.Iaf)]
    [InlineData(GuideKind.Planar)]
    public void Flow_RecentredSite_BlockIsTheCentredCoordinateAndLogQIsLambdaLogScale(GuideKind kind)
    {
        // Create centres for planar only; the IAF's centring path is the same code, built here directly.
        var model = new TestModels.NonCentred();
        var guide = new AutoFlow(model.Name, Recentring.Mark(ModelPrototype.Latents(model)), kind);
        Assert.Single(guide.RecentredSites);
        var store = new ParamStore();
        Run(guide, store, 0);
        var lambda = new[] { 0.15f, 0.55f, 0.85f };
        string prefix = kind == GuideKind.Iaf ? "auto_iaf" : "auto_planar";
        SetConstrained(store, $"{prefix}.r.centredness", new Tensor(lambda, 3));
        var trace = Run(guide, store, 3);
        double mu = trace["mu"].Value!.ToScalar(), tau = trace["tau"].Value!.ToScalar();
        var r = trace["r"].Value!.Value.ToArray();
        var u = trace[$"_{prefix}_latent"].Value!.Value.ToArray();   // mu, log tau, ã[3]
        for (int j = 0; j < 3; j++) Assert.Equal(u[2 + j], lambda[j] * mu + Math.Pow(tau, lambda[j]) * r[j], 3);
        // The flow's log q is over ã; the site adds the map's −log |det ∂r/∂ã| = Σ λ_j log tau.
        Assert.Equal(lambda.Sum(l => l * Math.Log(tau)), Ops.Sum(trace["r"].LogProb).ToScalar(), 4);
    }

    [Fact]
    public void Create_RecentreOff_DrawsItAsDeclared() =>
        Assert.Empty(AutoGuide.Create(GuideKind.Normal, new TestModels.NonCentred(), recentre: false).RecentredSites);

    [Fact]
    public void SavedWithoutRecentring_ParametersOfTheUncentredGuide_True()
    {
        var model = new TestModels.NonCentred();
        var plain = new ParamStore();
        Run(AutoGuide.Create(GuideKind.Normal, model, recentre: false), plain, 0);
        var centred = new ParamStore();
        var guide = AutoGuide.Create(GuideKind.Normal, model);
        Run(guide, centred, 0);
        Assert.True(guide.SavedWithoutRecentring(plain.Entries.Select(e => e.Name)));
        Assert.False(guide.SavedWithoutRecentring(centred.Entries.Select(e => e.Name)));
        Assert.False(guide.SavedWithoutRecentring([]));   // nothing saved by this guide: nothing to misread
    }
}
