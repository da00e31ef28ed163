using Ppl.Inference.Distributed;
using Ppl.Inference.Elbo;
using Ppl.Inference.Fitting;
using Ppl.Inference.Optimizers;
using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Distributions;
using Ppl.Runtime.Distributions.Constraints;
using Ppl.Runtime.Models;
using Ppl.Runtime.Nn;
using Ppl.Runtime.Params;
using Ppl.Runtime.Random;
using Ppl.Runtime.Sites;
using Ppl.Runtime.Tensors;

namespace Ppl.Inference.Tests.Distributed;

public class SplitMinibatchTests
{
    static readonly SiteLocation At = new("split.ppl", 1, 1);
    const int N = 1024, Features = 6;

    static Tensor Data(ulong seed)
    {
        var rng = new Rng(seed);
        var x = new float[N * Features];
        for (int i = 0; i < x.Length; i++) x[i] = (float)rng.Normal();
        return new Tensor(x, [N, Features]);
    }

    /// <summary>A small VAE: plate n in N subsample M { z[n] ~ N(0, I₂); x[n] ~ N(decoder(z[n]), 1) }, guide z[n] ~ N(encoder(x[n])).</summary>
    sealed class TinyVae(Tensor x, int subsample) : IModel
    {
        public string Name => "TinyVae";

        public void Run(ModelContext ctx)
        {
            var decoder = ctx.Net("decoder", rng => new Mlp([2, 16, Features], Activation.Relu, rng), At);
            using var plate = ctx.Plate("n", N, subsample, At);
            var z = ctx.Sample("z", new Normal(Var.Const(Tensor.Zeros(plate.Size, 2)), Var.Const(Tensor.Full(1f, plate.Size, 2))), At);
            ctx.Observe("x", new Normal(decoder.Forward(z), 1f), Ops.Gather(ctx.Constant(x), plate.Indices), [plate.Size], At);
        }
    }

    sealed class TinyVaeGuide(Tensor x, int subsample) : IModel
    {
        public string Name => "TinyVaeGuide";

        public void Run(ModelContext ctx)
        {
            var encoder = ctx.Net("encoder", rng => new Mlp([Features, 16, 4], Activation.Relu, rng), At);
            using var plate = ctx.Plate("n", N, subsample, At);
            var h = encoder.Forward(Ops.Gather(ctx.Constant(x), plate.Indices));
            ctx.Sample("z", new Normal(Ops.Slice(h, 1, 0, 2), Ops.Softplus(Ops.Slice(h, 1, 2, 4))), At);
        }
    }

    /// <summary>
    /// Regression by a net with only global latents: w ~ N(0, I₂) (an offset and a log noise scale), plate n subsample M
    /// { y[n] ~ N(f(x[n]) + w₀, softplus(w₁)) }. Nothing is drawn inside the plate, so a split step draws exactly the
    /// numbers an unsplit one draws.
    /// </summary>
    sealed class NetRegression(Tensor x) : IModel
    {
        public string Name => "NetRegression";

        public void Run(ModelContext ctx)
        {
            var f = ctx.Net("f", rng => new Mlp([Features - 1, 16, 1], Activation.Relu, rng), At);
            var w = ctx.Sample("w", new Normal(Var.Const(Tensor.Zeros(2)), Var.Const(Tensor.Full(1f, 2))), At);
            using var plate = ctx.Plate("n", N, 128, At);
            var rows = Ops.Gather(ctx.Constant(x), plate.Indices);
            var mean = Ops.Reshape(f.Forward(Ops.Slice(rows, 1, 0, Features - 1)), [plate.Size]) + Ops.Index(w, 0, 0);
            var y = Ops.Reshape(Ops.Slice(rows, 1, Features - 1, Features), [plate.Size]);
            ctx.Observe("y", new Normal(mean, Ops.Softplus(Ops.Index(w, 0, 1))), y, [plate.Size], At);
        }
    }

    sealed class NetRegressionGuide : IModel
    {
        public string Name => "NetRegressionGuide";

        public void Run(ModelContext ctx)
        {
            var loc = ctx.Param("w_loc", () => Tensor.Full(0.1f, 2), Constraint.Real, At);
            var scale = ctx.Param("w_scale", () => Tensor.Full(0.5f, 2), Constraint.Positive, At);
            ctx.Sample("w", new Normal(loc, scale), At);
        }
    }

    static ParamStore Fit(int threads, int steps, ulong seed, bool split = true)
    {
        var x = Data(5);
        var store = new ParamStore(seed);
        var options = new SviOptions { Steps = steps, Tol = 0, Seed = seed, LearningRate = 1e-2f, Optimizer = lr => new Adam(lr), SplitMinibatch = split };
        int saved = Gemm.MaxThreads;
        Gemm.MaxThreads = threads;
        try
        {
            new Svi(new TinyVae(x, 128), new TinyVaeGuide(x, 128), options, store).Fit();
        }
        finally
        {
            Gemm.MaxThreads = saved;
        }
        return store;
    }

    static uint[] Bits(ParamStore store) =>
        store.Entries.SelectMany(e => e.Unconstrained.Value.Span.ToArray()).Select(BitConverter.SingleToUInt32Bits).ToArray();

    [Fact]
    public void Fit_OneThreadAndTwo_GiveTheSameBits()
    {
        var one = Bits(Fit(threads: 1, steps: 40, seed: 3));
        var two = Bits(Fit(threads: 2, steps: 40, seed: 3));
        Assert.Equal(one, two);
    }

    [Fact]
    public void Fit_SplitOrNot_LearnAlike()
    {
        // Split and unsplit fits use different draws (each half draws z from its own fork of the stream), so they
        // differ; both must learn, and as well. Per point the first 25-step window averages about −8.84 and the last
        // (steps 376–400) −8.49 unsplit, −8.56 split (when written, with the nets' small final layers). A window mean
        // of 25 estimates whose per-point spread is ~0.1 at M = 128 has a standard error near 0.02: the 0.2 gain asked
        // is well under the ~0.3 seen and ten standard errors above none, and 0.1 between the final windows is about
        // 3.5 standard errors of their difference.
        var x = Data(5);
        var last = new double[2];
        foreach (bool split in new[] { false, true })
        {
            var result = new Svi(new TinyVae(x, 128), new TinyVaeGuide(x, 128),
                new SviOptions { Steps = 400, Window = 25, Tol = 0, Seed = 4, LearningRate = 1e-2f, Optimizer = lr => new Adam(lr), SplitMinibatch = split }).Fit();
            double first = result.Windows[0] / N;
            last[split ? 1 : 0] = result.Windows[^1] / N;
            Assert.True(last[split ? 1 : 0] > first + 0.2, $"split {split}: first window {first} per point, last {last[split ? 1 : 0]}");
        }
        Assert.Equal(last[0], last[1], 0.1);
    }

    [Fact]
    public void Step_NothingDrawnInsideThePlate_EqualsTheUnsplitStepToRounding()
    {
        var x = Data(6);
        IModel model = new NetRegression(x), guide = new NetRegressionGuide();
        var whole = new ParamStore(2);
        var parted = new ParamStore(2);
        var options = new ElboOptions();
        var rngA = new Rng(11);
        var rngB = new Rng(11);
        var split = SplitMinibatch.For(model, guide, parted, rngB, options);
        Assert.NotNull(split);
        var tape = new Tape();
        var unsplit = new TraceElbo(options).Step(model, guide, whole, tape, rngA);
        var halves = split!.Step(model, guide, parted, rngB);
        // Same global draw and minibatch; only the sums over the minibatch run in another order (two halves, then
        // added) and each half's scale is doubled then halved (exact). Float32 sums of 128 terms of size ~1–10 move
        // by a few ulps of the total: 1e-5 relative is a wide margin, far below a wrong half (a missing half changes
        // the likelihood term by ~50 %).
        Assert.Equal(unsplit.Elbo, halves.Elbo, Math.Abs(unsplit.Elbo) * 1e-5);
        Assert.Equal(rngA.ExportState(), rngB.ExportState());
        Assert.Equal(whole.Entries.Select(e => e.Name), parted.Entries.Select(e => e.Name));
        foreach (var e in whole.Entries)
        {
            var a = e.Unconstrained.Grad!.Span.ToArray();
            var b = parted[e.Name].Unconstrained.Grad!.Span.ToArray();
            float norm = MathF.Sqrt(a.Sum(v => v * v));
            // Gradients are sums over the same 128 rows in another order: within 1e-4 of the gradient's norm (a few
            // ulps of float32 per row, ~1e-6 relative, summed over 128 rows).
            for (int i = 0; i < a.Length; i++) Assert.True(Math.Abs(a[i] - b[i]) <= 1e-4f * (norm + 1e-6f), $"{e.Name}[{i}]: unsplit {a[i]}, split {b[i]}");
        }
    }

    [Fact]
    public void For_SmallMinibatchOrNoNet_DoesNotSplit()
    {
        var x = Data(5);
        Assert.Null(SplitMinibatch.For(new TinyVae(x, 64), new TinyVaeGuide(x, 64), new ParamStore(), new Rng(1), new ElboOptions()));
        var model = new ShardedRegression(1024, 256);
        var guide = Ppl.Inference.Guides.AutoGuide.Create(Ppl.Inference.Guides.GuideKind.Normal, model);
        Assert.Null(SplitMinibatch.For(model, guide, new ParamStore(), new Rng(1), new ElboOptions()));
        Assert.NotNull(SplitMinibatch.For(new TinyVae(x, 128), new TinyVaeGuide(x, 128), new ParamStore(), new Rng(1), new ElboOptions()));
    }
}
