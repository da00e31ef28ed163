namespace Ppl.Runtime.Autodiff;

/// <summary>
/// An immutable set of site names: the provenance of a value, i.e. the non-reparameterized sample sites it was
/// computed from (Pyro's <c>pyro.ops.provenance</c>, used by its TraceGraph_ELBO to find each score-function site's
/// downstream cost). Values with no such ancestor carry <c>null</c>, so a fully reparameterized model pays nothing;
/// sets are small (a handful of sites), stored sorted, and shared between values whenever a union adds nothing.
/// </summary>
public sealed class SiteSet
{
    readonly string[] names;   // sorted ordinal, distinct, non-empty

    SiteSet(string[] names) => this.names = names;

    /// <summary>The set holding one site.</summary>
    public static SiteSet Of(string site) => new([site]);

    /// <summary>The names, sorted.</summary>
    public IReadOnlyList<string> Names => names;

    /// <summary>Number of sites.</summary>
    public int Count => names.Length;

    /// <summary>Whether the set holds <paramref name="site"/>.</summary>
    public bool Contains(string site) => Array.BinarySearch(names, site, StringComparer.Ordinal) >= 0;

    /// <summary>a ∪ b, where null is the empty set; returns an operand unchanged when the other adds nothing.</summary>
    public static SiteSet? Union(SiteSet? a, SiteSet? b)
    {
        if (a is null || ReferenceEquals(a, b)) return b;
        if (b is null) return a;
        if (a.IsSupersetOf(b)) return a;
        if (b.IsSupersetOf(a)) return b;
        var merged = new string[a.names.Length + b.names.Length];
        int i = 0, j = 0, k = 0;
        while (i < a.names.Length || j < b.names.Length)
        {
            int c = i == a.names.Length ? 1 : j == b.names.Length ? -1 : string.CompareOrdinal(a.names[i], b.names[j]);
            if (c <= 0) { merged[k++] = a.names[i++]; if (c == 0) j++; }
            else merged[k++] = b.names[j++];
        }
        return new SiteSet(merged[..k]);
    }

    /// <summary>Whether every site of <paramref name="other"/> is in this set.</summary>
    public bool IsSupersetOf(SiteSet other)
    {
        if (other.names.Length > names.Length) return false;
        foreach (var n in other.names) if (!Contains(n)) return false;
        return true;
    }

    /// <inheritdoc/>
    public override string ToString() => "{" + string.Join(", ", names) + "}";
}
