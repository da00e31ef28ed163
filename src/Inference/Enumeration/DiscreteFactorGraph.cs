using Ppl.Inference.Estimators;
using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Sites;
using Ppl.Runtime.Tensors;

namespace Ppl.Inference.Enumeration;

/// <summary>
/// The enumerated sites of one model run and the terms that depend on them, as a forest of log-space factors
/// (Pyro's <c>TraceEnum_ELBO</c> with <c>contract_to_tensor</c>, here specialised to trees, which covers mixtures,
/// nested plates and Markov chains):
/// <list type="bullet">
/// <item>each enumerated site s has a table over its K_s values per element of its plates: the log density of every
/// term that depends on s alone (summed over the term's inner plates, innermost first, which is the product over
/// those plates in log space), plus log p(s) when s has no enumerated parent;</item>
/// <item>a site c whose distribution depends on one enumerated site p (its parent) has the pairwise table
/// log p(c = j | p = i), shape [K_p, K_c, plates of c…]; c's plates must contain p's.</item>
/// </list>
/// The log marginal log Σ_z p(x, z | rest) is contracted leaves first (reverse program order):
/// m_{c→p}(i) = Σ_{inner plates of c} logsumexp_j [log p(c = j | p = i) + b_c(j)], b_p = table_p + Σ_c m_{c→p}, and each
/// root contributes Σ_{plates} logsumexp_i b_root(i). A chain z[t] ~ Categorical(A[z[t−1]]) is thus the forward algorithm
/// (backwards in t), O(T·K²), never a K^T table. Tables come from running the model once per value index r with every
/// enumerated site at value min(r, K − 1): a term depending on s alone reads s = r in run r, and c's distribution in
/// run r is p(c | p = r), evaluated at all K_c values. A term depending on two enumerated sites other than a child on
/// its parent cannot be contracted by a tree and is rejected with a located error naming both sites; so is a term
/// outside a plate that depends on an enumerated site inside it.
/// </summary>
sealed class DiscreteFactorGraph
{
    /// <summary>One enumerated site.</summary>
    internal sealed class Node
    {
        public required Site Site { get; init; }
        public required int K { get; init; }
        public required Tensor Support { get; init; }
        public Node? Parent { get; set; }
        public List<Node> Children { get; } = new();
        /// <summary>Non-enumerated sites whose log density depends on this site alone.</summary>
        public List<string> Attached { get; } = new();
        /// <summary>[K, plates…]: log p(s) (roots) plus attached terms; the belief b after contraction.</summary>
        public Var? Belief { get; set; }
        /// <summary>[K_parent, K, plates…]: log p(s = j | parent = i).</summary>
        public Var? Pairwise { get; set; }
    }

    readonly List<Node> nodes = new();
    readonly Dictionary<string, Node> byName = new();
    readonly HashSet<string> dependent = new();

    /// <summary>The enumerated sites in program order.</summary>
    public IReadOnlyList<Node> Nodes => nodes;

    /// <summary>Names of the non-enumerated sites whose terms the graph absorbs (dropped from the ordinary terms).</summary>
    public IReadOnlySet<string> Dependent => dependent;

    /// <summary>Whether the site is enumerated.</summary>
    public bool Contains(string site) => byName.ContainsKey(site);

    /// <summary>The provenance of a root's log marginal: every site its subtree's terms were computed from.</summary>
    public SiteSet? ProvenanceOf(Node root, Trace model)
    {
        SiteSet? p = null;
        var stack = new Stack<Node>([root]);
        while (stack.Count > 0)
        {
            var n = stack.Pop();
            p = SiteSet.Union(p, model[n.Site.Name].LogProb.Provenance);
            foreach (var a in n.Attached) p = SiteSet.Union(p, model[a].LogProb.Provenance);
            foreach (var c in n.Children) stack.Push(c);
        }
        return p;
    }

    /// <summary>How many model runs the tables need: the largest support.</summary>
    public int Runs => nodes.Count == 0 ? 1 : nodes.Max(n => n.K);

    /// <summary>Reads the graph's structure off run 0 (its trace and the escapes charged to each site).</summary>
    public static DiscreteFactorGraph Structure(Trace model, EnumerationHandler run0)
    {
        var g = new DiscreteFactorGraph();
        foreach (var name in run0.Enumerated)
        {
            var s = model[name];
            var support = s.Distribution!.EnumerateSupport();
            var d = s.Distribution!;
            if (d.EventShape.Length != 0 || Elbo.LogDensityTerm.Aligned(s.Plates, d.BatchShape) != s.Plates.Count || d.BatchShape.Length != s.Plates.Count)
                throw new EstimatorException($"{s.Location}: site '{s.Name}' cannot be enumerated: its value has shape {Shapes.Format(d.Shape)} beyond its plates; draw one value per plate element (put the axis in a plate)");
            var node = new Node { Site = s, K = support.Shape[0], Support = support };
            g.nodes.Add(node);
            g.byName[name] = node;
        }
        foreach (var s in model.Sites)
        {
            if (s.Kind is not (SiteKind.Sample or SiteKind.Factor)) continue;
            var deps = Dependencies(s, run0, g.byName);
            if (g.byName.TryGetValue(s.Name, out var self))
            {
                deps.Remove(self);
                if (deps.Count > 1) throw Uncontractible(s, deps);
                if (deps.Count == 1)
                {
                    var p = deps[0];
                    CheckPlates(p.Site, s);
                    self.Parent = p;
                    p.Children.Add(self);
                }
                continue;
            }
            if (deps.Count == 0) continue;
            if (deps.Count > 1) throw Uncontractible(s, deps);
            CheckPlates(deps[0].Site, s);
            deps[0].Attached.Add(s.Name);
            g.dependent.Add(s.Name);
        }
        return g;
    }

    static List<Node> Dependencies(Site s, EnumerationHandler run, Dictionary<string, Node> enumerated)
    {
        var names = SiteSet.Union(s.LogProb.Provenance, run.EscapedInto.GetValueOrDefault(s.Name));
        var deps = new List<Node>();
        if (names is not null)
            foreach (var n in names.Names)
                if (enumerated.TryGetValue(n, out var node)) deps.Add(node);
        deps.Sort((a, b) => a.Site.Location.ToString().CompareTo(b.Site.Location.ToString()));
        return deps;
    }

    static EstimatorException Uncontractible(Site s, List<Node> deps) => new(
        $"{s.Location}: site '{s.Name}' depends on the enumerated sites '{deps[0].Site.Name}' ({deps[0].Site.Location}) and '{deps[1].Site.Name}' ({deps[1].Site.Location}) together; " +
        "enumeration contracts only tree-shaped dependence (each term on one enumerated site, each enumerated site on at most one other); give the guide a sample site for one of them");

    /// <summary>A term depending on an enumerated site must sit inside all of that site's plates.</summary>
    static void CheckPlates(Site enumerated, Site term)
    {
        var p = enumerated.Plates;
        bool inside = term.Plates.Count >= p.Count;
        for (int i = 0; inside && i < p.Count; i++) inside = term.Plates[i].Name == p[i].Name;
        if (!inside)
            throw new EstimatorException($"{term.Location}: site '{term.Name}' is outside plate '{p[^1].Name}' but depends on the enumerated site '{enumerated.Name}' ({enumerated.Location}) inside it; " +
                "its plate elements are not independent given the site, so it cannot be summed out per element; give the guide a sample site for it or move the site into the plate");
        if (Elbo.LogDensityTerm.Aligned(term.Plates, term.LogProb.Shape) != term.Plates.Count)
            throw new EstimatorException($"{term.Location}: site '{term.Name}' depends on the enumerated site '{enumerated.Name}' but its log density of shape {Shapes.Format(term.LogProb.Shape)} does not show its plates");
    }

    /// <summary>
    /// Fills the tables from the runs (trace r: every enumerated site at value min(r, K − 1)) and contracts them.
    /// Returns per root its log marginal per element of its plates, scaled by its plates' N/M.
    /// </summary>
    public List<(Node Root, Var LogMarginal)> Contract(Trace[] runs, Tape? tape)
    {
        foreach (var n in nodes)
        {
            var plates = n.Site.Plates.Count;
            var parts = new List<Var>();
            if (n.Parent is null) parts.Add(AllValues(runs[0][n.Site.Name], n, tape));
            foreach (var a in n.Attached)
            {
                var rows = new Var[n.K];
                for (int j = 0; j < n.K; j++) rows[j] = Reduce(runs[j][a], plates, runs[j][n.Site.Name].Scale, tape);
                parts.Add(Ops.Stack(rows, 0));
            }
            n.Belief = parts.Count == 0 ? Zeros([n.K, .. n.Site.Distribution!.BatchShape], tape) : parts.Aggregate(Ops.Add);
            if (n.Parent is { } p)
            {
                var rows = new Var[p.K];
                for (int i = 0; i < p.K; i++) rows[i] = AllValues(runs[i][n.Site.Name], n, tape);
                n.Pairwise = Ops.Stack(rows, 0);
            }
        }
        var roots = new List<(Node, Var)>();
        for (int i = nodes.Count - 1; i >= 0; i--)
        {
            var n = nodes[i];
            if (n.Parent is { } p)
            {
                var b = n.Belief!;
                var m = Ops.LogSumExp(Ops.Add(n.Pairwise!, Ops.Reshape(b, [1, .. b.Shape])), 1);
                for (int axis = m.Rank - 1; axis > p.Site.Plates.Count; axis--) m = Ops.Sum(m, axis);
                if (n.Site.Scale != p.Site.Scale) m = Ops.Mul(m, n.Site.Scale / p.Site.Scale);
                p.Belief = Ops.Add(p.Belief!, m);
            }
            else
            {
                var lm = Ops.LogSumExp(n.Belief!, 0);
                roots.Add((n, n.Site.Scale == 1f ? lm : Ops.Mul(lm, n.Site.Scale)));
            }
        }
        roots.Reverse();
        return roots;
    }

    /// <summary>[K, plates…]: the site's distribution (as in this run) at each of its values.</summary>
    static Var AllValues(Site s, Node n, Tape? tape)
    {
        var d = s.Distribution!;
        int size = Shapes.Size(d.BatchShape);
        var rows = new Var[n.K];
        for (int j = 0; j < n.K; j++)
        {
            var v = Tensor.Zeros(d.BatchShape);
            n.Support.Span.Slice(j * size, size).CopyTo(v.Span);
            var lp = d.LogProb(tape is null ? Var.Const(v) : tape.Const(v));
            rows[j] = lp;
        }
        return Ops.Stack(rows, 0);
    }

    /// <summary>A term's log density summed over its axes beyond the first <paramref name="plates"/> (its inner plates and event), relative-scaled.</summary>
    static Var Reduce(Site term, int plates, float enumeratedScale, Tape? tape)
    {
        _ = tape;
        var lp = term.LogProb;
        for (int axis = lp.Rank - 1; axis >= plates; axis--) lp = Ops.Sum(lp, axis);
        return term.Scale == enumeratedScale ? lp : Ops.Mul(lp, term.Scale / enumeratedScale);
    }

    static Var Zeros(int[] shape, Tape? tape) => tape is null ? Var.Const(Tensor.Zeros(shape)) : tape.Const(Tensor.Zeros(shape));

    /// <summary>
    /// Exact joint draws of the enumerated sites from p(z | x, rest) after <see cref="Contract"/>: each root from
    /// softmax(b_root) per plate element, then each child given its parent's draw from softmax(log p(c | p) + b_c)
    /// (backward filtering, forward sampling in a chain; Pyro's <c>infer_discrete</c> with temperature 1).
    /// </summary>
    public Dictionary<string, Tensor> Sample(Runtime.Random.Rng rng, out double logProb)
    {
        var drawn = new Dictionary<string, Tensor>();
        logProb = 0;
        foreach (var n in nodes)
        {
            var b = n.Belief!.Value;
            int size = Shapes.Size(n.Site.Distribution!.BatchShape);
            var value = Tensor.Zeros(n.Site.Distribution!.BatchShape);
            var logits = new double[n.K];
            for (int e = 0; e < size; e++)
            {
                int parentValue = n.Parent is { } p ? (int)drawn[p.Site.Name].Span[ParentElement(e, n, p)] : -1;
                for (int j = 0; j < n.K; j++)
                {
                    logits[j] = b.Span[j * size + e];
                    if (parentValue >= 0) logits[j] += n.Pairwise!.Value.Span[(parentValue * n.K + j) * size + e];
                }
                value.Span[e] = Draw(logits, rng, ref logProb);
            }
            drawn[n.Site.Name] = value;
        }
        return drawn;
    }

    /// <summary>The parent's element for element e of a child whose plates extend the parent's (row-major, parent's axes leading).</summary>
    static int ParentElement(int e, Node child, Node parent)
    {
        int inner = Shapes.Size(child.Site.Distribution!.BatchShape) / Math.Max(1, Shapes.Size(parent.Site.Distribution!.BatchShape));
        return e / Math.Max(1, inner);
    }

    /// <summary>A draw j ∝ exp(logits[j]); adds log p(j) to <paramref name="logProb"/>.</summary>
    static float Draw(double[] logits, Runtime.Random.Rng rng, ref double logProb)
    {
        double max = logits.Max(), total = 0;
        for (int j = 0; j < logits.Length; j++) total += Math.Exp(logits[j] - max);
        double u = rng.NextDouble() * total;
        int drawn = logits.Length - 1;
        for (int j = 0; j < logits.Length; j++)
        {
            u -= Math.Exp(logits[j] - max);
            if (u <= 0) { drawn = j; break; }
        }
        logProb += logits[drawn] - max - Math.Log(total);
        return drawn;
    }
}
