using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Tensors;
using static Ppl.Runtime.Tests.Autodiff.GradCheck;

namespace Ppl.Runtime.Tests.Autodiff;

public class OpsCumSumTests
{
    static readonly System.Random Rng = new(21);
    static Tensor R(params int[] shape) => RandomTensor(Rng, shape);

    [Fact]
    public void CumSum_Inclusive_RunningSums()
    {
        var y = Ops.CumSum(Var.Const(Tensor.Vector(1, 2, 3, 4)));
        Assert.Equal([1f, 3f, 6f, 10f], y.Value.ToArray());
    }

    [Fact]
    public void CumSum_ExclusiveReverse_SumsOfLaterEntries()
    {
        var y = Ops.CumSum(Var.Const(Tensor.Vector(1, 2, 3, 4)), exclusive: true, reverse: true);
        Assert.Equal([9f, 7f, 4f, 0f], y.Value.ToArray());
    }

    [Fact]
    public void CumSum_MiddleAxis_SumsAlongThatAxisOnly()
    {
        var x = Tensor.FromArray([1, 2, 3, 4, 5, 6], 1, 3, 2);
        Assert.Equal([1f, 2f, 4f, 6f, 9f, 12f], Ops.CumSum(Var.Const(x), 1).Value.ToArray());
    }

    [Fact] public void CumSum_LastAxis_MatchesFiniteDifferences() => Check(x => Ops.CumSum(x[0]), R(3, 5));
    [Fact] public void CumSum_Exclusive_MatchesFiniteDifferences() => Check(x => Ops.CumSum(x[0], -1, exclusive: true), R(2, 4));
    [Fact] public void CumSum_Reverse_MatchesFiniteDifferences() => Check(x => Ops.CumSum(x[0], 0, reverse: true), R(4, 3));
    [Fact] public void CumSum_ExclusiveReverseMiddle_MatchesFiniteDifferences() => Check(x => Ops.CumSum(x[0], 1, true, true), R(2, 3, 2));
}
