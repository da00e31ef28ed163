using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Tensors;
using static Ppl.Runtime.Tests.Autodiff.GradCheck;

namespace Ppl.Runtime.Tests.Autodiff;

public class OpsCholeskyTests
{
    /// <summary>Batched SPD matrices X·Xᵀ + K·I, well conditioned so finite-difference steps stay positive definite.</summary>
    internal static Tensor Spd(int seed, int batch, int k)
    {
        var rng = new System.Random(seed);
        var t = Tensor.Zeros(batch, k, k);
        var x = RandomTensor(rng, [batch, k, k], -1, 1);
        for (int b = 0; b < batch; b++)
            for (int i = 0; i < k; i++)
                for (int j = 0; j < k; j++)
                {
                    double s = i == j ? k : 0;
                    for (int m = 0; m < k; m++) s += x[b, i, m] * x[b, j, m];
                    t[b, i, j] = (float)s;
                }
        return t;
    }

    [Fact]
    public void Cholesky_Value_MatchesMathNet()
    {
        var a = Spd(1, 2, 4);
        var l = Ops.Cholesky(Var.Const(a)).Value;
        for (int b = 0; b < 2; b++)
        {
            var m = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.Dense(4, 4, (i, j) => a[b, i, j]);
            var expected = m.Cholesky().Factor;
            for (int i = 0; i < 4; i++)
                for (int j = 0; j < 4; j++)
                    Assert.Equal(expected[i, j], l[b, i, j], 1e-5 * (1 + Math.Abs(expected[i, j])));
        }
    }

    [Fact]
    public void Cholesky_NotPositiveDefinite_GivesNaNForThatEntryOnly()
    {
        var a = Spd(2, 2, 3);
        a[1, 2, 2] = -5f;
        var l = Ops.Cholesky(Var.Const(a)).Value;
        Assert.False(float.IsNaN(l[0, 2, 2]));
        Assert.True(float.IsNaN(l[1, 0, 0]));
    }

    [Fact] public void Cholesky_Batched_MatchesFiniteDifferences() => Check(x => Ops.Cholesky(x[0]), Spd(3, 2, 4));

    [Fact] public void Cholesky_Single_MatchesFiniteDifferences() => Check(x => Ops.Cholesky(x[0]), Spd(4, 1, 5).Reshape(5, 5));

    [Fact]
    public void Cholesky_ThroughLogDet_MatchesFiniteDifferences() =>
        // log det A = 2 Σ log L_ii: its gradient is A⁻¹, a classic closed form the Cholesky rule must reproduce.
        Check(x => Ops.Sum(Ops.Log(Ops.Diagonal(Ops.Cholesky(x[0])))), Spd(5, 1, 3).Reshape(3, 3));
}
