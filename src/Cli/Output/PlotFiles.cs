using System.Text.RegularExpressions;
using ScottPlot;

namespace Ppl.Cli.Output;

/// <summary>Renders a ScottPlot plot to PNG bytes and SVG text (written by <see cref="OutputFolder"/> under temporary names).</summary>
public static partial class PlotFiles
{
    static Task? warmUp;

    /// <summary>
    /// Starts paying, on a pool thread, what the first plot of a process costs (for eight schools more than the fit):
    /// Skia's font manager opens every font under /usr/share/fonts when ScottPlot first asks for a typeface, and the
    /// render path is compiled. <c>ppl fit</c> calls this before the fit so the cost overlaps it; the first
    /// <see cref="Png"/> or <see cref="Svg"/> waits for it, so two plots are never drawn at once.
    /// </summary>
    public static void WarmUp() => warmUp ??= Task.Run(() =>
    {
        var plot = new Plot();
        var line = plot.Add.ScatterLine(new double[] { 0, 1 }, new double[] { 0, 1 });
        line.LegendText = "warm-up";
        plot.Title("warm-up");
        plot.XLabel("x");
        plot.ShowLegend(Alignment.LowerRight);
        plot.GetImageBytes(64, 48, ImageFormat.Png);
        plot.GetSvgXml(64, 48);
    });

    /// <summary>
    /// Waits for a <see cref="WarmUp"/> still running. The process must not end while the warm-up is inside Skia's native
    /// code: an early exit (a user error before the plots, a rank that writes nothing) then died of SIGSEGV at shutdown.
    /// </summary>
    public static void Settle() => AfterWarmUp();

    /// <summary>Waits for <see cref="WarmUp"/>; its failure is not reported here (the real plot reports its own).</summary>
    static void AfterWarmUp()
    {
        try { warmUp?.Wait(); }
        catch (AggregateException) { }
    }

    /// <summary>The plot as a PNG image.</summary>
    public static byte[] Png(Plot plot, int width, int height)
    {
        AfterWarmUp();
        return plot.GetImageBytes(width, height, ImageFormat.Png);
    }

    /// <summary>
    /// The plot as an SVG document. Skia numbers clip paths with a counter shared by the whole process
    /// (<c>cl_a8</c>); they are renumbered from 0 in order of appearance, so the same plot gives the same file
    /// whatever was drawn before it.
    /// </summary>
    public static string Svg(Plot plot, int width, int height)
    {
        AfterWarmUp();
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
