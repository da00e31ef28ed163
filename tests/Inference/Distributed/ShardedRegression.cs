using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Distributions;
using Ppl.Runtime.Models;
using Ppl.Runtime.Sites;
using Ppl.Runtime.Tensors;

namespace Ppl.Inference.Tests.Distributed;

/// <summary>
/// Linear regression over a subsampled plate: w ~ N(0, 10² I), w = [a, b]; plate n in N subsample M { y[n] ~ N(a + b x[n], σ) }.
/// Its only latents are global, so a run over K processes draws exactly the numbers one process draws and the two fits
/// differ only by the order of the float sums.
/// </summary>
public sealed class ShardedRegression : IModel
{
    static readonly SiteLocation At = new("sharded_regression.ppl", 1, 1);
    readonly Tensor x, y;

    /// <summary>N points from y = 1 + 2x + N(0, 0.5²), x uniform on [−1, 1), from a fixed stream.</summary>
    public ShardedRegression(int n, int subsample)
    {
        N = n;
        Subsample = subsample;
        var rng = new Ppl.Runtime.Random.Rng(12345);
        var xs = new float[n];
        var ys = new float[n];
        for (int i = 0; i < n; i++)
        {
            xs[i] = 2 * rng.NextFloat() - 1;
            ys[i] = 1 + 2 * xs[i] + 0.5f * (float)rng.Normal();
        }
        x = new Tensor(xs, n);
        y = new Tensor(ys, n);
    }

    /// <summary>Data points.</summary>
    public int N { get; }

    /// <summary>Global minibatch.</summary>
    public int Subsample { get; }

    /// <inheritdoc/>
    public string Name => "ShardedRegression";

    /// <inheritdoc/>
    public void Run(ModelContext ctx)
    {
        var w = ctx.Sample("w", new Normal(0f, 10f), [2], At);
        using var plate = ctx.Plate("n", N, Subsample, At);
        var xs = Ops.Gather(ctx.Constant(x), plate.Indices);
        var ys = Ops.Gather(ctx.Constant(y), plate.Indices);
        var mean = Ops.Index(w, 0, 0) + Ops.Index(w, 0, 1) * xs;
        ctx.Observe("y", new Normal(mean, 0.5f), ys, At);
    }
}

/// <summary>The fit the distributed tests compare: <see cref="ShardedRegression"/> with a mean-field guide, a fixed budget, no convergence stop.</summary>
public static class ShardedRegressionFit
{
    /// <summary>Fits on <paramref name="communicator"/>'s processes and returns the parameters; <paramref name="afterStep"/>, if given, runs every step (a test uses it to corrupt one rank).</summary>
    public static Ppl.Runtime.Params.ParamStore Run(Ppl.Inference.Distributed.ICommunicator communicator, int steps, ulong seed, int checkEvery = 10, Action<int, Ppl.Runtime.Params.ParamStore>? afterStep = null)
    {
        var model = new ShardedRegression(1024, 64);
        var guide = Ppl.Inference.Guides.AutoGuide.Create(Ppl.Inference.Guides.GuideKind.Normal, model, seed);
        var store = new Ppl.Runtime.Params.ParamStore(seed);
        var options = new Ppl.Inference.Fitting.SviOptions
        {
            Steps = steps,
            Seed = seed,
            Tol = 0,
            LearningRate = 0.05f,
            DataParallel = new Ppl.Inference.Distributed.DataParallel(communicator, checkEvery),
            ProgressEvery = 1,
            Progress = afterStep is null ? null : p => afterStep(p.Step, store),
        };
        new Ppl.Inference.Fitting.Svi(model, guide, options, store).Fit();
        return store;
    }
}
