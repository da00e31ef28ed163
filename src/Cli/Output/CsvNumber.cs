using System.Globalization;

namespace Ppl.Cli.Output;

/// <summary>Numbers as the CSV outputs print them: 6 significant digits like CmdStan (C++'s default stream precision).</summary>
public static class CsvNumber
{
    /// <summary><c>4.61921</c>, <c>-44.8807</c>, <c>1.5e-07</c>, <c>nan</c>, <c>inf</c>.</summary>
    public static string Format(double v)
    {
        if (double.IsNaN(v)) return "nan";
        if (double.IsInfinity(v)) return v > 0 ? "inf" : "-inf";
        return v.ToString("G6", CultureInfo.InvariantCulture).Replace("E", "e", StringComparison.Ordinal);
    }
}
