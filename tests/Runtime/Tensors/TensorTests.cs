using Ppl.Runtime.Tensors;

namespace Ppl.Runtime.Tests.Tensors;

public class TensorTests
{
    [Fact]
    public void Reshape_InfersOneDimension_AndSharesStorage()
    {
        var t = Tensor.FromArray([1, 2, 3, 4, 5, 6], 2, 3);
        var r = t.Reshape(-1, 2);
        Assert.Equal([3, 2], r.Shape);
        r[0, 1] = 9;
        Assert.Equal(9, t[0, 1]);
    }

    [Fact]
    public void Reshape_WrongSize_Throws() => Assert.Throws<ShapeException>(() => Tensor.Zeros(2, 3).Reshape(4, 2));

    [Fact]
    public void SliceRows_IsAView()
    {
        var t = Tensor.FromArray([1, 2, 3, 4, 5, 6], 3, 2);
        var s = t.SliceRows(1, 3);
        Assert.Equal(new float[] { 3, 4, 5, 6 }, s.ToArray());
        s[0, 0] = 0;
        Assert.Equal(0, t[1, 0]);
    }

    [Fact]
    public void Indexer_OutOfRange_Throws() => Assert.Throws<IndexOutOfRangeException>(() => Tensor.Zeros(2, 2)[2, 0]);

    [Fact]
    public void FromArray_WrongCount_Throws() => Assert.Throws<ShapeException>(() => Tensor.FromArray([1, 2, 3], 2, 2));
}
