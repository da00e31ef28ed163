using ScottPlot;

namespace Ppl.Cli.Output;

/// <summary>
/// <c>posterior.png</c> and <c>posterior.svg</c>: a forest plot, one row per scalar from the top, a line over its
/// 5–95% interval and a dot at its median, drawn with ScottPlot.
/// </summary>
public static class PosteriorPlot
{
    /// <summary>Most rows drawn; a larger model's plot says how many it left out (summary.csv has them all).</summary>
    public const int MaxRows = 200;

    /// <summary>The plot of <paramref name="rows"/> and the pixel height that fits them.</summary>
    public static (Plot Plot, int Height) Create(IReadOnlyList<SummaryRow> rows)
    {
        var plot = new Plot();
        var shown = rows.Take(MaxRows).ToArray();
        var positions = new double[shown.Length];
        var labels = new string[shown.Length];
        for (int i = 0; i < shown.Length; i++)
        {
            var r = shown[i];
            double y = shown.Length - 1 - i;
            positions[i] = y;
            labels[i] = r.Name;
            var line = plot.Add.Line(r.Q5, y, r.Q95, y);
            line.Color = Colors.SteelBlue;
            line.LineWidth = 2;
            var dot = plot.Add.Marker(r.Q50, y);
            dot.Color = Colors.DarkBlue;
            dot.Size = 7;
        }
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(positions, labels);
        plot.Axes.SetLimitsY(-0.75, shown.Length - 0.25);
        plot.Title(rows.Count > shown.Length ? $"posterior: 5%, 50%, 95% (first {shown.Length} of {rows.Count} scalars)" : "posterior: 5%, 50%, 95%");
        plot.XLabel("value");
        return (plot, 120 + 22 * Math.Max(shown.Length, 3));
    }
}
