using ScottPlot;

namespace Ppl.Cli.Output;

/// <summary><c>elbo.png</c> and <c>elbo.svg</c>: the ELBO per step (light) and its smoothed line (dark), drawn with ScottPlot.</summary>
public static class ElboPlot
{
    /// <summary>The plot of <paramref name="trace"/>.</summary>
    public static Plot Create(ElboTrace trace)
    {
        var plot = new Plot();
        double[] xs = [.. trace.Steps.Select(s => (double)s)];
        // Non-finite ELBOs (a diverging step) would wreck the axis limits; they are left out of the picture.
        var finite = Enumerable.Range(0, xs.Length).Where(i => double.IsFinite(trace.Elbo[i])).ToArray();
        double[] x = [.. finite.Select(i => xs[i])], y = [.. finite.Select(i => trace.Elbo[i])];
        var raw = plot.Add.ScatterLine(x, y);
        raw.Color = Colors.SteelBlue.WithAlpha(0.35);
        raw.LineWidth = 1;
        raw.LegendText = "ELBO";
        var smooth = plot.Add.ScatterLine(x, ElboSmoother.Smooth(y));
        smooth.Color = Colors.DarkBlue;
        smooth.LineWidth = 2;
        smooth.LegendText = "smoothed";
        plot.Title("ELBO");
        plot.XLabel("step");
        plot.YLabel("ELBO");
        plot.ShowLegend(Alignment.LowerRight);
        if (y.Length > 10)
        {
            // The first steps are often orders of magnitude below the rest; frame the last 90% so the plateau is readable.
            var tail = y.Skip(y.Length / 10).ToArray();
            double lo = tail.Min(), hi = tail.Max(), pad = Math.Max((hi - lo) * 0.1, 1e-9);
            plot.Axes.SetLimitsY(lo - pad, hi + pad);
        }
        return plot;
    }
}
