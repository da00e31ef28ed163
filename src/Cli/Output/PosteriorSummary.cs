namespace Ppl.Cli.Output;

/// <summary>One scalar's posterior summary: mean, standard deviation and the 5%, 50%, 95% quantiles of the draws.</summary>
public sealed record SummaryRow(string Name, double Mean, double Sd, double Q5, double Q50, double Q95);

/// <summary>Summaries of every scalar of a <see cref="PosteriorTable"/>, in column order.</summary>
public static class PosteriorSummary
{
    /// <summary>
    /// One row per scalar. The sd divides by n − 1; quantiles interpolate linearly between order statistics
    /// (Hyndman and Fan 1996, type 7: R's and NumPy's default), so they match what users compute on draws.csv.
    /// </summary>
    public static IReadOnlyList<SummaryRow> Of(PosteriorTable table)
    {
        table.Validate();
        var names = table.Variables.SelectMany(v => v.ScalarNames()).ToArray();
        var rows = new SummaryRow[names.Length];
        var column = new double[table.Draws.Length];
        for (int c = 0; c < names.Length; c++)
        {
            for (int d = 0; d < column.Length; d++) column[d] = table.Draws[d][c];
            Array.Sort(column);
            double mean = column.Length > 0 ? column.Average() : double.NaN;
            double ss = 0;
            foreach (var x in column) ss += (x - mean) * (x - mean);
            double sd = column.Length > 1 ? Math.Sqrt(ss / (column.Length - 1)) : double.NaN;
            rows[c] = new(names[c], mean, sd, Quantile(column, 0.05), Quantile(column, 0.5), Quantile(column, 0.95));
        }
        return rows;
    }

    /// <summary>The <paramref name="p"/>-quantile of sorted values, type 7.</summary>
    public static double Quantile(double[] sorted, double p)
    {
        if (sorted.Length == 0) return double.NaN;
        double h = (sorted.Length - 1) * p;
        int lo = (int)Math.Floor(h);
        int hi = Math.Min(lo + 1, sorted.Length - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }
}
