namespace Ppl.Cli.Output;

/// <summary><c>summary.csv</c>: <c>name,mean,sd,q5,q50,q95</c>, one row per scalar, names 0-based as the language indexes (<c>theta[3]</c>).</summary>
public static class SummaryCsvWriter
{
    /// <summary>Writes the summary of <paramref name="rows"/>.</summary>
    public static void Write(IReadOnlyList<SummaryRow> rows, TextWriter w)
    {
        w.Write("name,mean,sd,q5,q50,q95\n");
        foreach (var r in rows)
            w.Write($"{Quote(r.Name)},{CsvNumber.Format(r.Mean)},{CsvNumber.Format(r.Sd)},{CsvNumber.Format(r.Q5)},{CsvNumber.Format(r.Q50)},{CsvNumber.Format(r.Q95)}\n");
    }

    /// <summary>Quotes a name holding a comma (<c>W[1,0]</c>), as RFC 4180 asks.</summary>
    static string Quote(string name) => name.Contains(',') ? $"\"{name.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : name;
}
