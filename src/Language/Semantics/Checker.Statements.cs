using Ppl.Language.Diagnostics;
using Ppl.Language.Syntax;
using Ppl.Language.Text;

namespace Ppl.Language.Semantics;

// Declarations and the statements that nest: data, param, net, let, factor, for, plate and if.
public sealed partial class Checker
{
    List<BoundStatement> Statements(IEnumerable<Statement> body)
    {
        var list = new List<BoundStatement>();
        foreach (var s in body)
            if (Statement(s) is { } b) list.Add(b);
        return list;
    }

    BoundStatement? Statement(Statement s)
    {
        switch (s)
        {
            case DataDecl d: return DataDeclaration(d);
            case ParamDecl p: return ParamDeclaration(p);
            case NetDecl n: return NetDeclaration(n);
            case LetStmt l: return Let(l);
            case FactorStmt f: return Factor(f);
            case SampleStmt x: return Sample(x);
            case ForStmt f: return For(f);
            case PlateStmt p: return Plate(p);
            case IfStmt i: return If(i);
            default: throw new InvalidOperationException($"unknown statement {s.GetType().Name}");
        }
    }

    bool AtTopLevel(Statement s, string what)
    {
        if (scope.Nesting == 0) return true;
        Error(ErrorCode.Misplaced, s.Span, $"{what} must be at the top of the block, not inside for, plate or if");
        return false;
    }

    BoundStatement? DataDeclaration(DataDecl d)
    {
        if (scope.IsGuide)
        {
            Error(ErrorCode.NotInGuide, d.Span, "a guide cannot declare data", "a guide sees its model's data; declare it in the model");
            return null;
        }
        if (!AtTopLevel(d, "a data declaration")) return null;
        var type = DeclaredTypeOf(d.Type, allowBounds: true);
        BoundExpr? def = null;
        if (d.Default is not null)
        {
            def = Expr(d.Default);
            if (def is not BoundError && type is not null)
            {
                if (!def.IsData || def.Plates.Count > 0) Error(ErrorCode.SizeNotData, d.Default.Span, "a data default must be computed from data alone");
                else CheckAssignable(def, type, d.Default.Span, "default");
            }
        }
        if (type is null) return null;
        var sym = new DataSymbol(d.Name.Name, d.Name.Span, type, def);
        if (!Declare(sym, d.Name)) return null;
        scope.Data.Add(sym);
        // A size a data item's shape fixes can come from that shape when the file lacks it (docs/language.md §1.2).
        for (int axis = 0; axis < type.Shape.Rank; axis++)
            if (Lookup(type.Shape.Dims[axis].Text) is DataSymbol size && size.Type.Kind == ScalarKind.Int && size.Type.Shape.Rank == 0)
                size.SizeSources.Add((sym, axis));
        return new BoundData(d.Span, sym);
    }

    void CheckAssignable(BoundExpr value, DeclaredType type, SourceSpan span, string what)
    {
        if (value.Type.Kind == ScalarKind.Real && type.Kind != ScalarKind.Real)
            Error(ErrorCode.TypeMismatch, span, $"the {what} is real but the type is {Kind(type.Kind)}");
        else if (!Shape.BroadcastsTo(value.Type.Shape, type.Shape))
            Error(ErrorCode.ShapeMismatch, span, $"the {what} has shape {value.Type.Shape} but the type has shape {type.Shape}");
    }

    BoundStatement? ParamDeclaration(ParamDecl p)
    {
        if (!AtTopLevel(p, "a param declaration")) return null;
        var type = DeclaredTypeOf(p.Type, allowBounds: true);
        BoundExpr? init = null;
        if (p.Init is not null)
        {
            init = Expr(p.Init);
            if (init is not BoundError && type is not null)
            {
                if (!init.IsData) Error(ErrorCode.SizeNotData, p.Init.Span, "a param's initial value must be computed from data alone");
                else CheckAssignable(init, type, p.Init.Span, "initial value");
            }
        }
        if (type is null) return null;
        if (type.Kind != ScalarKind.Real)
        {
            Error(ErrorCode.TypeMismatch, p.Type.Span, $"a param is learned by gradients, so it must be real, not {Kind(type.Kind)}");
            return null;
        }
        var sym = new ParamSymbol(p.Name.Name, p.Name.Span, type, init);
        if (!Declare(sym, p.Name)) return null;
        scope.Parameters.Add(sym);
        return new BoundParam(p.Span, sym);
    }

    BoundStatement? NetDeclaration(NetDecl n)
    {
        if (!AtTopLevel(n, "a net declaration")) return null;
        var ctor = n.Constructor;
        if (!Builtins.NetKinds.Contains(ctor.Callee.Name))
        {
            Error(ErrorCode.BadNet, ctor.Callee.Span, $"unknown network kind '{ctor.Callee}'", DidYouMean(ctor.Callee.Name, Builtins.NetKinds) ?? "the network kind is Mlp");
            return null;
        }
        var sizes = new List<BoundExpr>();
        string activation = Builtins.Activations[0];
        bool ok = true;
        foreach (var a in ctor.Args.Concat(n.Options))
        {
            if (a.Name is null)
            {
                var b = Expr(a.Value);
                if (b is BoundError) { ok = false; continue; }
                if (!b.IsSize) { Error(ErrorCode.SizeNotData, a.Value.Span, "a layer size must be an int computed from data alone"); ok = false; }
                else if (b is BoundLiteral { Value: <= 0 }) { Error(ErrorCode.InvalidValue, a.Value.Span, "a layer size must be positive"); ok = false; }
                sizes.Add(b);
            }
            else if (a.Name.Name == "activation")
            {
                if (a.Value is NameExpr act && Builtins.Activations.Contains(act.Name)) activation = act.Name;
                else
                {
                    string given = a.Value is NameExpr g ? g.Name : SyntaxPrinter.Expr(a.Value);
                    Error(ErrorCode.BadNet, a.Value.Span, $"unknown activation '{given}'",
                        DidYouMean(given, Builtins.Activations) ?? $"activations: {string.Join(", ", Builtins.Activations)}");
                    ok = false;
                }
            }
            else
            {
                Error(ErrorCode.UnknownArgument, a.Name.Span, $"{ctor.Callee} has no option '{a.Name}'", DidYouMean(a.Name.Name, ["activation"]));
                ok = false;
            }
        }
        if (ok && sizes.Count < 2)
        {
            Error(ErrorCode.ArgumentCount, ctor.Span, $"{ctor.Callee} needs at least an input and an output size, got {sizes.Count} size(s)");
            ok = false;
        }
        if (!ok) return null;
        var sym = new NetSymbol(n.Name.Name, n.Name.Span, ctor.Callee.Name, sizes, activation);
        if (!Declare(sym, n.Name)) return null;
        scope.Nets.Add(sym);
        return new BoundNet(n.Span, sym);
    }

    BoundStatement? Let(LetStmt l)
    {
        var value = Expr(l.Value);
        var sym = new LetSymbol(l.Name.Name, l.Name.Span, value.Type, value.Plates, value.IsData);
        if (!Declare(sym, l.Name) || value is BoundError) return null;
        return new BoundLet(l.Span, sym, value, Reported: !scope.IsGuide && scope.Nesting == 0 && !value.IsData);
    }

    BoundStatement? Factor(FactorStmt f)
    {
        if (scope.IsGuide)
        {
            Error(ErrorCode.NotInGuide, f.Span, "a guide cannot add a factor", "a guide is a distribution to sample from; put factors in the model");
            return null;
        }
        var value = Expr(f.Value);
        if (value is BoundError) return null;
        if (value.Type.Kind == ScalarKind.Bool)
        {
            Error(ErrorCode.TypeMismatch, f.Value.Span, "a factor is a log density, so it must be a number, not a bool");
            return null;
        }
        if (scope.Loops.Count > 0)
        {
            Error(ErrorCode.SiteIndex, f.Span, "a factor inside a for loop would be added under one name per iteration",
                "sum the terms into one factor after the loop, or use a plate");
            return null;
        }
        return new BoundFactor(f.Span, value, scope.FactorCount++);
    }

    BoundStatement? For(ForStmt f)
    {
        var from = Expr(f.From);
        var to = Expr(f.To);
        bool ok = true;
        foreach (var (b, e) in new[] { (from, f.From), (to, f.To) })
            if (b is BoundError) ok = false;
            else if (!b.IsSize) { Error(ErrorCode.SizeNotData, e.Span, "loop bounds must be ints computed from data alone (not varying over a plate)"); ok = false; }
        var variable = new IndexSymbol(f.Variable.Name, f.Variable.Span, null);
        scope.Push();
        scope.Nesting++;
        if (!Declare(variable, f.Variable)) ok = false;
        scope.Loops.Add(variable);
        var body = Statements(f.Body);
        scope.Loops.RemoveAt(scope.Loops.Count - 1);
        scope.Nesting--;
        scope.Pop();
        return ok ? new BoundFor(f.Span, variable, from, to, body) : null;
    }

    BoundStatement? Plate(PlateStmt p)
    {
        var size = Expr(p.Size);
        bool ok = size is not BoundError;
        if (ok && !size.IsSize) { Error(ErrorCode.SizeNotData, p.Size.Span, "a plate size must be an int computed from data alone"); ok = false; }
        BoundExpr? sub = null;
        if (p.Subsample is not null)
        {
            sub = Expr(p.Subsample);
            if (sub is BoundError) ok = false;
            else if (!sub.IsSize) { Error(ErrorCode.SizeNotData, p.Subsample.Span, "a subsample size must be an int computed from data alone"); ok = false; }
            else if (ok && sub is BoundLiteral { Value: var m } && size is BoundLiteral { Value: var n } && m > n)
            { Error(ErrorCode.BadSubsample, p.Subsample.Span, $"subsample {m} is larger than the plate's size {n}"); ok = false; }
            else if (sub is BoundLiteral { Value: <= 0 }) { Error(ErrorCode.BadSubsample, p.Subsample.Span, "a subsample size must be positive"); ok = false; }
        }
        PlateSymbol? plate = null;
        if (!ok)
            plate = new PlateSymbol(p.Variable.Name, p.Variable.Span, size, sub, size is BoundError ? Dim.Unknown : DimOf(size), scope.Plates.Count);   // lets the body be checked
        else
        {
            var dim = DimOf(size);
            if (scope.PlatesByName.TryGetValue(p.Variable.Name, out var previous))
            {
                if (scope.Plates.Contains(previous))
                { Error(ErrorCode.Redefined, p.Variable.Span, $"plate '{p.Variable}' is already open (line {Line(previous.Span)})"); ok = false; }
                else if (previous.Depth != scope.Plates.Count)
                { Error(ErrorCode.Redefined, p.Variable.Span, $"plate '{p.Variable}' was opened at another nesting depth at line {Line(previous.Span)}",
                    "a plate entered again must sit at the same depth, inside the same plates"); ok = false; }
                else if (!previous.SizeDim.SameAs(dim) || (previous.Subsample is null) != (sub is null) || sub is not null && !DimOf(previous.Subsample!).SameAs(DimOf(sub)))
                { Error(ErrorCode.Redefined, p.Variable.Span, $"plate '{p.Variable}' was declared with another size or subsample at line {Line(previous.Span)}",
                    "a plate entered again shares its indices, so its size and subsample must be the same"); ok = false; }
                else plate = previous;
            }
            else
            {
                plate = new PlateSymbol(p.Variable.Name, p.Variable.Span, size, sub, dim, scope.Plates.Count);
                scope.PlatesByName[plate.Name] = plate;
            }
            plate ??= new PlateSymbol(p.Variable.Name, p.Variable.Span, size, sub, dim, scope.Plates.Count);
        }
        var variable = new IndexSymbol(p.Variable.Name, p.Variable.Span, plate);
        scope.Push();
        scope.Nesting++;
        if (plate is not null)
        {
            if (!Declare(variable, p.Variable)) ok = false;
            scope.Plates.Add(plate);
        }
        var body = Statements(p.Body);
        if (plate is not null) scope.Plates.RemoveAt(scope.Plates.Count - 1);
        scope.Nesting--;
        scope.Pop();
        return ok && plate is not null ? new BoundPlate(p.Span, plate, variable, body) : null;
    }

    BoundStatement? If(IfStmt i)
    {
        var cond = Expr(i.Condition);
        bool ok = cond is not BoundError;
        if (ok && (cond.Type.Kind != ScalarKind.Bool || cond.Type.Shape.Rank != 0))
        { Error(ErrorCode.BadCondition, i.Condition.Span, $"a condition must be a bool scalar, got {cond.Type}", "compare with ==, <, ... to get a bool"); ok = false; }
        else if (ok && cond.Plates.Count > 0)
        { Error(ErrorCode.BadCondition, i.Condition.Span, $"this condition varies over plate '{cond.Plates[^1].Name}', so it cannot choose one branch",
            "use where(cond, a, b) to choose elementwise"); ok = false; }
        // Both branches may sample the same site (only one runs), so site names are tracked per branch.
        var before = new Dictionary<string, SourceSpan>(scope.SiteNames);
        scope.Nesting++;
        scope.Push();
        var then = Statements(i.Then);
        scope.Pop();
        var afterThen = scope.SiteNames;
        scope.SiteNames = new Dictionary<string, SourceSpan>(before);
        List<BoundStatement>? els = null;
        if (i.Else is not null)
        {
            scope.Push();
            els = Statements(i.Else);
            scope.Pop();
        }
        scope.Nesting--;
        foreach (var (k, v) in afterThen) scope.SiteNames.TryAdd(k, v);
        return ok ? new BoundIf(i.Span, cond, then, els) : null;
    }
}
