using Ppl.Cli.Output;
using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Sites;
using Ppl.Runtime.Tensors;

namespace Ppl.Cli.Tests.Output;

public class ImageShapeTests
{
    static Site Observed(int[] shape, int plates)
    {
        var frames = Enumerable.Range(0, plates).Select(i => new PlateFrame($"p{i}", shape[i], IntTensor.Range(shape[i]), i)).ToArray();
        return new Site { Name = "x", Kind = SiteKind.Sample, IsObserved = true, Value = Var.Const(Tensor.Zeros(shape)), Plates = frames };
    }

    [Theory]
    [InlineData(new[] { 128, 784 }, 1, 28, 28)]
    [InlineData(new[] { 128, 28, 28 }, 1, 28, 28)]
    [InlineData(new[] { 4, 32, 24 }, 1, 32, 24)]
    [InlineData(new[] { 4, 64 }, 1, 8, 8)]
    public void Of_PlatedSquareOrMatrixElements_IsAnImage(int[] shape, int plates, int h, int w) =>
        Assert.Equal(new ImageShape(h, w), ImageShape.Of(Observed(shape, plates), null));

    [Theory]
    [InlineData(new[] { 784 }, 0)]       // no plate: one vector, not images
    [InlineData(new[] { 128, 49 }, 1)]   // 7×7 is too small to be a picture
    [InlineData(new[] { 128, 768 }, 1)]  // not a square
    [InlineData(new[] { 128, 4, 30 }, 1)]
    [InlineData(new[] { 128 }, 1)]       // scalar elements
    public void Of_OtherShapes_IsNotAnImage(int[] shape, int plates) => Assert.Null(ImageShape.Of(Observed(shape, plates), null));

    [Fact]
    public void Of_StatedShape_TakesElementsOfExactlyThatSize()
    {
        Assert.Equal(new ImageShape(32, 24), ImageShape.Of(Observed([5, 768], 1), ImageShape.Parse("32x24")));
        Assert.Null(ImageShape.Of(Observed([5, 784], 1), ImageShape.Parse("32x24")));
    }

    [Theory]
    [InlineData("28")]
    [InlineData("28x")]
    [InlineData("0x28")]
    [InlineData("-2x3")]
    [InlineData("axb")]
    public void Parse_Malformed_IsAUserError(string text) => Assert.Throws<UserException>(() => ImageShape.Parse(text));
}
