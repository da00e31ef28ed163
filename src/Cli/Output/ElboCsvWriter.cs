using System.Globalization;

namespace Ppl.Cli.Output;

/// <summary><c>elbo.csv</c>: <c>step,elbo</c>, one row per step, the ELBO to full precision (round-trip).</summary>
public static class ElboCsvWriter
{
    /// <summary>Writes the trace.</summary>
    public static void Write(ElboTrace trace, TextWriter w)
    {
        w.Write("step,elbo\n");
        for (int i = 0; i < trace.Steps.Length; i++)
            w.Write($"{trace.Steps[i].ToString(CultureInfo.InvariantCulture)},{trace.Elbo[i].ToString("R", CultureInfo.InvariantCulture)}\n");
    }
}
