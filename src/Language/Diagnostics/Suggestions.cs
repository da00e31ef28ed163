namespace Ppl.Language.Diagnostics;

/// <summary>
/// "Did you mean" for misspelt names: the closest candidate by optimal-string-alignment distance
/// (Levenshtein plus adjacent transpositions, Damerau 1964), accepted only when the distance is small
/// relative to the name, so unrelated names are never suggested.
/// </summary>
public static class Suggestions
{
    /// <summary>The best candidate for a misspelt <paramref name="name"/>, or null when none is close.</summary>
    public static string? Closest(string name, IEnumerable<string> candidates)
    {
        // One edit for short names, about a third of the length for longer ones (rustc uses the same scale).
        int limit = Math.Max(1, name.Length / 3);
        string? best = null;
        int bestDistance = int.MaxValue;
        foreach (var c in candidates)
        {
            if (c == name) continue;
            int d = string.Equals(c, name, StringComparison.OrdinalIgnoreCase) ? 0 : Distance(name, c);
            if (d <= limit && d < bestDistance) { best = c; bestDistance = d; }
        }
        return best;
    }

    /// <summary>Optimal string alignment distance: insertions, deletions, substitutions, adjacent swaps.</summary>
    public static int Distance(string a, string b)
    {
        int n = a.Length, m = b.Length;
        var d = new int[n + 1, m + 1];
        for (int i = 0; i <= n; i++) d[i, 0] = i;
        for (int j = 0; j <= m; j++) d[0, j] = j;
        for (int i = 1; i <= n; i++)
            for (int j = 1; j <= m; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                int v = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) v = Math.Min(v, d[i - 2, j - 2] + 1);
                d[i, j] = v;
            }
        return d[n, m];
    }
}
