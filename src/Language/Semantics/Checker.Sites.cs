using Ppl.Language.Diagnostics;
using Ppl.Language.Syntax;
using Ppl.Language.Text;

namespace Ppl.Language.Semantics;

// Sample statements: whether a ~ is latent or observed, the site's run-time name, and its declared type against the support.
public sealed partial class Checker
{
    BoundStatement? Sample(SampleStmt s)
    {
        var dist = Distribution(s.Distribution, s.Flows);
        switch (s.Target)
        {
            case NameExpr n when Lookup(n.Name) is null:
                return Latent(s, n.Name, [], dist);
            case IndexExpr { Target: NameExpr n } x when Lookup(n.Name) is null || Lookup(n.Name) is SiteSymbol { ElementIndices: > 0 }:
                return IndexedLatent(s, n.Name, x, dist);
        }
        if (s.Type is not null)
            Error(ErrorCode.TypedTarget, s.Type.Span, s.Target is NameExpr ? $"'{SyntaxPrinter.Expr(s.Target)}' already has a type" : "a site type can only follow a new name",
                s.Target is NameExpr ? null : "write 'NAME: TYPE ~ DIST'");
        var root = s.Target is IndexExpr { Target: NameExpr r } ? Lookup(r.Name) : s.Target is NameExpr nn ? Lookup(nn.Name) : null;
        if (root is SiteSymbol site)
        {
            Error(ErrorCode.DuplicateSite, s.Target.Span, $"'{site.Name}' is already sampled at line {Line(site.Span)}", "each site is sampled once; use a new name");
            return null;
        }
        if (root is ParamSymbol)
        {
            Error(ErrorCode.NotObservable, s.Target.Span, $"'{root.Name}' is a param (a learned point value); it cannot be sampled or observed",
                "declare it as a latent site instead: remove the param declaration");
            return null;
        }
        var value = Expr(s.Target);
        if (value is BoundError) return null;
        if (!value.IsData)
        {
            Error(ErrorCode.NotObservable, s.Target.Span, "the left of '~' is computed from latent values, so it can be neither sampled nor observed",
                "the left of '~' is a new name (latent), data, or an expression of data alone (observed)");
            return null;
        }
        if (scope.IsGuide)
        {
            Error(ErrorCode.GuideObserves, s.Target.Span, "a guide observes nothing, but this observes data",
                "observations belong in the model; a guide only samples the model's latent sites");
            return null;
        }
        if (dist is null) return null;
        // The site's name: the data name at the root, with any loop indices (y[i] in a loop is "y[3]").
        string name;
        var nameIndices = new List<BoundExpr>();
        if (value is BoundVariable v) name = v.Symbol.Name;
        else if (value is BoundIndex { Target: BoundVariable tv } bi)
        {
            name = tv.Symbol.Name;
            foreach (var a in bi.Indices) if (a is ScalarIndex si) nameIndices.Add(si.Index);
        }
        else name = FirstDataName(value) ?? $"obs_{Line(s.Span)}";
        if (!CheckLoopIndices(s, name, nameIndices)) return null;
        // Observing one data item twice (two slices, say) is legitimate; the later sites take their line as a suffix.
        if (nameIndices.Count == 0 && scope.SiteNames.ContainsKey(name)) name = $"{name}@{Line(s.Span)}";
        if (nameIndices.Count == 0 && !RegisterSiteName(name, s.Target.Span)) return null;
        if (dist.Info.ValueKind == ScalarKind.Int && !dist.Info.ObservesReals && value.Type.Kind == ScalarKind.Real)
        {
            Error(ErrorCode.ObservedKind, s.Target.Span, $"{dist.Info.Name} observes ints, but this value is real");
            return null;
        }
        if (Shape.Broadcast(value.Type.Shape, dist.ValueShape) is null)
        {
            Error(ErrorCode.ShapeMismatch, s.Span, $"the observed value has shape {value.Type.Shape} but {dist.Info.Name} has shape {dist.ValueShape}");
            return null;
        }
        var shape = Shape.Broadcast(value.Type.Shape, dist.ValueShape)!;
        if (!FlowHasVector(s, shape)) return null;
        var sample = new BoundSample(s.Span, name, nameIndices, null, value, dist, null, shape, scope.Plates.ToList());
        scope.Observed.Add(sample);
        return sample;
    }

    /// <summary>Flows act on the last dimension, so a site pushed through one needs a vector per plate element.</summary>
    bool FlowHasVector(SampleStmt s, Shape shape)
    {
        if (s.Flows.Count == 0 || shape.Rank > 0) return true;
        Error(ErrorCode.ShapeMismatch, s.Flows[0].Span, "a flow transforms vectors, but this site has one number per element",
            "give the site a vector shape, e.g. 'z: real[2] ~ ...'");
        return false;
    }

    static string? FirstDataName(BoundExpr e) => e switch
    {
        BoundVariable { Symbol: DataSymbol or LetSymbol } v => v.Symbol.Name,
        BoundUnary u => FirstDataName(u.Operand),
        BoundBinary b => FirstDataName(b.Left) ?? FirstDataName(b.Right),
        BoundCall c => c.Args.Select(FirstDataName).FirstOrDefault(n => n is not null),
        BoundIndex x => FirstDataName(x.Target),
        _ => null,
    };

    bool RegisterSiteName(string name, SourceSpan span)
    {
        if (scope.SiteNames.TryGetValue(name, out var first))
        {
            Error(ErrorCode.DuplicateSite, span, $"site '{name}' is already defined at line {Line(first)}", "each site needs its own name");
            return false;
        }
        scope.SiteNames[name] = span;
        return true;
    }

    /// <summary>Inside a for loop a site's name must change with every enclosing loop variable, or iterations would collide.</summary>
    bool CheckLoopIndices(SampleStmt s, string name, IReadOnlyList<BoundExpr> nameIndices)
    {
        foreach (var loop in scope.Loops)
            if (!nameIndices.Any(e => Mentions(e, loop)))
            {
                Error(ErrorCode.SiteIndex, s.Target.Span, $"site '{name}' is inside 'for {loop.Name}' but its name does not depend on '{loop.Name}'",
                    $"index it, e.g. '{name}[{loop.Name}]', so each iteration has its own site");
                return false;
            }
        return true;
    }

    static bool Mentions(BoundExpr e, Symbol s) => e switch
    {
        BoundVariable v => v.Symbol == s,
        BoundUnary u => Mentions(u.Operand, s),
        BoundBinary b => Mentions(b.Left, s) || Mentions(b.Right, s),
        BoundCall c => c.Args.Any(a => Mentions(a, s)),
        _ => false,
    };

    BoundStatement? Latent(SampleStmt s, string name, List<BoundExpr> nameIndices, BoundDistribution? dist)
    {
        if (dist is null) return null;
        if (!CheckLoopIndices(s, name, nameIndices)) return null;
        DeclaredType? declared = null;
        var shape = dist.ValueShape;
        if (s.Type is not null)
        {
            declared = DeclaredTypeOf(s.Type, allowBounds: true);
            if (declared is null) return null;
            if (!CheckDeclaredAgainstSupport(declared, dist, s.Type)) return null;
            shape = declared.Shape;
        }
        if (!FlowHasVector(s, shape)) return null;
        var kind = dist.Flows.Count > 0 ? ScalarKind.Real : dist.Info.ValueKind;
        var id = s.Target is IndexExpr ix ? (ix.Target as NameExpr)! : (NameExpr)s.Target;
        var existing = Lookup(name) as SiteSymbol;
        SiteSymbol site;
        if (existing is not null)
        {
            if (existing.ElementIndices != nameIndices.Count || !existing.Type.Shape.Matches(shape) || existing.Type.Kind != kind)
            {
                Error(ErrorCode.DuplicateSite, s.Target.Span,
                    $"'{name}' was sampled at line {Line(existing.Span)} as {existing.Type} with {existing.ElementIndices} index(es); here it is {new ExprType(kind, shape)} with {nameIndices.Count}",
                    "every element of a site family has the same type and number of indices");
                return null;
            }
            site = existing;
        }
        else
        {
            site = new SiteSymbol(name, s.Target.Span, new ExprType(kind, shape), scope.Plates.ToList(), nameIndices.Count, dist.Info, dist.Flows.Count > 0);
            if (nameIndices.Count == 0 && !RegisterSiteName(name, s.Target.Span)) return null;
            if (!Declare(site, new Identifier(name) { Span = id.Span }, outermost: nameIndices.Count > 0)) return null;
            scope.Latents.Add(site);
        }
        return new BoundSample(s.Span, name, nameIndices, site, null, dist, declared, shape, scope.Plates.ToList());
    }

    BoundStatement? IndexedLatent(SampleStmt s, string name, IndexExpr target, BoundDistribution? dist)
    {
        if (s.Type is not null)
        {
            Error(ErrorCode.TypedTarget, s.Type.Span, "a site type can only follow a plain name", $"write '{name}: TYPE ~ ...' or leave the type out");
            return null;
        }
        var nameIndices = new List<BoundExpr>();
        var plateIndices = new List<PlateSymbol>();
        foreach (var a in target.Indices)
        {
            if (a is not PointIndex p)
            {
                Error(ErrorCode.SiteIndex, a.Span, "a new site is indexed by loop or plate variables, not sliced");
                return null;
            }
            var b = Expr(p.Index);
            if (b is BoundError) return null;
            if (b is BoundVariable { Symbol: IndexSymbol { Plate: { } plate } })
            {
                plateIndices.Add(plate);
                continue;
            }
            if (plateIndices.Count > 0)
            {
                Error(ErrorCode.SiteIndex, a.Span, "plate variables come after the other indices of a site");
                return null;
            }
            if (b.Type.Kind != ScalarKind.Int || b.Type.Shape.Rank != 0 || !b.IsData || b.Plates.Count > 0)
            {
                Error(ErrorCode.SiteIndex, a.Span, $"an index of site '{name}' must be an int computed from data and loop variables, got {b.Type}");
                return null;
            }
            nameIndices.Add(b);
        }
        if (plateIndices.Count > 0 && !plateIndices.SequenceEqual(scope.Plates))
        {
            Error(ErrorCode.SiteIndex, target.Span,
                $"'{name}' is inside plate(s) [{string.Join(", ", scope.Plates.Select(p => p.Name))}] but is indexed by [{string.Join(", ", plateIndices.Select(p => p.Name))}]",
                "index a site by all enclosing plate variables in order, or by none");
            return null;
        }
        return Latent(s, name, nameIndices, dist);
    }

    bool CheckDeclaredAgainstSupport(DeclaredType declared, BoundDistribution dist, TypeSyntax at)
    {
        var info = dist.Info;
        var support = dist.Flows.Count > 0 ? SupportKind.RealVector : info.Support;
        var kind = dist.Flows.Count > 0 ? ScalarKind.Real : info.ValueKind;
        if (declared.Kind != kind && !(declared.Kind == ScalarKind.Bool && support == SupportKind.Boolean))
        {
            Error(ErrorCode.SupportMismatch, at.Span, $"the site is declared {Kind(declared.Kind)} but {info.Name} gives {Kind(kind)} values");
            return false;
        }
        if (declared.Constraint == TypeConstraint.Ordered)
        {
            // The order statistics of K draws: each draw a scalar on the whole real line (Normal, StudentT, ...).
            if (support != SupportKind.Real || info.EventRank != 0)
            {
                Error(ErrorCode.SupportMismatch, at.Span, $"an ordered vector sorts draws on the whole real line, but {info.Name} gives {Builtins.Describe(support)} values",
                    "give the site a real-line distribution of scalars (Normal, StudentT, Cauchy, ...), or declare it real[K]");
                return false;
            }
            if (!Shape.BroadcastsTo(dist.ValueShape, declared.Shape))
            {
                Error(ErrorCode.ShapeMismatch, at.Span, $"{info.Name} has shape {dist.ValueShape}, which does not broadcast to the declared {declared.Shape}");
                return false;
            }
            return true;
        }
        string? expected = support switch
        {
            SupportKind.Simplex => declared.Constraint == TypeConstraint.Simplex ? null : "simplex[K]",
            SupportKind.PositiveDefinite => declared.Constraint == TypeConstraint.CovMatrix ? null : "cov_matrix[K]",
            SupportKind.CorrCholesky => declared.Constraint == TypeConstraint.CholeskyCorr ? null : "cholesky_corr[K]",
            _ => declared.Constraint == TypeConstraint.None ? null : "a plain real or int type",
        };
        if (expected is null && declared.Constraint == TypeConstraint.None && (declared.Lower is not null || declared.Upper is not null))
        {
            double? lo = declared.Lower?.ConstantValue, hi = declared.Upper?.ConstantValue;
            bool fits = support switch
            {
                SupportKind.Positive => lo == 0 && declared.Upper is null,
                SupportKind.UnitInterval => lo == 0 && hi == 1,
                SupportKind.Interval => true,
                SupportKind.Count or SupportKind.Boolean or SupportKind.Category or SupportKind.BoundedCount => lo is null or 0,
                _ => false,
            };
            if (!fits) expected = $"bounds matching {info.Name}'s support ({Builtins.Describe(support)})";
        }
        if (expected is not null)
        {
            Error(ErrorCode.SupportMismatch, at.Span, $"the declared type does not match the support of {info.Name} ({Builtins.Describe(support)})",
                $"declare {expected}, or leave the type's bounds out: the distribution's support decides them");
            return false;
        }
        if (!Shape.BroadcastsTo(dist.ValueShape, declared.Shape))
        {
            Error(ErrorCode.ShapeMismatch, at.Span, $"{info.Name} has shape {dist.ValueShape}, which does not broadcast to the declared {declared.Shape}");
            return false;
        }
        return true;
    }
}
