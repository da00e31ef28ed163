using Ppl.Inference.Posterior;
using Ppl.Inference.Tests.Fitting;
using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Distributions;
using Ppl.Runtime.Models;
using Ppl.Runtime.Params;
using Ppl.Runtime.Random;
using Ppl.Runtime.Sites;
using Ppl.Runtime.Tensors;

namespace Ppl.Inference.Tests.Posterior;

public class PosteriorTests
{
    static readonly SiteLocation At = new("p.ppl", 1, 1);

    /// <summary>A written guide mu ~ Normal(mean, sd).</summary>
    sealed class NormalGuide(double mean, double sd) : IModel
    {
        public string Name => "G";
        public void Run(ModelContext ctx) => ctx.Sample("mu", new Normal((float)mean, (float)sd), At);
    }

    /// <summary>mu ~ N(0, 1); theta = mu + [0, 1, 2, 3] (a let); y ~ N(mu, 1) observed twice.</summary>
    sealed class WithLet : IModel
    {
        public string Name => "WithLet";
        public void Run(ModelContext ctx)
        {
            var mu = ctx.Sample("mu", new Normal(0f, 1f), At);
            ctx.Deterministic("theta", mu + ctx.Constant(new Tensor([0f, 1f, 2f, 3f], 4)), At);
            ctx.Observe("y", new Normal(Ops.BroadcastTo(mu, 2), 1f), ctx.Constant(new Tensor([0.5f, 1.5f], 2)), At);
        }
    }

    [Fact]
    public void Sample_IncludesDeterministicSitesAndSummarisesEachScalar()
    {
        var samples = PosteriorSampler.Sample(new WithLet(), new NormalGuide(2, 0.5), new ParamStore(), 4000, seed: 1);
        Assert.Equal(["mu", "theta"], samples.Names);
        var rows = samples.Summarize().ToDictionary(r => r.Name);
        Assert.Equal(["mu", "theta[0]", "theta[1]", "theta[2]", "theta[3]"], rows.Keys);
        // Monte Carlo standard errors with 4000 draws: mean 0.5/√4000 = 0.008, sd 0.5/√8000 = 0.006,
        // 5% quantile √(0.05·0.95/4000)/φ(1.645) · 0.5 = 0.011; tolerances are 4 of them.
        Assert.Equal(5.0, rows["theta[3]"].Mean, 0.032);
        Assert.Equal(0.5, rows["theta[3]"].Sd, 0.024);
        Assert.Equal(2 - 1.6449 * 0.5, rows["mu"].Q5, 0.044);
        Assert.Equal(2.0, rows["mu"].Q50, 0.04);
        Assert.Equal(rows["mu"].Sd, rows["theta[2]"].Sd, 5);
    }

    [Fact]
    public void Sample_ReusesOneTapeAcrossDraws_SameValuesAsFreshTensors()
    {
        // Sample resets one tape per draw and copies what it keeps first; a draw run on fresh tensors (no tape) from
        // the same stream must give the same numbers, or a recycled buffer leaked into a kept value.
        var samples = PosteriorSampler.Sample(new WithLet(), new NormalGuide(2, 0.5), new ParamStore(), 50, seed: 3, predictive: true);
        var rng = new Rng(3);
        var theta = new List<float>();
        var y = new List<float>();
        for (int d = 0; d < 50; d++)
        {
            var (_, m) = PosteriorSampler.Run(new WithLet(), new NormalGuide(2, 0.5), new ParamStore(), rng, predictive: true);
            theta.AddRange(m.Sites.Single(s => s.Name == "theta").Value!.Value.ToArray());
            y.AddRange(m.Sites.Single(s => s.Name == "y").Value!.Value.ToArray());
        }
        Assert.Equal(theta, samples["theta"]);
        Assert.Equal(y, samples["y"]);
        Assert.Equal([4], samples.ShapeOf("theta"));
    }

    [Fact]
    public void Sample_Predictive_RedrawsObservedSitesAroundTheLatents()
    {
        var samples = PosteriorSampler.Sample(new WithLet(), new NormalGuide(2, 0.5), new ParamStore(), 4000, seed: 2, predictive: true);
        Assert.Equal([2], samples.ShapeOf("y"));
        var y = samples.Summarize().Single(r => r.Name == "y[1]");
        // y = mu + e: mean 2, sd √(0.25 + 1) = 1.118; MC standard errors 0.018 and 0.0125, tolerances 4 of them.
        Assert.Equal(2.0, y.Mean, 0.072);
        Assert.Equal(Math.Sqrt(1.25), y.Sd, 0.05);
    }

    [Theory]
    [InlineData(0.3)]
    [InlineData(0.5)]
    [InlineData(0.9)]
    public void ParetoK_ExactlyParetoWeights_RecoversTheShape(double k)
    {
        // w = U^(−k) has P(w > t) = t^(−1/k): a Pareto tail of shape k exactly. With S = 4000 the fit uses the 190
        // largest weights and k̂ has sd ≈ (1 + k)/√190 ≤ 0.14; the tolerance is 2.5 sd at k = 0.9.
        var rng = new Rng(11);
        var logW = Enumerable.Range(0, 4000).Select(_ => -k * Math.Log(rng.NextDoubleOpen())).ToArray();
        Assert.Equal(k, ParetoSmoothing.ParetoK(logW), 0.35);
    }

    [Fact]
    public void ParetoK_BoundedWeights_IsBelowOneHalf()
    {
        // A proposal wider than the target gives bounded weights: a GPD tail with k < 0.
        var x = new float[4000];
        new Rng(12).FillNormal(x);
        var logW = x.Select(v => -v * (double)v * 0.25).ToArray();
        Assert.True(ParetoSmoothing.ParetoK(logW) < 0.5);
    }

    [Fact]
    public void Diagnostics_ExactGuideHasNoWarning_TooNarrowGuideIsFlagged()
    {
        var model = new FitModels.NormalNormal(FitModels.Data(20, 1.5, 1, 3));
        var exact = GuideDiagnostics.Of(model, new NormalGuide(model.PostMean, model.PostSd), new ParamStore(), 2000, 1);
        Assert.Null(exact.Warning);
        // Half the posterior sd: the weights' tail has k = 1 − (1/2)² = 0.75 (see the test above).
        var narrow = GuideDiagnostics.Of(model, new NormalGuide(model.PostMean, model.PostSd / 2), new ParamStore(), 2000, 1);
        Assert.True(narrow.K > 0.7, $"k̂ = {narrow.K}");
        Assert.NotNull(narrow.Warning);
    }
}
