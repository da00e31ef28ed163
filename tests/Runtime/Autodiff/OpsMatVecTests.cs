using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Tensors;
using static Ppl.Runtime.Tests.Autodiff.GradCheck;

namespace Ppl.Runtime.Tests.Autodiff;

public class OpsMatVecTests
{
    static readonly System.Random Rng = new(17);
    static Tensor R(params int[] shape) => RandomTensor(Rng, shape);

    [Fact]
    public void MatVec_Value_MatchesMatMul()
    {
        var a = R(3, 4); var v = R(4);
        var y = Ops.MatVec(Var.Const(a), Var.Const(v)).Value;
        var e = Ops.MatMul(Var.Const(a), Var.Const(v)).Value;
        for (int i = 0; i < 3; i++) Assert.Equal(e[i], y[i], 1e-5);
    }

    [Fact] public void MatVec_Single_MatchesFiniteDifferences() => Check(x => Ops.MatVec(x[0], x[1]), R(3, 4), R(4));
    [Fact] public void MatVec_SharedMatrix_MatchesFiniteDifferences() => Check(x => Ops.MatVec(x[0], x[1]), R(3, 4), R(5, 4));
    [Fact] public void MatVec_BroadcastBothWays_MatchesFiniteDifferences() => Check(x => Ops.MatVec(x[0], x[1]), R(2, 1, 3, 3), R(4, 3));
}
