using Ppl.Cli.Output;
using SkiaSharp;

namespace Ppl.Cli.Tests.Output;

public class ImageGridTests
{
    static readonly ImageShape Shape = new(8, 10);

    /// <summary>Image t's pixel (r, c) is (r·10 + c + t) / 100: a ramp whose grey levels are all distinct and known.</summary>
    static float[] Ramp(int t) => Enumerable.Range(0, Shape.Pixels).Select(i => (i + t) / 100f).ToArray();

    [Fact]
    public void Png_ThreeImagesInTwoColumns_DecodesToTheGridWithEveryPixelsLevel()
    {
        var images = new[] { Ramp(0), Ramp(1), Ramp(2) };
        using var bitmap = SKBitmap.Decode(ImageGrid.Png(images, Shape, columns: 2, zoom: 2));
        int tileW = 2 * Shape.Width, tileH = 2 * Shape.Height;
        Assert.Equal(2 * (tileW + ImageGrid.Gutter) + ImageGrid.Gutter, bitmap.Width);
        Assert.Equal(2 * (tileH + ImageGrid.Gutter) + ImageGrid.Gutter, bitmap.Height);
        for (int t = 0; t < images.Length; t++)
        {
            int x0 = ImageGrid.Gutter + (t % 2) * (tileW + ImageGrid.Gutter), y0 = ImageGrid.Gutter + (t / 2) * (tileH + ImageGrid.Gutter);
            for (int y = 0; y < tileH; y++)
                for (int x = 0; x < tileW; x++)
                {
                    var c = bitmap.GetPixel(x0 + x, y0 + y);
                    byte expected = ImageGrid.Level(images[t][(y / 2) * Shape.Width + x / 2]);
                    Assert.Equal(expected, c.Red);
                    Assert.Equal(c.Red, c.Green);
                }
        }
    }

    [Theory]
    [InlineData(0f, 0)]
    [InlineData(1f, 255)]
    [InlineData(0.5f, 128)]
    [InlineData(-3f, 0)]
    [InlineData(7f, 255)]
    [InlineData(float.NaN, 0)]
    public void Level_ValueInOrOutOfTheUnitInterval_IsClampedGrey(float v, int level) => Assert.Equal(level, ImageGrid.Level(v));
}
