using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Tensors;
using static Ppl.Runtime.Tests.Autodiff.GradCheck;

namespace Ppl.Runtime.Tests.Autodiff;

public class OpsCholeskyTests
{
    static readonly System.Random Rng = new(5);

    /// <summary>A = B·Bᵀ + 2I: positive definite for any B, and a symmetric perturbation of A for any change of B.</summary>
    static Var Spd(Var b)
    {
        int k = b.Shape[^1];
        var eye = Tensor.Zeros(k, k);
        for (int i = 0; i < k; i++) eye[i, i] = 2f;
        return Ops.MatMul(b, Ops.Transpose(b)) + Var.Const(eye);
    }

    [Fact]
    public void Cholesky_Batch_ReproducesTheMatrix()
    {
        var a = Spd(Var.Const(RandomTensor(Rng, [3, 4, 4])));
        var l = Ops.Cholesky(a);
        var back = Ops.MatMul(l, Ops.Transpose(l)).Value.Span;
        var av = a.Value.Span;
        for (int i = 0; i < av.Length; i++) Assert.Equal(av[i], back[i], 1e-4 * (1 + Math.Abs(av[i])));
        for (int b = 0; b < 3; b++)
            for (int i = 0; i < 4; i++)
            {
                Assert.True(l.Value[b, i, i] > 0);
                for (int j = i + 1; j < 4; j++) Assert.Equal(0f, l.Value[b, i, j]);
            }
    }

    [Fact]
    public void Cholesky_NotPositiveDefinite_Throws() =>
        Assert.Throws<ArgumentException>(() => Ops.Cholesky(Var.Const(Tensor.Matrix(new float[,] { { 1, 2 }, { 2, 1 } }))));

    [Fact] public void Cholesky_Matrix_MatchesFiniteDifferences() => Check(x => Ops.Cholesky(Spd(x[0])), RandomTensor(Rng, [4, 4]));
    [Fact] public void Cholesky_Batched_MatchesFiniteDifferences() => Check(x => Ops.Cholesky(Spd(x[0])), RandomTensor(Rng, [2, 3, 3]));
}
