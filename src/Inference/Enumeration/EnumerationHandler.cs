using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Distributions;
using Ppl.Runtime.Sites;
using Ppl.Runtime.Tensors;

namespace Ppl.Inference.Enumeration;

/// <summary>
/// Stacked innermost on the model's context in one enumeration run: every latent site that the guide does not sample
/// and whose distribution has a finite support takes the value <c>min(run, K − 1)</c> of its support (all plate
/// elements alike), tagged with its own provenance. Generated code reads a discrete value as an int index
/// (<c>trans[z[t-1]]</c>), which drops provenance; the tape notes such escapes, and this handler charges the escapes
/// noted since the previous site to the site now being processed (its distribution or observed value was built from
/// them). Escapes of sites that are not enumerated are kept and handed back to the tape after the run.
/// </summary>
sealed class EnumerationHandler(Trace guide, int run, Tape? tape) : Handler
{
    /// <summary>Enumerated sites read as plain numbers just before each site, by site name.</summary>
    public Dictionary<string, SiteSet> EscapedInto { get; } = new();

    /// <summary>The enumerated sites of this run, in program order.</summary>
    public List<string> Enumerated { get; } = new();

    /// <summary>Escapes of non-enumerated sites, to be noted on the tape again after the run.</summary>
    public SiteSet? OtherEscapes { get; private set; }

    /// <summary>Whether a model site is enumerated given the guide's trace: latent, not sampled by the guide, finite support.</summary>
    public static bool IsEnumerable(Site site, Trace guide) =>
        site is { Kind: SiteKind.Sample, IsObserved: false } && site.Distribution is { HasEnumerateSupport: true }
        && guide.Find(site.Name) is not { Kind: SiteKind.Sample };

    /// <inheritdoc/>
    public override void Process(Site site)
    {
        if (tape?.TakeEscaped() is { } escaped)
        {
            var mine = new List<string>();
            foreach (var n in escaped.Names)
                if (Enumerated.Contains(n)) mine.Add(n);
                else OtherEscapes = SiteSet.Union(OtherEscapes, SiteSet.Of(n));
            SiteSet? set = null;
            foreach (var n in mine) set = SiteSet.Union(set, SiteSet.Of(n));
            if (set is not null) EscapedInto[site.Name] = set;
        }
        if (site.Value is not null || !IsEnumerable(site, guide)) return;
        site.Value = Ops.Tag(ValueAt(site.Distribution!, run, tape), SiteSet.Of(site.Name));
        Enumerated.Add(site.Name);
    }

    /// <summary>
    /// Value min(<paramref name="run"/>, K − 1) of <paramref name="d"/>'s support for every element: what an enumerated
    /// site holds in run <paramref name="run"/> (here for the model's sites, in <see cref="GuideEnumeration"/> for the guide's).
    /// </summary>
    public static Var ValueAt(Distribution d, int run, Tape? tape)
    {
        var support = d.EnumerateSupport();
        int k = support.Shape[0], size = Shapes.Size(d.Shape);
        var value = Tensor.Zeros(d.Shape);
        support.Span.Slice(Math.Min(run, k - 1) * size, size).CopyTo(value.Span);
        return tape is null ? Var.Const(value) : tape.Const(value);
    }
}
