using Ppl.Runtime.Autodiff;

namespace Ppl.Runtime.Sites;

/// <summary>The sites of one run, in the order they were declared.</summary>
public sealed class Trace
{
    readonly List<Site> sites = new(16);   // sized for a typical run, so adding seldom regrows them
    readonly Dictionary<string, int> byName = new(16);   // name → position in sites

    /// <summary>All sites in declaration order.</summary>
    public IReadOnlyList<Site> Sites => sites;

    /// <summary>The site of a name.</summary>
    public Site this[string name] => byName.TryGetValue(name, out var i) ? sites[i] : throw new KeyNotFoundException($"no site '{name}' in the trace");

    /// <summary>Whether a site of this name was recorded.</summary>
    public bool Contains(string name) => byName.ContainsKey(name);

    /// <summary>The site of a name, or null.</summary>
    public Site? Find(string name) => byName.TryGetValue(name, out var i) ? sites[i] : null;

    /// <summary>The position of the site of a name in <see cref="Sites"/> (program order), or −1.</summary>
    public int IndexOf(string name) => byName.TryGetValue(name, out var i) ? i : -1;

    /// <summary>Latent sample sites (not observed).</summary>
    public IEnumerable<Site> Latents => sites.Where(s => s.Kind == SiteKind.Sample && !s.IsObserved);

    /// <summary>Observed sample sites.</summary>
    public IEnumerable<Site> Observations => sites.Where(s => s.Kind == SiteKind.Sample && s.IsObserved);

    internal void Add(Site site)
    {
        byName[site.Name] = sites.Count;
        sites.Add(site);
    }

    /// <summary>
    /// log p(all sample sites, factors) = Σ over sample and factor sites of scale · Σ log p(value), a differentiable
    /// scalar. For a model trace this is the log joint; for a guide trace, log q of the latents.
    /// </summary>
    public Var LogJoint()
    {
        Var? total = null;
        foreach (var s in sites)
        {
            if (s.Kind is not (SiteKind.Sample or SiteKind.Factor)) continue;
            var term = s.ScaledLogProbSum();
            total = total is null ? term : Ops.Add(total, term);
        }
        return total ?? Var.Const(0f);
    }
}
