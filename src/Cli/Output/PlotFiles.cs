using System.Text.RegularExpressions;
using ScottPlot;

namespace Ppl.Cli.Output;

/// <summary>Renders a ScottPlot plot to PNG bytes and SVG text (written by <see cref="OutputFolder"/> under temporary names).</summary>
public static partial class PlotFiles
{
    /// <summary>The plot as a PNG image.</summary>
    public static byte[] Png(Plot plot, int width, int height) => plot.GetImageBytes(width, height, ImageFormat.Png);

    /// <summary>
    /// The plot as an SVG document. Skia numbers clip paths with a counter shared by the whole process
    /// (<c>cl_a8</c>); they are renumbered from 0 in order of appearance, so the same plot gives the same file
    /// whatever was drawn before it.
    /// </summary>
    public static string Svg(Plot plot, int width, int height)
    {
        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        return ClipId().Replace(plot.GetSvgXml(width, height), m =>
        {
            if (!ids.TryGetValue(m.Value, out var id)) ids[m.Value] = id = $"cl_{ids.Count}";
            return id;
        });
    }

    [GeneratedRegex(@"\bcl_[0-9a-f]+\b")]
    private static partial Regex ClipId();
}
