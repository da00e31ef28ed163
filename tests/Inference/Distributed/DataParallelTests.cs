using Ppl.Inference.Distributed;
using Ppl.Runtime.Params;

namespace Ppl.Inference.Tests.Distributed;

public class DataParallelTests
{
    const int Steps = 100;
    const ulong Seed = 7;

    static float[] Flatten(ParamStore store) => store.Entries.SelectMany(e => e.Unconstrained.Value.Span.ToArray()).ToArray();

    [Fact]
    public void Fit_TwoRanks_EveryRankHoldsTheSameBits()
    {
        var ranks = ThreadCommunicator.RunRanks(2, c => ShardedRegressionFit.Run(c, Steps, Seed));
        Assert.All(ranks, r => Assert.Null(r.Error));
        Assert.Equal(ParameterHash.Of(ranks[0].Result!), ParameterHash.Of(ranks[1].Result!));
    }

    [Fact]
    public void Fit_TwoRanks_MatchesOneProcessOnTheSameGlobalMinibatches()
    {
        var one = Flatten(ShardedRegressionFit.Run(new SingleProcessCommunicator(), Steps, Seed));
        var two = Flatten(ThreadCommunicator.RunRanks(2, c => ShardedRegressionFit.Run(c, Steps, Seed))[0].Result!);
        // Same minibatches and draws; only the float sums over the minibatch run in another order (two halves, then
        // added), which moves each gradient by a few ulps. Adam's step is bounded by the learning rate (0.05) and the
        // problem is convex, so these differences stay at float rounding of the parameters: 1e-4 absolute leaves a
        // wide margin (the fits agreed bit for bit when this was written: TensorPrimitives happened to add the halves in the same tree) and is far below a wrong shard (a doubled or halved plate scale
        // moves the posterior scale parameters by ~0.35 in log space).
        Assert.Equal(one.Length, two.Length);
        for (int i = 0; i < one.Length; i++) Assert.True(Math.Abs(one[i] - two[i]) <= 1e-4f, $"parameter {i}: one process {one[i]}, two {two[i]}");
    }

    [Fact]
    public void Fit_OneRankCorrupted_StopsEveryRankNamingIt()
    {
        var ranks = ThreadCommunicator.RunRanks(2, c => ShardedRegressionFit.Run(c, 50, Seed, checkEvery: 10, afterStep: (step, s) =>
        {
            if (step == 5 && c.Rank == 1) s.Entries.First().Unconstrained.Value.Span[0] += 1e-3f;
        }));
        foreach (var (_, error) in ranks)
        {
            var e = Assert.IsType<ParametersDivergedException>(error);
            Assert.Contains("rank 1 differ from rank 0's at step 10", e.Message);
        }
    }

    [Fact]
    public void AfterBackward_TwoRanks_AveragesGradientsAndElbo()
    {
        var ranks = ThreadCommunicator.RunRanks(2, c =>
        {
            var store = new ParamStore();
            var v = store.Get("v", () => Ppl.Runtime.Tensors.Tensor.Zeros(3), Ppl.Runtime.Distributions.Constraints.Constraint.Real, null);
            var grad = store["v"].Unconstrained.Grad!.Span;
            for (int i = 0; i < 3; i++) grad[i] = c.Rank == 0 ? i : 10 * i;
            double elbo = new DataParallel(c).AfterBackward(store, 2, c.Rank == 0 ? -4.0 : -8.0);
            return (elbo, store["v"].Unconstrained.Grad!.Span.ToArray());
        });
        foreach (var (result, error) in ranks)
        {
            Assert.Null(error);
            Assert.Equal(-6.0, result.elbo);
            Assert.Equal([0f, 5.5f, 11f], result.Item2);
        }
    }
}
