using Ppl.Runtime.Params;
using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Distributions;
using Ppl.Runtime.Distributions.Constraints;
using Ppl.Runtime.Data;
using Ppl.Runtime.Models;
using Ppl.Runtime.Random;
using Ppl.Runtime.Sites;
using Ppl.Runtime.Tensors;
using MathNet.Numerics.Distributions;
using RNormal = Ppl.Runtime.Distributions.Normal;

namespace Ppl.Runtime.Tests.Sites;

public class ModelContextTests
{
    /// <summary>A hand-written model in the shape generated code takes: mu ~ N(0, 5); y[j] ~ N(mu, sigma[j]) in a plate.</summary>
    sealed class TinyModel(Tensor y, Tensor sigma) : IModel
    {
        static readonly SiteLocation At = new("tiny.ppl", 1, 1);
        public string Name => "Tiny";
        public void Run(ModelContext ctx)
        {
            var mu = ctx.Sample("mu", new RNormal(0f, 5f), At);
            using (var j = ctx.Plate("j", y.Size, null, At))
                ctx.Observe("y", new RNormal(mu, Var.Const(sigma)), Var.Const(y), At);
            ctx.Deterministic("twice", mu * 2f, At);
        }
    }

    static readonly Tensor Y = Tensor.Vector(1.5f, -0.3f, 2.0f);
    static readonly Tensor Sigma = Tensor.Vector(1f, 2f, 0.5f);

    [Fact]
    public void Substitute_FixedLatent_LogJointMatchesHandComputation()
    {
        var trace = new TraceHandler();
        var ctx = new ModelContext(new Rng(1)).With(trace).With(new SubstituteHandler(new Dictionary<string, Tensor> { ["mu"] = Tensor.Scalar(0.7f) }));
        new TinyModel(Y, Sigma).Run(ctx);
        double expected = MathNet.Numerics.Distributions.Normal.PDFLn(0, 5, 0.7);
        for (int i = 0; i < 3; i++) expected += MathNet.Numerics.Distributions.Normal.PDFLn(0.7, Sigma.Span[i], Y.Span[i]);
        Assert.Equal(expected, trace.Trace.LogJoint().ToScalar(), 4);
        Assert.Equal(1.4f, trace.Trace["twice"].Value!.ToScalar(), 5);
        Assert.Equal(["mu"], trace.Trace.Latents.Select(s => s.Name));
        Assert.Equal(["y"], trace.Trace.Observations.Select(s => s.Name));
    }

    [Fact]
    public void Replay_UsesGuideValues()
    {
        var guideTrace = new TraceHandler();
        var gctx = new ModelContext(new Rng(2)).With(guideTrace);
        gctx.Sample("mu", new RNormal(3f, 0.1f), SiteLocation.None);
        var modelTrace = new TraceHandler();
        var mctx = new ModelContext(new Rng(3)).With(modelTrace).With(new ReplayHandler(guideTrace.Trace));
        new TinyModel(Y, Sigma).Run(mctx);
        Assert.Same(guideTrace.Trace["mu"].Value, modelTrace.Trace["mu"].Value);
    }

    [Fact]
    public void Condition_MakesLatentObserved()
    {
        var trace = new TraceHandler();
        var ctx = new ModelContext(new Rng(1)).With(trace).With(new ConditionHandler(new Dictionary<string, Tensor> { ["mu"] = Tensor.Scalar(1f) }));
        new TinyModel(Y, Sigma).Run(ctx);
        Assert.True(trace.Trace["mu"].IsObserved);
        Assert.Empty(trace.Trace.Latents);
    }

    [Fact]
    public void Block_HidesSitesFromOuterHandlers()
    {
        var trace = new TraceHandler();
        var ctx = new ModelContext(new Rng(1)).With(trace).With(new BlockHandler(s => s.Name == "mu"));
        new TinyModel(Y, Sigma).Run(ctx);
        Assert.False(trace.Trace.Contains("mu"));
        Assert.True(trace.Trace.Contains("y"));
    }

    [Fact]
    public void Plate_Subsample_ScalesLogDensityAndReplaysIndices()
    {
        var guide = new TraceHandler();
        var ctx = new ModelContext(new Rng(5)).With(guide);
        IntTensor idx;
        using (var p = ctx.Plate("n", 10, 4, SiteLocation.None))
        {
            idx = p.Indices;
            Assert.Equal(4, p.Size);
            Assert.Equal(4, idx.Data.Distinct().Count());
            ctx.Sample("z", new RNormal(Var.Const(Tensor.Zeros(4)), 1f), SiteLocation.None);
        }
        Assert.Equal(2.5f, guide.Trace["z"].Scale);

        var model = new TraceHandler();
        var mctx = new ModelContext(new Rng(99)).With(model).With(new ReplayHandler(guide.Trace));
        using (var p = mctx.Plate("n", 10, 4, SiteLocation.None)) Assert.Equal(idx.Data, p.Indices.Data);
    }

    [Fact]
    public void Observe_InPlates_ScalarDistributionExpandsToPlateSize()
    {
        var trace = new TraceHandler();
        var ctx = new ModelContext(new Rng(1)).With(trace);
        ctx.Observe("y", new RNormal(0f, 1f), Var.Const(Tensor.Vector(0f, 1f, 2f)), [3], SiteLocation.None);
        var site = trace.Trace["y"];
        Assert.Equal([3], site.Distribution!.BatchShape);
        double expected = 0;
        foreach (var v in new[] { 0.0, 1.0, 2.0 }) expected += MathNet.Numerics.Distributions.Normal.PDFLn(0, 1, v);
        Assert.Equal(expected, trace.Trace.LogJoint().ToScalar(), 4);
    }

    [Fact]
    public void Observe_InPlates_ValueBroadcastToDistribution()
    {
        var trace = new TraceHandler();
        var ctx = new ModelContext(new Rng(1)).With(trace);
        ctx.Observe("y", new RNormal(Var.Const(Tensor.Vector(0f, 1f)), 1f), 0.5f, [], SiteLocation.None);
        Assert.Equal([2], trace.Trace["y"].Value!.Shape);
    }

    [Fact]
    public void Sample_DuplicateName_Throws()
    {
        var ctx = new ModelContext(new Rng(1));
        ctx.Sample("a", new RNormal(0f, 1f), SiteLocation.None);
        Assert.Throws<DuplicateSiteException>(() => ctx.Sample("a", new RNormal(0f, 1f), SiteLocation.None));
    }

    [Fact]
    public void Sample_StatedShape_ExpandsDistribution()
    {
        var ctx = new ModelContext(new Rng(1));
        var v = ctx.Sample("theta", new RNormal(0f, 1f), [8], SiteLocation.None);
        Assert.Equal([8], v.Shape);
    }

    [Fact]
    public void Param_Positive_StaysPositiveAndGetsGradients()
    {
        var tape = new Tape();
        var store = new ParamStore();
        var ctx = new ModelContext(new Rng(1), tape, store);
        var s = ctx.Param("s", () => Tensor.Scalar(2f), Constraint.Positive, SiteLocation.None);
        Assert.Equal(2f, s.ToScalar(), 5);
        tape.Backward(Ops.Sum(s));
        // d s / d log s = s
        Assert.Equal(2f, store["s"].Unconstrained.Grad!.ToScalar(), 4);
    }

    [Fact]
    public void Fill_OnATape_RentsTheSameBufferEachStep()
    {
        var tape = new Tape();
        var ctx = new ModelContext(new Rng(1), tape);
        var first = ctx.Fill(0.5f, [3, 4]);
        Assert.Same(tape, first.Tape);
        Assert.All(first.Value.ToArray(), v => Assert.Equal(0.5f, v));
        first.Value.Span.Fill(9f);   // what a step leaves behind
        tape.Reset();
        var second = new ModelContext(new Rng(1), tape).Fill(0f, [3, 4]);
        Assert.Same(first.Value.Storage, second.Value.Storage);
        Assert.All(second.Value.ToArray(), v => Assert.Equal(0f, v));
    }

    [Fact]
    public void Fill_WithoutTape_IsAFreshConstant()
    {
        var v = new ModelContext(new Rng(1)).Fill(1f, [2]);
        Assert.Null(v.Tape);
        Assert.Equal(new[] { 1f, 1f }, v.Value.ToArray());
    }
}
