using System.Globalization;

namespace Ppl.Inference.Posterior;

/// <summary>
/// Draws of named values (latent, deterministic or predicted sites), each stored as S draws of its shape, draw-major.
/// </summary>
public sealed class PosteriorSamples
{
    readonly List<string> order = new();
    readonly Dictionary<string, (int[] Shape, List<float> Data)> sites = new();

    /// <summary>Number of draws.</summary>
    public int Draws { get; internal set; }

    /// <summary>Site names in the order the model declares them.</summary>
    public IReadOnlyList<string> Names => order;

    /// <summary>The shape of one draw of <paramref name="name"/>.</summary>
    public int[] ShapeOf(string name) => sites[name].Shape;

    /// <summary>All draws of <paramref name="name"/>: <see cref="Draws"/> × size, draw-major.</summary>
    public float[] this[string name] => sites[name].Data.ToArray();

    /// <summary>Whether <paramref name="name"/> was recorded.</summary>
    public bool Contains(string name) => sites.ContainsKey(name);

    internal void Add(string name, int[] shape, ReadOnlySpan<float> values)
    {
        if (!sites.TryGetValue(name, out var s))
        {
            sites[name] = s = ([.. shape], new List<float>());   // a copy: the draw's tensors are recycled
            order.Add(name);
        }
        else if (!s.Shape.SequenceEqual(shape))
            throw new InvalidOperationException($"site '{name}' changed shape between draws ({string.Join("x", s.Shape)} then {string.Join("x", shape)}); summarise it per draw instead");
        foreach (float v in values) s.Data.Add(v);
    }

    /// <summary>
    /// Per scalar entry of every site: mean, sd and the 5%, 50% and 95% quantiles (linear interpolation between order
    /// statistics, NumPy's default), named <c>theta[3]</c> or <c>L[1, 2]</c> with 0-based indices.
    /// </summary>
    public IReadOnlyList<ScalarSummary> Summarize()
    {
        var result = new List<ScalarSummary>();
        foreach (var name in order)
        {
            var (shape, data) = sites[name];
            int size = shape.Aggregate(1, (a, b) => a * b);
            var column = new double[Draws];
            for (int e = 0; e < size; e++)
            {
                for (int d = 0; d < Draws; d++) column[d] = data[d * size + e];
                result.Add(ScalarSummary.Of(ElementName(name, shape, e), column));
            }
        }
        return result;
    }

    static string ElementName(string name, int[] shape, int flat)
    {
        if (shape.Length == 0) return name;
        var idx = new int[shape.Length];
        for (int i = shape.Length - 1; i >= 0; i--) { idx[i] = flat % shape[i]; flat /= shape[i]; }
        return name + "[" + string.Join(", ", idx.Select(i => i.ToString(CultureInfo.InvariantCulture))) + "]";
    }
}

/// <summary>Summary of one scalar's draws.</summary>
public sealed record ScalarSummary(string Name, double Mean, double Sd, double Q5, double Q50, double Q95)
{
    /// <summary>Summarises <paramref name="draws"/> (reordered in place).</summary>
    public static ScalarSummary Of(string name, double[] draws)
    {
        int n = draws.Length;
        double mean = draws.Average();
        double sd = n > 1 ? Math.Sqrt(draws.Sum(x => (x - mean) * (x - mean)) / (n - 1)) : 0;
        Array.Sort(draws);
        return new ScalarSummary(name, mean, sd, Quantile(draws, 0.05), Quantile(draws, 0.5), Quantile(draws, 0.95));
    }

    /// <summary>The q-quantile of sorted values, interpolating linearly at position q·(n − 1).</summary>
    public static double Quantile(double[] sorted, double q)
    {
        double pos = q * (sorted.Length - 1);
        int lo = (int)Math.Floor(pos), hi = Math.Min(lo + 1, sorted.Length - 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }

    /// <summary>A fixed-width table of summaries.</summary>
    public static string Table(IEnumerable<ScalarSummary> rows)
    {
        var list = rows.ToList();
        int w = Math.Max(8, list.Select(r => r.Name.Length).DefaultIfEmpty(0).Max());
        var sb = new System.Text.StringBuilder();
        sb.AppendLine($"{"".PadRight(w)} {"mean",10} {"sd",10} {"5%",10} {"50%",10} {"95%",10}");
        foreach (var r in list)
            sb.AppendLine(string.Create(CultureInfo.InvariantCulture, $"{r.Name.PadRight(w)} {r.Mean,10:G4} {r.Sd,10:G4} {r.Q5,10:G4} {r.Q50,10:G4} {r.Q95,10:G4}"));
        return sb.ToString();
    }
}
