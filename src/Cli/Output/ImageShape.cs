using System.Globalization;
using Ppl.Runtime.Sites;

namespace Ppl.Cli.Output;

/// <summary>
/// How the CLI knows an observed site holds images, and their height and width (docs/language.md §3, pictures). A site
/// observed inside a plate is an image per plate element when each element is a square of scalars, D = H·H with
/// H ≥ 8 (Fashion-MNIST's 784 = 28×28, read from IDX and declared <c>real[N, 784]</c>), or an H×W matrix with both
/// sides at least 8 (<c>real[N, 28, 28]</c>). <c>--image-shape HxW</c> states the shape when the element is not square
/// (e.g. 32×24 = 768 pixels); then an element must hold exactly H·W scalars.
/// </summary>
/// <param name="Height">Rows of pixels.</param>
/// <param name="Width">Columns of pixels.</param>
public sealed record ImageShape(int Height, int Width)
{
    /// <summary>The smallest side a guessed image may have: smaller squares (a 2×2 covariance, 16 features) are not pictures.</summary>
    public const int MinSide = 8;

    /// <summary>Pixels per image.</summary>
    public int Pixels => Height * Width;

    /// <summary>The user error when <paramref name="option"/> asks for pictures of a model that observes none.</summary>
    public static UserException NoImages(string option, string model) =>
        new($"{option}: model {model} observes no images (an observed site in a plate whose elements are HxH with H >= 8, an HxW matrix, or the size --image-shape gives)");

    /// <summary>Parses <c>--image-shape HxW</c> (e.g. <c>28x28</c>); a malformed value is a <see cref="UserException"/>.</summary>
    public static ImageShape Parse(string text)
    {
        var parts = text.Split('x', 'X', '×');
        if (parts.Length == 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int h)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int w) && h > 0 && w > 0)
            return new ImageShape(h, w);
        throw new UserException($"--image-shape {text}: expected HEIGHTxWIDTH, e.g. 28x28");
    }

    /// <summary>
    /// The first observed site of <paramref name="model"/> that holds one image per plate element, with its shape
    /// (<paramref name="stated"/> when given), or null when none does.
    /// </summary>
    public static (Site Site, ImageShape Shape)? Find(Trace model, ImageShape? stated)
    {
        foreach (var s in model.Observations)
            if (Of(s, stated) is { } shape) return (s, shape);
        return null;
    }

    /// <summary>The image shape of one element of <paramref name="site"/>, or null when its elements are not images.</summary>
    public static ImageShape? Of(Site site, ImageShape? stated)
    {
        if (site.Plates.Count == 0 || site.Value is null) return null;
        var shape = site.Value.Shape;
        int plates = site.Plates.Count;
        if (shape.Length <= plates) return null;
        var element = shape[plates..];
        int size = element.Aggregate(1, (a, b) => a * b);
        if (stated is not null) return size == stated.Pixels ? stated : null;
        if (element.Length == 2 && element[0] >= MinSide && element[1] >= MinSide) return new ImageShape(element[0], element[1]);
        if (element.Length != 1) return null;
        int side = (int)Math.Round(Math.Sqrt(size));
        return side >= MinSide && side * side == size ? new ImageShape(side, side) : null;
    }

    /// <summary>The images (one float[] of <see cref="Pixels"/> each) held by a plated tensor's first <paramref name="count"/> elements.</summary>
    public IReadOnlyList<float[]> Split(ReadOnlySpan<float> values, int count)
    {
        var images = new float[Math.Min(count, values.Length / Pixels)][];
        for (int i = 0; i < images.Length; i++) images[i] = values.Slice(i * Pixels, Pixels).ToArray();
        return images;
    }

    /// <inheritdoc/>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Height}x{Width}");
}
