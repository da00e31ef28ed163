using Ppl.Runtime.Tensors;

namespace Ppl.Runtime.Tests.Tensors;

public class BinaryKernelsTests
{
    static Tensor Seq(params int[] shape)
    {
        var t = Tensor.Zeros(shape);
        var s = t.Span;
        for (int i = 0; i < s.Length; i++) s[i] = i * 0.5f - 3;
        return t;
    }

    /// <summary>Reference broadcast by explicit index arithmetic.</summary>
    static float At(Tensor t, int[] outIdx)
    {
        int off = outIdx.Length - t.Rank, flat = 0;
        for (int i = 0; i < t.Rank; i++) flat = flat * t.Shape[i] + (t.Shape[i] == 1 ? 0 : outIdx[i + off]);
        return t.Span[flat];
    }

    public static TheoryData<int[], int[]> Pairs => new()
    {
        { [3, 4], [3, 4] }, { [3, 4], [4] }, { [3, 1], [1, 4] }, { [2, 3, 4], [3, 1] }, { [2, 1, 4], [3, 1] },
        { [4, 1], [] }, { [1], [2, 3] }, { [2, 3, 1, 5], [3, 4, 1] }, { [5, 1, 1], [1, 1, 6] }, { [0, 3], [3] },
    };

    [Theory, MemberData(nameof(Pairs))]
    public void Apply_AnyBroadcast_MatchesIndexReference(int[] sa, int[] sb)
    {
        var a = Seq(sa); var b = Seq(sb);
        var shape = Shapes.Broadcast(sa, sb);
        var d = Tensor.Zeros(shape);
        BinaryKernels.Apply<BinaryKernels.Sub>(a, b, d);
        var idx = new int[shape.Length];
        for (int flat = 0; flat < d.Size; flat++)
        {
            for (int i = shape.Length - 1, r = flat; i >= 0; i--) { idx[i] = r % shape[i]; r /= shape[i]; }
            Assert.Equal(At(a, idx) - At(b, idx), d.Span[flat]);
        }
    }

    [Fact]
    public void Broadcast_Incompatible_ThrowsShapeException() =>
        Assert.Throws<ShapeException>(() => Shapes.Broadcast([3, 4], [3]));

    [Theory, MemberData(nameof(Pairs))]
    public void SumToShape_IsAdjointOfBroadcast(int[] sa, int[] sb)
    {
        // ⟨broadcast(a), g⟩ = ⟨a, sumToShape(g)⟩ for every a and g.
        var shape = Shapes.Broadcast(sa, sb);
        var a = Seq(sa); var g = Seq(shape);
        var ba = Tensor.Zeros(shape);
        BinaryKernels.Apply<BinaryKernels.Add>(a, Tensor.Scalar(0), ba);
        var s = Tensor.Zeros(sa);
        Kernels.SumToShapeAccumulate(g, s);
        double lhs = 0, rhs = 0;
        for (int i = 0; i < ba.Size; i++) lhs += ba.Span[i] * g.Span[i];
        for (int i = 0; i < a.Size; i++) rhs += a.Span[i] * s.Span[i];
        Assert.Equal(lhs, rhs, 6);
    }
}
