using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Models;
using Ppl.Runtime.Params;
using Ppl.Runtime.Random;
using Ppl.Runtime.Sites;
using Ppl.Runtime.Tensors;

namespace Ppl.Inference.Posterior;

/// <summary>
/// The relabellings of a model's exchangeable components under which its posterior is invariant: a mixture of K
/// components whose weights, means and scales have exchangeable priors (gmm.ppl's <c>weights ~ Dirichlet(ones(K))</c>,
/// <c>mu: real[K] ~ Normal(0, 10)</c>, ...) has p(x, π w) = p(x, w) for every permutation π of the K labels applied
/// to every such site together, so its posterior holds K! copies of every mode. Several paths that find one
/// clustering under different labels then count it once per labelling in the mixture of their guides, and a
/// clustering found under one labelling only is under-weighted against it by that count (gmm, examples/README.md).
/// Weighing against the symmetrised mixture q_sym(w) = (1/K!) Σ_π q_mix(π w) instead counts every clustering found
/// under any labelling in all of its labellings: q_sym is the density of a q_mix draw relabelled by a uniformly random
/// π, and since p and q_sym are both invariant, the weights p/q_sym of the unrelabelled draws give the same estimate
/// of every label-invariant quantity (which is all a draw mixing labellings can say; compare.py sorts the components
/// draw by draw, as Stan's <c>ordered</c> does).
/// <para>
/// Which sites are relabelled is not read off the program: for each component count K (2 to
/// <see cref="MaxComponents"/>) every continuous latent site with an axis of length K is a candidate, all such axes
/// permuted together, and the candidates are kept only if p(x, w) — summed-out discrete sites marginalised — is the
/// same under a transposition and a K-cycle (which generate every permutation) at a few of the guide's draws, within
/// <see cref="Tolerance"/>. A model that is not exchangeable in those sites (a regression with K coefficients) fails
/// that check and is weighed as before.
/// </para>
/// </summary>
public sealed class LabelSymmetry
{
    /// <summary>The most components relabelled: K! relabellings multiply the cost of weighing a draw (24 at K = 4).</summary>
    public const int MaxComponents = 4;

    /// <summary>Draws at which invariance is checked.</summary>
    public const int CheckedDraws = 3;

    /// <summary>
    /// The largest change of log p(x, w) under a relabelling taken for float rounding (the components are summed in
    /// another order), relative to 1 + |log p|. Measured: 0.4–2.2·10⁻⁵ nats at log p ≈ −168 on gmm, up to 1.4·10⁻⁵ at
    /// −93 on the HMM, about 10⁻⁷ relative, the float32 sums' own; 10⁻⁵ is a hundred times that. An asymmetry below it
    /// changes no weight by more than a factor e^(10⁻⁵·(1 + |log p|)), 1.002 on gmm.
    /// </summary>
    public const double Tolerance = 1e-5;

    readonly Dictionary<string, int[]> axes;   // site → the axes of length K it is relabelled along
    readonly int[][] permutations;

    LabelSymmetry(int components, Dictionary<string, int[]> axes)
    {
        Components = components;
        this.axes = axes;
        permutations = Permutations(components);
    }

    /// <summary>The number of components K.</summary>
    public int Components { get; }

    /// <summary>The relabellings, K! of them; the first is the identity.</summary>
    public int Count => permutations.Length;

    /// <summary>The relabelled sites, in no particular order.</summary>
    public IReadOnlyCollection<string> Sites => axes.Keys;

    /// <summary>
    /// A handler that sets a guide's latent sites to those of <paramref name="draw"/>, relabelled by relabelling
    /// <paramref name="permutation"/> (0 leaves them as they are); the relabelled values are taken from
    /// <paramref name="tape"/>'s pool when given, so the ops on them reuse its buffers too.
    /// </summary>
    public Handler Replay(Trace draw, int permutation, Tape? tape = null) => new RelabelledReplay(draw, this, permutations[permutation], tape);

    /// <summary>The value of site <paramref name="site"/> of <paramref name="draw"/> relabelled by relabelling <paramref name="permutation"/> (a copy), or null when the draw has no such site.</summary>
    public Tensor? Relabelled(Trace draw, string site, int permutation)
    {
        if (draw.Find(site)?.Value is not { } v) return null;
        return permutation != 0 && axes.TryGetValue(site, out var along) ? Relabel(v.Value, along, permutations[permutation], null) : v.Value;
    }

    /// <summary>
    /// The relabellings under which <paramref name="model"/>'s p(x, w) is invariant, checked at
    /// <see cref="CheckedDraws"/> draws of <paramref name="guide"/> (with <paramref name="store"/>'s parameters) from
    /// <paramref name="rng"/>; null when there are none.
    /// </summary>
    public static LabelSymmetry? Find(IModel model, IModel guide, ParamStore store, Rng rng)
    {
        var draws = new List<Trace>();
        for (int d = 0; d < CheckedDraws; d++) draws.Add(PosteriorSampler.Run(model, guide, store, rng).Guide);
        var latents = draws[0].Latents.Where(s => s.Distribution is { IsDiscrete: false } && s.Value is not null).ToList();
        for (int k = MaxComponents; k >= 2; k--)
        {
            var candidates = new Dictionary<string, int[]>();
            foreach (var s in latents)
                if (AxesOfLength(s.Value!.Shape, k) is { Length: > 0 } along) candidates[s.Name] = along;
            if (candidates.Count == 0) continue;
            var symmetry = new LabelSymmetry(k, candidates);
            if (symmetry.HoldsAt(model, guide, store, rng, draws)) return symmetry;
        }
        return null;
    }

    /// <summary>
    /// How to put each draw's components in one order, as Stan's <c>ordered</c> does: by the values of the first
    /// relabelled site that is a vector of K reals (gmm's <c>mu</c>), every relabelled site permuted alike and every
    /// discrete site whose values are the components' labels (gmm's <c>z[n]</c>, drawn exactly) renamed alike. The
    /// discrete sites count as labels when the model's log joint is unchanged by relabelling them with the rest,
    /// checked like the symmetry itself. A deterministic site with an axis of K is relabelled along those axes when the
    /// model, run at the relabelled draw, computes exactly that (the HMM's symmetric transition matrix); null when there
    /// is no such vector or a check fails.
    /// </summary>
    public ComponentOrder? Order(IModel model, IModel guide, ParamStore store, Rng rng)
    {
        var (g, m) = PosteriorSampler.Run(model, guide, store, rng);
        var key = g.Latents.FirstOrDefault(s => axes.ContainsKey(s.Name) && s.Value!.Shape is [var n] && n == Components
            && s.Distribution!.Support == Runtime.Distributions.Constraints.Constraint.Real);
        if (key is null) return null;
        var derived = m.Sites.Where(s => s.Kind == SiteKind.Deterministic && s.Value!.Shape.Contains(Components))
            .ToDictionary(s => s.Name, s => AxesOfLength(s.Value!.Shape, Components));
        var discrete = m.Latents.Where(s => s.Distribution is { IsDiscrete: true }).ToList();
        if (discrete.Any(s => !s.Value!.Value.ToArray().All(v => v >= 0 && v < Components && v == MathF.Floor(v)))) return null;
        double at = m.LogJoint().ToScalar();
        foreach (var pi in Generators())
        {
            // Component i of the relabelled draw is component π(i) of this one, so a label v becomes π⁻¹(v).
            var inverse = new int[Components];
            for (int i = 0; i < Components; i++) inverse[pi[i]] = i;
            var labels = discrete.ToDictionary(s => s.Name, s => Tensor.FromArray([.. s.Value!.Value.ToArray().Select(v => (float)inverse[(int)v])], s.Value.Shape));
            var trace = new TraceHandler();
            model.Run(new ModelContext(rng, null, store).With(trace).With(new SubstituteHandler(labels)).With(new RelabelledReplay(g, this, pi, null)));
            if (!Same(trace.Trace.LogJoint().ToScalar(), at)) return null;
            foreach (var (name, along) in derived)
            {
                if (trace.Trace.Find(name)?.Value is not { } recomputed) return null;
                var expected = Relabel(m[name].Value!.Value, along, pi, null).Span;
                var computed = recomputed.Value.Span;
                if (computed.Length != expected.Length) return null;
                for (int i = 0; i < computed.Length; i++)
                    if (!Same(computed[i], expected[i])) return null;
            }
        }
        var all = new Dictionary<string, int[]>(axes);
        foreach (var (name, along) in derived) all[name] = along;
        return new ComponentOrder(key.Name, Components, all, [.. discrete.Select(s => s.Name)]);
    }

    /// <summary>Whether p(x, w) is unchanged by the generators of the relabellings at every draw, and relabelled draws stay in their sites' supports.</summary>
    bool HoldsAt(IModel model, IModel guide, ParamStore store, Rng rng, IReadOnlyList<Trace> draws)
    {
        foreach (var draw in draws)
        {
            double at = MarginalLogJoint(model, guide, store, rng, new RelabelledReplay(draw, this, permutations[0], null), out _);
            if (!double.IsFinite(at)) return false;
            foreach (var generator in Generators())
            {
                double moved = MarginalLogJoint(model, guide, store, rng, new RelabelledReplay(draw, this, generator, null), out var g);
                if (!InSupport(g) || !Same(moved, at)) return false;
            }
        }
        return true;
    }

    /// <summary>A transposition and a K-cycle: invariance under both is invariance under every relabelling.</summary>
    int[][] Generators() => [[1, 0, .. Enumerable.Range(2, Components - 2)], [.. Enumerable.Range(0, Components).Select(i => (i + 1) % Components)]];

    /// <summary>Whether <paramref name="moved"/> is <paramref name="at"/> within float rounding (<see cref="Tolerance"/>).</summary>
    static bool Same(double moved, double at) => Math.Abs(moved - at) <= Tolerance * (1 + Math.Abs(at));

    /// <summary>log p(x, w) at the guide's draw set by <paramref name="set"/>: log p(x, w, z) less log p(z | x, w) of the exact draws of summed-out sites.</summary>
    static double MarginalLogJoint(IModel model, IModel guide, ParamStore store, Rng rng, Handler set, out Trace g)
    {
        var (gt, m, logProposal) = PosteriorSampler.Weighed(model, guide, store, rng, setGuide: set);
        g = gt;
        return m.LogJoint().ToScalar() - (logProposal - gt.LogJoint().ToScalar());
    }

    /// <summary>Whether every relabelled site's value is in its distribution's support (an <c>ordered</c> vector relabelled is not).</summary>
    bool InSupport(Trace guide) => guide.Latents.Where(s => axes.ContainsKey(s.Name)).All(s => s.Distribution!.Support.CheckEvents(s.Value!.Value.Span, s.Value.Shape));

    /// <summary><paramref name="value"/> with its indices along <paramref name="along"/> relabelled: element i takes element π[i]'s value.</summary>
    static Tensor Relabel(Tensor value, int[] along, int[] pi, Tape? tape)
    {
        var result = tape?.Alloc(value.Shape) ?? Tensor.Zeros(value.Shape);
        ComponentOrder.Relabel<float>(value.Span, value.Shape, along, pi, result.Span);
        return result;
    }

    /// <summary>The axes of <paramref name="shape"/> of length <paramref name="k"/>.</summary>
    static int[] AxesOfLength(int[] shape, int k) => [.. Enumerable.Range(0, shape.Length).Where(a => shape[a] == k)];

    /// <summary>Every permutation of 0..k−1, the identity first (lexicographic order).</summary>
    static int[][] Permutations(int k)
    {
        var all = new List<int[]>();
        void Extend(List<int> prefix)
        {
            if (prefix.Count == k) { all.Add([.. prefix]); return; }
            for (int i = 0; i < k; i++)
            {
                if (prefix.Contains(i)) continue;
                prefix.Add(i);
                Extend(prefix);
                prefix.RemoveAt(prefix.Count - 1);
            }
        }
        Extend([]);
        return [.. all];
    }

    /// <summary>Replays a draw's latent sites, the relabelled ones relabelled (a copy: the draw's tensors are not touched).</summary>
    sealed class RelabelledReplay(Trace draw, LabelSymmetry symmetry, int[] pi, Tape? tape) : Handler
    {
        public override void Process(Site site)
        {
            if (site.Value is not null || site.IsObserved || site.Kind != SiteKind.Sample) return;
            if (draw.Find(site.Name) is not { Kind: SiteKind.Sample, Value: { } v } source) return;
            if (!symmetry.axes.TryGetValue(site.Name, out var along)) site.Value = v;
            else
            {
                var relabelled = Relabel(v.Value, along, pi, tape);
                site.Value = tape?.Const(relabelled) ?? Var.Const(relabelled);
            }
            site.IsReparameterized = source.IsReparameterized;
        }
    }
}

/// <summary>Each draw's components put in ascending order of <paramref name="Key"/>'s values (<see cref="LabelSymmetry.Order"/>).</summary>
/// <param name="Key">The vector of K reals whose values order the components.</param>
/// <param name="Components">K.</param>
/// <param name="Axes">Every relabelled site and the axes of it that hold the components.</param>
/// <param name="LabelSites">The discrete sites whose values are component labels, renamed with the order.</param>
public sealed record ComponentOrder(string Key, int Components, IReadOnlyDictionary<string, int[]> Axes, IReadOnlyList<string> LabelSites)
{
    /// <summary>The permutation π that sorts <paramref name="key"/>: component i of the ordered draw is component π[i] (ties keep their order).</summary>
    public static int[] Sorting(ReadOnlySpan<double> key)
    {
        var values = key.ToArray();
        return [.. Enumerable.Range(0, values.Length).OrderBy(i => values[i])];
    }

    /// <summary>Row-major <paramref name="values"/> of shape <paramref name="shape"/> with their indices along <paramref name="along"/> relabelled by π, into <paramref name="into"/>.</summary>
    public static void Relabel<T>(ReadOnlySpan<T> values, int[] shape, int[] along, int[] pi, Span<T> into)
    {
        var index = new int[shape.Length];
        for (int flat = 0; flat < values.Length; flat++)
        {
            int from = 0;
            for (int a = 0; a < shape.Length; a++) from = from * shape[a] + (Array.IndexOf(along, a) >= 0 ? pi[index[a]] : index[a]);
            into[flat] = values[from];
            for (int a = shape.Length - 1; a >= 0 && ++index[a] == shape[a]; a--) index[a] = 0;
        }
    }
}
