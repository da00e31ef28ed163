using Ppl.Language.Syntax;

namespace Ppl.Language.Semantics;

/// <summary>
/// A latent written non-centred: <c>r ~ Normal(0, 1)</c> used by the model only once, as <c>L + S * r</c>.
/// </summary>
/// <param name="Site">r's sample statement</param>
/// <param name="Affine">the one expression that uses r (or r indexed: <c>L + S * r[county]</c>)</param>
/// <param name="Loc">L, or null for <c>S * r</c></param>
/// <param name="Scale">S, or null for <c>L + r</c></param>
/// <param name="Inputs">the latent sites L and S read, in order of first appearance</param>
public sealed record NonCentredSite(BoundSample Site, BoundExpr Affine, BoundExpr? Loc, BoundExpr? Scale, IReadOnlyList<SiteSymbol> Inputs);

/// <summary>
/// Finds the latents of a model written non-centred (<c>r ~ Normal(0, 1)</c>, <c>let a = L + S * r</c>), so the
/// generated code can tell an automatic guide how r is used (<c>Ppl.Runtime.Sites.LocScaleUse</c>) and the guide
/// can learn how far to centre it (Gorinova, Moore and Hoffman 2020, arXiv 1906.03028). With much data per group,
/// a = L + S·r is pinned down, so r's posterior is (â − L)/S, a curved function of the globals that neither a
/// mean-field nor a full-rank normal guide can follow; a guide over the centred coordinate can.
/// <para>
/// A site qualifies when it is a whole latent outside every plate, loop and branch, drawn from
/// <c>Normal(0, 1)</c> with literal arguments and no flows, and the model reads it exactly once, in
/// <c>L + S * r</c>, <c>S * r + L</c>, <c>S * r</c> or <c>L + r</c> (either factor order), of r's own shape; or with
/// r indexed (<c>L + S * r[county]</c>, also inside a plate) when L and S are scalars, so every element of r has the
/// same L and S whichever elements the index picks.
/// L and S may combine literals and whole latents outside plates drawn before r with arithmetic and element-wise
/// functions; data, lets, parameters, indexing and r itself disqualify it, so the guide can recompute L and S from
/// its own draws. Anything else is left as it is: the hint only widens the guide family, so missing a case costs
/// accuracy, never correctness.
/// </para>
/// </summary>
public static class NonCentredSites
{
    /// <summary>The qualifying sites of <paramref name="model"/>, keyed by their sample statement (none for a guide).</summary>
    public static IReadOnlyDictionary<BoundSample, NonCentredSite> Find(CheckedModel model)
    {
        var found = new Dictionary<BoundSample, NonCentredSite>();
        if (model.IsGuide) return found;
        var candidates = new Dictionary<SiteSymbol, BoundSample>();
        foreach (var s in model.Body)
            if (s is BoundSample { Latent: { } r } x && IsStandardNormal(x) && x.NameIndices.Count == 0 && x.Plates.Count == 0 && r.Plates.Count == 0
                && x.Declared?.Constraint != TypeConstraint.Ordered)   // a centring would not keep the order
                candidates.TryAdd(r, x);
        if (candidates.Count == 0) return found;

        var uses = new Dictionary<SiteSymbol, List<(BoundExpr Affine, BoundExpr? Loc, BoundExpr? Scale, BoundIndex? Index)>>();
        var spoiled = new HashSet<SiteSymbol>();
        void Visit(BoundExpr e)
        {
            if (Affine(e, candidates) is { } a)
            {
                (uses.TryGetValue(a.R, out var list) ? list : uses[a.R] = new()).Add((e, a.Loc, a.Scale, a.Index));
                if (a.Loc is not null) Visit(a.Loc);
                if (a.Scale is not null) Visit(a.Scale);
                if (a.Index is not null) foreach (var c in BoundWalk.Children(a.Index).Skip(1)) Visit(c);   // the index expressions
                return;
            }
            if (e is BoundVariable { Symbol: SiteSymbol s } && candidates.ContainsKey(s)) spoiled.Add(s);
            foreach (var c in BoundWalk.Children(e)) Visit(c);
        }
        foreach (var e in BoundWalk.Roots(model.Body)) Visit(e);

        var order = model.Latents.Select((l, i) => (l, i)).ToDictionary(p => p.l, p => p.i);
        foreach (var (r, x) in candidates)
        {
            if (spoiled.Contains(r) || !uses.TryGetValue(r, out var list) || list.Count != 1) continue;
            var (affine, loc, scale, index) = list[0];
            if (index is null ? affine.Plates.Count > 0 || !affine.Type.Shape.Matches(x.Shape)
                              : loc is { Type.Shape.Rank: > 0 } || scale is { Type.Shape.Rank: > 0 }) continue;
            var inputs = new List<SiteSymbol>();
            bool ok = (loc is null || Admissible(loc, r, order, inputs)) && (scale is null || Admissible(scale, r, order, inputs));
            if (ok && inputs.Count > 0) found[x] = new NonCentredSite(x, affine, loc, scale, inputs);
        }
        return found;
    }

    static bool IsStandardNormal(BoundSample x) =>
        x.Distribution.Info.Name == "Normal" && x.Distribution.Flows.Count == 0 && x.Distribution.Args.Count == 2
        && x.Distribution.Args[0].ConstantValue == 0 && x.Distribution.Args[1].ConstantValue == 1;

    /// <summary>
    /// L + S·r, S·r + L, S·r or L + r (products in either order) with r a candidate, whole or indexed (then
    /// <c>Index</c> is the indexing); null otherwise.
    /// </summary>
    static (SiteSymbol R, BoundExpr? Loc, BoundExpr? Scale, BoundIndex? Index)? Affine(BoundExpr e, Dictionary<SiteSymbol, BoundSample> candidates)
    {
        (SiteSymbol, BoundIndex?)? R(BoundExpr v) => v switch
        {
            BoundVariable { Symbol: SiteSymbol s } when candidates.ContainsKey(s) => (s, null),
            BoundIndex { Target: BoundVariable { Symbol: SiteSymbol s } } x when candidates.ContainsKey(s) => (s, x),
            _ => null,
        };
        (SiteSymbol, BoundIndex?, BoundExpr)? Scaled(BoundExpr p) => p is BoundBinary { Op: BinaryOp.Mul } m
            ? R(m.Right) is var (a, ai) ? (a, ai, m.Left) : R(m.Left) is var (b, bi) ? (b, bi, m.Right) : null
            : null;
        if (Scaled(e) is var (r0, i0, s0)) return (r0, null, s0, i0);
        if (e is not BoundBinary { Op: BinaryOp.Add } add) return null;
        if (Scaled(add.Right) is var (r1, i1, s1)) return (r1, add.Left, s1, i1);
        if (Scaled(add.Left) is var (r2, i2, s2)) return (r2, add.Right, s2, i2);
        if (R(add.Right) is var (r3, i3)) return (r3, add.Left, null, i3);
        if (R(add.Left) is var (r4, i4)) return (r4, add.Right, null, i4);
        return null;
    }

    /// <summary>Whether L or S can be recomputed from the guide's draws: literals and earlier whole latents outside plates, under arithmetic and element-wise functions.</summary>
    static bool Admissible(BoundExpr e, SiteSymbol r, Dictionary<SiteSymbol, int> order, List<SiteSymbol> inputs)
    {
        if (e.Plates.Count > 0) return false;
        switch (e)
        {
            case BoundLiteral: return true;
            case BoundVariable { Symbol: SiteSymbol s }:
                if (s == r || s.Plates.Count > 0 || s.ElementIndices > 0 || !order.TryGetValue(s, out int at) || at >= order[r]) return false;
                if (!inputs.Contains(s)) inputs.Add(s);
                return true;
            case BoundUnary { Op: UnaryOp.Negate } u: return Admissible(u.Operand, r, order, inputs);
            case BoundBinary { Op: BinaryOp.Add or BinaryOp.Sub or BinaryOp.Mul or BinaryOp.Div or BinaryOp.Pow } b:
                return Admissible(b.Left, r, order, inputs) && Admissible(b.Right, r, order, inputs);
            case BoundCall { Function.Shape: FunctionShape.Elementwise } c:
                return c.Args.All(a => Admissible(a, r, order, inputs));
            default: return false;
        }
    }
}
