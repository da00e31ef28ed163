using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Tensors;
using static Ppl.Runtime.Tests.Autodiff.GradCheck;

namespace Ppl.Runtime.Tests.Autodiff;

public class OpsDiagonalTests
{
    [Fact]
    public void Diagonal_Batched_PicksDiagonals()
    {
        var x = Tensor.FromArray([1, 2, 3, 4, 5, 6, 7, 8], 2, 2, 2);
        Assert.Equal([1f, 4f, 5f, 8f], Ops.Diagonal(Var.Const(x)).Value.ToArray());
    }

    [Fact] public void Diagonal_MatchesFiniteDifferences() => Check(x => Ops.Diagonal(x[0]), RandomTensor(new System.Random(3), [2, 3, 3]));
}
