namespace Ppl.Language.Semantics;

/// <summary>
/// The expressions of a checked body, for analyses that look at every expression (the symbols Run reads, the
/// latents used only through an affine expression): one place that knows where statements and expressions keep them.
/// </summary>
public static class BoundWalk
{
    /// <summary>The expressions directly inside <paramref name="e"/> (operands, arguments, index expressions).</summary>
    public static IEnumerable<BoundExpr> Children(BoundExpr e)
    {
        switch (e)
        {
            case BoundUnary u: yield return u.Operand; break;
            case BoundBinary b: yield return b.Left; yield return b.Right; break;
            case BoundCall c: foreach (var a in c.Args) yield return a; break;
            case BoundNetCall n: yield return n.Input; break;
            case BoundVector v: foreach (var i in v.Items) yield return i; break;
            case BoundIndex x:
                yield return x.Target;
                foreach (var a in x.Indices)
                    switch (a)
                    {
                        case ScalarIndex si: yield return si.Index; break;
                        case GatherIndex gi: yield return gi.Index; break;
                        case SliceRange r:
                            if (r.From is not null) yield return r.From;
                            if (r.To is not null) yield return r.To;
                            break;
                        case ElementIndex ei: foreach (var i in ei.Indices) yield return i; break;
                    }
                break;
        }
    }

    /// <summary>
    /// The outermost expressions of <paramref name="body"/>'s statements, nested bodies (for, plate, if) included:
    /// values, distribution and flow arguments, site-name indices, declared sizes and bounds, loop and plate bounds.
    /// </summary>
    public static IEnumerable<BoundExpr> Roots(IEnumerable<BoundStatement> body)
    {
        foreach (var s in body)
            switch (s)
            {
                case BoundParam p:
                    foreach (var e in Type(p.Symbol.Type)) yield return e;
                    if (p.Symbol.Init is not null) yield return p.Symbol.Init;
                    break;
                case BoundNet n: foreach (var z in n.Symbol.Sizes) yield return z; break;
                case BoundLet l: yield return l.Value; break;
                case BoundFactor f: yield return f.Value; break;
                case BoundSample x:
                    if (x.Value is not null) yield return x.Value;
                    foreach (var e in Type(x.Declared)) yield return e;
                    foreach (var i in x.NameIndices) yield return i;
                    foreach (var a in x.Distribution.Args) yield return a;
                    foreach (var f in x.Distribution.Flows)
                    {
                        yield return f.Layers;
                        foreach (var o in f.Options.Values) yield return o;
                    }
                    break;
                case BoundFor f:
                    yield return f.From;
                    yield return f.To;
                    foreach (var e in Roots(f.Body)) yield return e;
                    break;
                case BoundPlate p:
                    yield return p.Plate.Size;
                    if (p.Plate.Subsample is not null) yield return p.Plate.Subsample;
                    foreach (var e in Roots(p.Body)) yield return e;
                    break;
                case BoundIf i:
                    yield return i.Condition;
                    foreach (var e in Roots(i.Then)) yield return e;
                    if (i.Else is not null) foreach (var e in Roots(i.Else)) yield return e;
                    break;
            }
    }

    static IEnumerable<BoundExpr> Type(DeclaredType? t)
    {
        if (t is null) yield break;
        foreach (var d in t.DimExprs) yield return d;
        if (t.Lower is not null) yield return t.Lower;
        if (t.Upper is not null) yield return t.Upper;
    }
}
