using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Tensors;
using static Ppl.Runtime.Tests.Autodiff.GradCheck;

namespace Ppl.Runtime.Tests.Autodiff;

public class OpsTriangularSolveTests
{
    /// <summary>Random lower-triangular factors with diagonals in [1, 2] (well conditioned); the upper triangle holds junk the op must ignore.</summary>
    internal static Tensor Lower(int seed, params int[] shape)
    {
        var rng = new System.Random(seed);
        var t = RandomTensor(rng, shape, -1, 1);
        int k = shape[^1], batch = t.Size / (k * k);
        var s = t.Span;
        for (int b = 0; b < batch; b++)
            for (int i = 0; i < k; i++) s[b * k * k + i * k + i] = 1f + (float)rng.NextDouble();
        return t;
    }

    [Fact]
    public void TriangularSolve_Value_InvertsLowerTriangle()
    {
        var l = Lower(1, 4, 4);
        var b = RandomTensor(new System.Random(2), [4]);
        var z = Ops.TriangularSolve(Var.Const(l), Var.Const(b)).Value;
        for (int r = 0; r < 4; r++)
        {
            double s = 0;
            for (int c = 0; c <= r; c++) s += l[r, c] * z[c];
            Assert.Equal(b[r], s, 1e-5);
        }
    }

    [Fact] public void TriangularSolve_Single_MatchesFiniteDifferences() => Check(x => Ops.TriangularSolve(x[0], x[1]), Lower(3, 4, 4), R(4));

    [Fact]
    public void TriangularSolve_SharedFactorManyVectors_MatchesFiniteDifferences() =>
        Check(x => Ops.TriangularSolve(x[0], x[1]), Lower(4, 3, 3), R(5, 3));

    [Fact]
    public void TriangularSolve_BroadcastBothWays_MatchesFiniteDifferences() =>
        Check(x => Ops.TriangularSolve(x[0], x[1]), Lower(5, 2, 1, 3, 3), R(4, 3));

    static Tensor R(params int[] shape) => RandomTensor(new System.Random(shape.Sum()), shape);
}
