using System.Runtime.InteropServices;
using SkiaSharp;

namespace Ppl.Cli.Output;

/// <summary>
/// Grey-scale images tiled into one PNG: a grid of <c>columns</c> tiles with a one-pixel dark gutter, each pixel value
/// in [0, 1] (a Bernoulli probability, a grey level divided by 255) mapped to 0..255, white the brightest; values outside
/// [0, 1] are clamped. Written with SkiaSharp, which the plots already ship.
/// </summary>
public static class ImageGrid
{
    /// <summary>Pixels between tiles.</summary>
    public const int Gutter = 1;

    /// <summary>The grid as PNG bytes. Tiles are enlarged by <paramref name="zoom"/> (nearest neighbour) so small images stay visible.</summary>
    public static byte[] Png(IReadOnlyList<float[]> images, ImageShape shape, int columns, int zoom = 2)
    {
        if (images.Count == 0) throw new ArgumentException("no images to draw", nameof(images));
        columns = Math.Clamp(columns, 1, images.Count);
        int rows = (images.Count + columns - 1) / columns;
        int tileW = shape.Width * zoom, tileH = shape.Height * zoom;
        int width = columns * (tileW + Gutter) + Gutter, height = rows * (tileH + Gutter) + Gutter;
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Gray8, SKAlphaType.Opaque));
        int stride = bitmap.RowBytes;
        var pixels = new byte[stride * height];
        Array.Fill(pixels, GutterLevel);
        for (int t = 0; t < images.Count; t++)
        {
            int x0 = Gutter + (t % columns) * (tileW + Gutter), y0 = Gutter + (t / columns) * (tileH + Gutter);
            var image = images[t];
            for (int y = 0; y < tileH; y++)
                for (int x = 0; x < tileW; x++)
                    pixels[(y0 + y) * stride + x0 + x] = Level(image[(y / zoom) * shape.Width + x / zoom]);
        }
        Marshal.Copy(pixels, 0, bitmap.GetPixels(), pixels.Length);
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    /// <summary>The grey level of a value in [0, 1] (NaN is black).</summary>
    public static byte Level(float v) => float.IsNaN(v) ? (byte)0 : (byte)Math.Round(Math.Clamp(v, 0f, 1f) * 255f);

    /// <summary>The gutter's grey, darker than any background a tile is likely to have but not black.</summary>
    const byte GutterLevel = 64;
}
