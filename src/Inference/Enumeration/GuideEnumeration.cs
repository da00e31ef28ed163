using Ppl.Inference.Elbo;
using Ppl.Inference.Estimators;
using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Sites;
using Ppl.Runtime.Tensors;

namespace Ppl.Inference.Enumeration;

/// <summary>
/// Enumeration in the guide (Pyro's <c>TraceEnum_ELBO</c> with a guide site marked <c>enumerate="parallel"</c>;
/// Obermeyer et al. 2019, "Tensor variable elimination for plated factor graphs", §2): a finite discrete site z that
/// the guide samples is not drawn but taken at each of its K values, and every ELBO term f that depends on it is
/// replaced by its exact expectation under the guide,
/// <code>E_q[f] = Σ_k q(z = k) · f(z = k)</code>
/// per element of z's plates (a plate-local site is weighted elementwise: element i's terms by q(z_i = k)). The
/// guide's own term −log q(z) becomes the entropy −Σ_k q_k log q_k. The weights q(z = k) stay on the tape, so the
/// gradient in the guide's parameters is exact: the site contributes no Monte Carlo variance at all.
/// <para>
/// As with the model's enumeration (<see cref="EnumeratedRuns"/>), generated code has fixed plate shapes, so the K
/// values are not a tensor axis but K runs of the guide and the model: in run r every enumerated guide site holds
/// value min(r, K − 1) (all plate elements alike), every other guide site that does not depend on them replays the
/// first run's value (the same minibatch, the same draws), and a guide site that does depend on them (a continuous
/// w ~ q(w | z)) is drawn afresh given z = r, which is E_z E_{w|z}[f] estimated without bias. The model's own
/// enumerated sites are summed out inside each run, conditional on the guide's values, before the expectation.
/// </para>
/// <para>
/// What cannot be contracted this way is a located error, never a wrong answer: a term that depends on two
/// guide-enumerated sites together, a term outside a plate of the site it depends on, a site sampled by the score
/// function from a distribution that depends on an enumerated value, a term that changes with an enumerated value
/// through a value the provenance analysis cannot follow (it must then read the same in every run, which is checked),
/// and a site with more than <see cref="EstimatorPolicy.GuideEnumerationMaxValues"/> values.
/// </para>
/// </summary>
static class GuideEnumeration
{
    /// <summary>
    /// One pass of the guide: its value index r, and for r &gt; 0 the first pass's trace and the sites it replays from
    /// it (<see cref="Replayed"/>); collects the sites it enumerates.
    /// </summary>
    public sealed class Pass(int index, Trace? first, IReadOnlySet<string>? replayed)
    {
        /// <summary>The value index r: every enumerated site takes value min(r, K − 1).</summary>
        public int Index => index;
        /// <summary>The first pass's trace (null in the first pass).</summary>
        public Trace? First => first;
        /// <summary>The sites that keep the first pass's values (null in the first pass).</summary>
        public IReadOnlySet<string>? Replayed => replayed;
        /// <summary>The sites enumerated in this pass, in program order.</summary>
        public List<string> Enumerated { get; } = new();
    }

    /// <summary>How many runs the enumerated sites of the first run's guide trace need: their largest support.</summary>
    public static int Runs(Trace guide, IReadOnlyList<string> enumerated) =>
        enumerated.Max(n => guide[n].Distribution!.EnumerateSupport().Shape[0]);

    /// <summary>The latent guide sites whose value and density do not depend on an enumerated site: later runs replay them.</summary>
    public static HashSet<string> Replayed(Trace guide, IReadOnlyList<string> enumerated)
    {
        var names = new HashSet<string>();
        foreach (var s in guide.Sites)
            if (s is { Kind: SiteKind.Sample, IsObserved: false } && !enumerated.Contains(s.Name) && Depends(s, enumerated) is null)
                names.Add(s.Name);
        return names;
    }

    static string? Depends(Site s, IReadOnlyList<string> enumerated)
    {
        var p = SiteSet.Union(s.LogProb.Provenance, s.Value?.Provenance);
        return p is null ? null : enumerated.FirstOrDefault(p.Contains);
    }

    /// <summary>
    /// The terms of one particle from its runs (run r: the enumerated sites at value r): a term independent of the
    /// enumerated sites from the first run (checked equal in every run), a term depending on site z as
    /// Σ_{k &lt; K_z} q(z = k) ⊙ term(run k), broadcast over the term's axes beyond z's plates.
    /// </summary>
    public static List<LogDensityTerm> Expectation(IReadOnlyList<Particle> runs, IReadOnlyList<string> enumerated)
    {
        var first = runs[0];
        foreach (var s in first.ScoreSites)
            if (Depends(s, enumerated) is { } z)
                throw new EstimatorException($"{s.Location}: site '{s.Name}' is sampled by the score function from a distribution that depends on the site '{z}' ({first.Guide[z].Location}) enumerated in the guide; " +
                    "a sampled site cannot be averaged over an enumerated value it depends on; enumerate it too if it is finite, or sample both");
        foreach (var r in runs)
            if (r.Terms.Count != first.Terms.Count || r.Terms.Zip(first.Terms).Any(p => p.First.Site.Name != p.Second.Site.Name || p.First.InGuide != p.Second.InGuide))
                throw new EstimatorException($"{first.Guide[enumerated[0]].Location}: the sites of the run change with the value of '{enumerated[0]}', enumerated in the guide (control flow on a discrete value); sample it instead");
        var weights = new Dictionary<string, Var[]>();
        var terms = new List<LogDensityTerm>(first.Terms.Count);
        for (int j = 0; j < first.Terms.Count; j++)
        {
            var t = first.Terms[j];
            SiteSet? provenance = null;
            foreach (var r in runs) provenance = SiteSet.Union(provenance, r.Terms[j].Provenance);
            var deps = provenance is null ? [] : enumerated.Where(provenance.Contains).ToList();
            if (deps.Count == 0)
            {
                CheckSame(runs, j, enumerated, first.Guide);
                terms.Add(t);
                continue;
            }
            if (deps.Count > 1)
                throw new EstimatorException($"{t.Site.Location}: site '{t.Site.Name}' depends on the sites '{deps[0]}' ({first.Guide[deps[0]].Location}) and '{deps[1]}' ({first.Guide[deps[1]].Location}), both enumerated in the guide, together; " +
                    "enumeration in the guide sums each term over one enumerated site; sample one of them (--estimator score)");
            var z = first.Guide[deps[0]];
            if (!weights.TryGetValue(z.Name, out var q))
                weights[z.Name] = q = Weights(runs, z);
            CheckPlates(z, t);
            Var? expectation = null;
            for (int k = 0; k < q.Length; k++)
            {
                var raw = runs[k].Terms[j].Raw;
                var w = q[k].Rank == raw.Rank ? q[k] : Ops.Reshape(q[k], [.. q[k].Shape, .. Enumerable.Repeat(1, raw.Rank - q[k].Rank)]);
                var part = Ops.Mul(w, raw);
                expectation = expectation is null ? part : Ops.Add(expectation, part);
            }
            provenance = SiteSet.Union(provenance, SiteSet.Union(z.LogProb.Provenance, z.Value?.Provenance));
            terms.Add(new LogDensityTerm(t.Site, expectation!, t.Weight, provenance, t.InGuide, t.Order, t.AlignedPlates));
        }
        return terms;
    }

    /// <summary>q(z = k) per element of z's plates, for k &lt; K, from run k's log q (its parameters replay the first run's).</summary>
    static Var[] Weights(IReadOnlyList<Particle> runs, Site z)
    {
        int k = z.Distribution!.EnumerateSupport().Shape[0];
        var q = new Var[k];
        for (int r = 0; r < k; r++) q[r] = Ops.Exp(runs[r].Guide[z.Name].LogProb);
        return q;
    }

    /// <summary>A term weighted per element of z's plates must lie inside them and show them as its leading axes.</summary>
    static void CheckPlates(Site z, LogDensityTerm t)
    {
        var p = z.Plates;
        bool inside = t.Site.Plates.Count >= p.Count && t.AlignedPlates >= p.Count;
        for (int i = 0; inside && i < p.Count; i++)
            inside = t.Site.Plates[i].Name == p[i].Name && t.Raw.Shape[i] == z.LogProb.Shape[i];
        if (!inside)
            throw new EstimatorException($"{t.Site.Location}: site '{t.Site.Name}' depends on the site '{z.Name}' ({z.Location}) enumerated in the guide, but lies outside its plate '{p[^1].Name}' or does not show it as a leading axis (shape {Shapes.Format(t.Raw.Shape)}); " +
                "its expectation is not a sum per plate element; sample the site instead (--estimator score) or move the term into the plate");
    }

    /// <summary>A term found independent of the enumerated sites must read the same in every run (a value read as a plain number escapes the analysis).</summary>
    static void CheckSame(IReadOnlyList<Particle> runs, int j, IReadOnlyList<string> enumerated, Trace guide)
    {
        var v = runs[0].Terms[j].Raw.Value;
        for (int r = 1; r < runs.Count; r++)
        {
            var other = runs[r].Terms[j].Raw.Value;
            if (!Shapes.Equal(v.Shape, other.Shape) || !v.Span.SequenceEqual(other.Span))
            {
                var s = runs[0].Terms[j].Site;
                throw new EstimatorException($"{s.Location}: site '{s.Name}' changes with the value of '{enumerated[0]}' ({guide[enumerated[0]].Location}), enumerated in the guide, through a value the analysis cannot follow (read as a plain number); sample it instead (--estimator score)");
            }
        }
    }
}
