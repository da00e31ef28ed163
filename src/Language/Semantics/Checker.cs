using Ppl.Language.Diagnostics;
using Ppl.Language.Syntax;
using Ppl.Language.Text;

namespace Ppl.Language.Semantics;

/// <summary>
/// syntax tree → checked program. Resolves every name, infers kinds and shapes symbolically over data sizes,
/// decides for each <c>~</c> whether it is latent or observed, checks calls against <see cref="Builtins"/>,
/// and checks each guide against its model. Every error is reported (in source order by the caller) and
/// an expression that failed becomes a <see cref="BoundError"/> so it causes no further messages.
/// <para>
/// Plates: an expression's <see cref="BoundExpr.Type"/> is its shape per plate element and
/// <see cref="BoundExpr.Plates"/> the plates it varies over. A plate variable may index data (<c>x[n]</c>)
/// and names the site it indexes; values that vary over a plate can only be used inside it.
/// </para>
/// </summary>
public sealed class Checker
{
    readonly SourceFile file;
    readonly List<Diagnostic> diagnostics = new();

    // What the block being checked has declared so far; a fresh one per block.
    BlockScope scope = null!;

    Checker(SourceFile file) => this.file = file;

    /// <summary>Checks a parsed file. The program is null when there is any error.</summary>
    public static (CheckedProgram? Program, IReadOnlyList<Diagnostic> Diagnostics) Check(ProgramSyntax syntax, SourceFile file)
    {
        var checker = new Checker(file);
        var program = checker.CheckProgram(syntax);
        var sorted = DiagnosticRenderer.InSourceOrder(checker.diagnostics);
        return (sorted.Count == 0 ? program : null, sorted);
    }

    void Error(string code, SourceSpan span, string message, string? help = null) => diagnostics.Add(new Diagnostic(code, message, span, help));

    int Line(SourceSpan span) => file.Position(span.Start).Line;

    static string? DidYouMean(string name, IEnumerable<string> candidates) =>
        Suggestions.Closest(name, candidates) is { } s ? $"did you mean '{s}'?" : null;

    // ---- program and blocks -------------------------------------------------------------------------

    CheckedProgram CheckProgram(ProgramSyntax syntax)
    {
        var seen = new Dictionary<string, BlockSyntax>();
        foreach (var b in syntax.Blocks)
        {
            if (seen.TryGetValue(b.Name.Name, out var first))
                Error(ErrorCode.DuplicateBlock, b.Name.Span, $"'{b.Name}' is already defined at line {Line(first.Name.Span)}");
            else seen[b.Name.Name] = b;
        }
        if (!syntax.Blocks.OfType<ModelSyntax>().Any())
            Error(ErrorCode.NoModel, syntax.Blocks.Count > 0 ? syntax.Blocks[0].Name.Span : SourceSpan.At(0), "the file has no model",
                "a file needs at least one 'model NAME { ... }' block");

        var checkedBlocks = new Dictionary<BlockSyntax, CheckedModel>();
        var models = new Dictionary<string, CheckedModel>();
        foreach (var m in syntax.Blocks.OfType<ModelSyntax>())
        {
            var cm = CheckBlock(m, null);
            checkedBlocks[m] = cm;
            models.TryAdd(m.Name.Name, cm);
        }
        foreach (var g in syntax.Blocks.OfType<GuideSyntax>())
        {
            if (!models.TryGetValue(g.Model.Name, out var model))
            {
                Error(ErrorCode.UnknownModel, g.Model.Span, $"guide '{g.Name}' is for model '{g.Model}', which is not in this file",
                    DidYouMean(g.Model.Name, models.Keys));
                continue;
            }
            var cg = CheckBlock(g, model);
            checkedBlocks[g] = cg;
            CompareGuide(cg, model);
        }
        return new CheckedProgram(file, syntax.Blocks.Where(checkedBlocks.ContainsKey).Select(b => checkedBlocks[b]).ToList());
    }

    CheckedModel CheckBlock(BlockSyntax block, CheckedModel? model)
    {
        scope = new BlockScope(block is GuideSyntax, model?.Data ?? []);
        CollectDeclarations(block.Body);
        var body = Statements(block.Body);
        return new CheckedModel(block, model, body, scope.Data, scope.Parameters, scope.Nets, scope.Latents, scope.Observed);
    }

    /// <summary>Every name a block declares, so a use above its declaration gets "used before its definition" rather than "unknown".</summary>
    void CollectDeclarations(IEnumerable<Statement> body)
    {
        foreach (var s in body)
        {
            Identifier? id = s switch
            {
                DataDecl d => d.Name, ParamDecl p => p.Name, NetDecl n => n.Name, LetStmt l => l.Name,
                _ => null,
            };
            if (id is not null) scope.DeclaredInBlock.TryAdd(id.Name, id.Span);
            switch (s)
            {
                case SampleStmt { Target: NameExpr n } x: scope.DeclaredInBlock.TryAdd(n.Name, x.Target.Span); break;
                case SampleStmt { Target: IndexExpr { Target: NameExpr n } } x: scope.DeclaredInBlock.TryAdd(n.Name, x.Target.Span); break;
                case ForStmt f: CollectDeclarations(f.Body); break;
                case PlateStmt p: CollectDeclarations(p.Body); break;
                case IfStmt i:
                    CollectDeclarations(i.Then);
                    if (i.Else is not null) CollectDeclarations(i.Else);
                    break;
            }
        }
    }

    void CompareGuide(CheckedModel guide, CheckedModel model)
    {
        var guideSites = guide.Latents.ToDictionary(s => s.Name);
        foreach (var site in model.Latents)
        {
            if (!guideSites.TryGetValue(site.Name, out var g))
            {
                Error(ErrorCode.GuideMissesSite, guide.Syntax.Name.Span,
                    $"guide '{guide.Name}' does not sample '{site.Name}', a latent site of model '{model.Name}' (line {Line(site.Span)})",
                    $"add a statement '{site.Name} ~ ...' to the guide");
                continue;
            }
            string? problem = null;
            if (g.ElementIndices != site.ElementIndices)
                problem = $"is indexed by {g.ElementIndices} loop index(es) in the guide but {site.ElementIndices} in the model";
            else if (g.Type.Kind != site.Type.Kind && !(g.Type.Kind != ScalarKind.Real && site.Type.Kind != ScalarKind.Real))
                problem = $"is {Kind(site.Type.Kind)} in the model but {Kind(g.Type.Kind)} in the guide";
            else if (!g.Type.Shape.Matches(site.Type.Shape))
                problem = $"has shape {site.Type.Shape} in the model but {g.Type.Shape} in the guide";
            else if (!g.Plates.Select(p => p.Name).SequenceEqual(site.Plates.Select(p => p.Name)))
                problem = $"is inside plates [{string.Join(", ", site.Plates.Select(p => p.Name))}] in the model but [{string.Join(", ", g.Plates.Select(p => p.Name))}] in the guide";
            else
                for (int k = 0; k < g.Plates.Count; k++)
                {
                    var (mp, gp) = (site.Plates[k], g.Plates[k]);
                    if (!mp.SizeDim.SameAs(gp.SizeDim) && !mp.SizeDim.IsUnknown && !gp.SizeDim.IsUnknown)
                        problem = $"is in plate '{mp.Name}' of size {mp.SizeDim} in the model but {gp.SizeDim} in the guide";
                    else if ((mp.Subsample is null) != (gp.Subsample is null) ||
                             mp.Subsample is not null && gp.Subsample is not null && !DimOf(mp.Subsample).SameAs(DimOf(gp.Subsample)))
                        problem = $"is in plate '{mp.Name}' subsampled differently in the model and the guide";
                }
            if (problem is not null)
                Error(ErrorCode.GuideSiteShape, g.Span, $"site '{site.Name}' {problem}", $"the model samples it at line {Line(site.Span)}");
        }
        var modelSites = model.Latents.Select(s => s.Name).ToHashSet();
        foreach (var g in guide.Latents)
            if (!modelSites.Contains(g.Name))
                Error(ErrorCode.GuideExtraSite, g.Span, $"guide '{guide.Name}' samples '{g.Name}', which model '{model.Name}' does not have",
                    DidYouMean(g.Name, modelSites) ?? "a guide samples exactly the model's latent sites; use 'let' for intermediate values");
    }

    static string Kind(ScalarKind k) => k.ToString().ToLowerInvariant();

    // ---- scopes -------------------------------------------------------------------------------------

    Symbol? Lookup(string name) => scope.Lookup(name);

    /// <summary>Declares a name in the innermost scope (or the outermost for element-wise families).</summary>
    bool Declare(Symbol symbol, Identifier at, bool outermost = false)
    {
        if (symbol.Name.StartsWith("__", StringComparison.Ordinal))
        {
            Error(ErrorCode.ReservedName, at.Span, $"names starting with '__' are reserved for generated code", "choose another name");
            return false;
        }
        if (Builtins.Functions.ContainsKey(symbol.Name))
        {
            Error(ErrorCode.ReservedName, at.Span, $"'{symbol.Name}' is a built-in function and cannot be redefined", "choose another name");
            return false;
        }
        if (Lookup(symbol.Name) is { } existing)
        {
            Error(ErrorCode.Redefined, at.Span, $"'{symbol.Name}' is already defined at line {Line(existing.Span)} (as {existing.Kind})",
                "names are defined once per block; choose another name");
            return false;
        }
        scope.Add(symbol, outermost);
        return true;
    }


    // ---- statements ---------------------------------------------------------------------------------

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
        // A size a data item's shape fixes can come from that shape when the file lacks it (LANGUAGE.md §1).
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

    // ---- sample statements --------------------------------------------------------------------------

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

    // ---- distributions and flows --------------------------------------------------------------------

    BoundDistribution? Distribution(CallExpr call, IReadOnlyList<CallExpr> flowCalls)
    {
        string name = call.Callee.Name;
        if (!Builtins.Distributions.TryGetValue(name, out var info))
        {
            string? help = Builtins.Functions.ContainsKey(name) ? $"'{name}' is a function; after '~' comes a distribution"
                : Builtins.Flows.ContainsKey(name) ? $"'{name}' is a flow; write it after the distribution: '~ Normal(0, 1) then {name}(2)'"
                : DidYouMean(name, Builtins.Distributions.Keys);
            Error(ErrorCode.UnknownDistribution, call.Callee.Span, $"unknown distribution '{name}'", help);
            foreach (var a in call.Args) Expr(a.Value);
            return null;
        }
        var bound = call.Args.Select(a => Expr(a.Value)).ToList();
        var args = BindArguments(call, info, bound);
        if (args is null || bound.Any(b => b is BoundError)) return null;
        var (sig, ordered) = args.Value;

        bool ok = true;
        var batch = Shape.Scalar;
        for (int k = 0; k < sig.Params.Count; k++)
        {
            var p = sig.Params[k];
            var (arg, at) = ordered[k];
            if (p.Domain == Domain.NonNegativeInt && arg.Type.Kind != ScalarKind.Int)
            { Error(ErrorCode.TypeMismatch, at, $"{p.Name} of {name} must be an int, got {arg.Type}"); ok = false; continue; }
            if (arg.Type.Kind == ScalarKind.Bool)
            { Error(ErrorCode.TypeMismatch, at, $"{p.Name} of {name} must be a number, got {arg.Type}"); ok = false; continue; }
            if (arg.ConstantValue is double c)
            {
                string? wrong = p.Domain switch
                {
                    Domain.Positive when c <= 0 => "positive",
                    Domain.UnitInterval when c < 0 || c > 1 => "in [0, 1]",
                    Domain.NonNegativeInt when c < 0 => "at least 0",
                    _ => null,
                };
                if (wrong is not null)
                { Error(ErrorCode.InvalidValue, at, $"{p.Name} of {name} must be {wrong}, got {SyntaxPrinter.Real(c).Replace(".0", "")}"); ok = false; continue; }
            }
            if (arg.Type.Shape.Rank < p.EventRank)
            {
                Error(ErrorCode.ShapeMismatch, at, $"{p.Name} of {name} must be a {(p.EventRank == 1 ? "vector" : "matrix")}, got {arg.Type}");
                ok = false;
                continue;
            }
            if (p.EventRank == 2 && arg.Type.Shape.Dims[^1].ProvablyDiffers(arg.Type.Shape.Dims[^2]))
            { Error(ErrorCode.ShapeMismatch, at, $"{p.Name} of {name} must be a square matrix, got {arg.Type}"); ok = false; continue; }
            var next = Shape.Broadcast(batch, arg.Type.Shape.DropLast(p.EventRank));
            if (next is null)
            {
                Error(ErrorCode.ShapeMismatch, at, $"the arguments of {name} do not broadcast: {p.Name} has batch shape {arg.Type.Shape.DropLast(p.EventRank)}, the ones before it {batch}");
                ok = false;
                continue;
            }
            batch = next;
        }
        if (!ok) return null;
        var eventShape = Shape.Scalar;
        if (info.EventRank > 0)
        {
            int k = sig.Params.ToList().FindIndex(p => p.EventRank >= 1);
            eventShape = ordered[k].Arg.Type.Shape.Last(info.EventRank);
            for (int j = 0; j < sig.Params.Count; j++)
                if (j != k && sig.Params[j].EventRank >= 1 && ordered[j].Arg.Type.Shape.Dims[^1].ProvablyDiffers(eventShape.Dims[^1]))
                {
                    Error(ErrorCode.ShapeMismatch, ordered[j].Span, $"{sig.Params[j].Name} of {name} has size {ordered[j].Arg.Type.Shape.Dims[^1]} but {sig.Params[k].Name} has {eventShape.Dims[^1]}");
                    return null;
                }
        }
        var argPlates = scope.MergePlates(ordered.Select(o => o.Arg).ToArray());
        var flows = new List<BoundFlow>();
        foreach (var f in flowCalls)
        {
            var flow = Flow(f, info);
            if (flow is null) ok = false;
            else flows.Add(flow);
        }
        if (!ok) return null;
        return new BoundDistribution(call.Span, info, sig, ordered.Select(o => o.Arg).ToList(), flows, batch, eventShape, argPlates);
    }

    /// <summary>Binds arguments to the first signature they fit; otherwise reports the most useful reason none fits.</summary>
    (Signature Sig, List<(BoundExpr Arg, SourceSpan Span)> Ordered)? BindArguments(CallExpr call, DistributionInfo info, List<BoundExpr> bound)
    {
        string name = info.Name;
        int positional = 0;
        bool seenNamed = false;
        var named = new Dictionary<string, int>();
        for (int k = 0; k < call.Args.Count; k++)
        {
            var a = call.Args[k];
            if (a.Name is null)
            {
                if (seenNamed) { Error(ErrorCode.DuplicateArgument, a.Span, "a positional argument cannot follow a named one"); return null; }
                positional++;
            }
            else
            {
                seenNamed = true;
                if (!named.TryAdd(a.Name.Name, k)) { Error(ErrorCode.DuplicateArgument, a.Name.Span, $"argument '{a.Name}' is given twice"); return null; }
            }
        }
        foreach (var sig in info.Signatures)
        {
            if (positional > sig.Params.Count) continue;
            if (named.Keys.Any(n => sig.Params.Select(p => p.Name).ToList().IndexOf(n) is var i && (i < 0 || i < positional))) continue;
            if (sig.Params.Skip(positional).Any(p => !named.ContainsKey(p.Name))) continue;
            var ordered = new List<(BoundExpr, SourceSpan)>();
            for (int k = 0; k < sig.Params.Count; k++)
            {
                int idx = k < positional ? k : named[sig.Params[k].Name];
                ordered.Add((bound[idx], call.Args[idx].Span));
            }
            return (sig, ordered);
        }
        string forms = string.Join(" or ", info.Signatures.Select(s => $"{name}({s})"));
        var allNames = info.Signatures.SelectMany(s => s.Params.Select(p => p.Name)).Distinct().ToList();
        foreach (var (n, k) in named)
            if (!allNames.Contains(n))
            {
                Error(ErrorCode.UnknownArgument, call.Args[k].Name!.Span, $"{name} has no argument '{n}'", DidYouMean(n, allNames) ?? $"use {forms}");
                return null;
            }
        int max = info.Signatures.Max(s => s.Params.Count);
        if (positional > max)
        {
            Error(ErrorCode.ArgumentCount, call.Span, $"{name} takes {max} argument(s), got {call.Args.Count}", $"use {forms}");
            return null;
        }
        foreach (var (n, k) in named)
            foreach (var sig in info.Signatures)
                if (sig.Params.Select(p => p.Name).ToList().IndexOf(n) is var i && i >= 0 && i < positional)
                {
                    Error(ErrorCode.DuplicateArgument, call.Args[k].Name!.Span, $"argument '{n}' of {name} is already given by position");
                    return null;
                }
        // Missing arguments: report against the signature the named arguments point to.
        var best = info.Signatures.FirstOrDefault(s => named.Keys.All(n => s.Params.Any(p => p.Name == n))) ?? info.Signatures[0];
        var missing = best.Params.Skip(positional).Where(p => !named.ContainsKey(p.Name)).Select(p => p.Name).ToList();
        if (missing.Count == 0)
        {
            Error(ErrorCode.DuplicateArgument, call.Span, $"these arguments mix two forms of {name}", $"use {forms}");
            return null;
        }
        Error(ErrorCode.MissingArgument, call.Span, $"{name} needs {string.Join(" and ", missing.Select(m => $"'{m}'"))}", $"use {forms}");
        return null;
    }

    BoundFlow? Flow(CallExpr f, DistributionInfo baseInfo)
    {
        string name = f.Callee.Name;
        if (!Builtins.Flows.TryGetValue(name, out var info))
        {
            Error(ErrorCode.UnknownFlow, f.Callee.Span, $"unknown flow '{name}'",
                Builtins.Distributions.ContainsKey(name) ? "'then' is followed by a flow (Planar, Radial, Iaf), not a distribution" : DidYouMean(name, Builtins.Flows.Keys));
            return null;
        }
        if (baseInfo.ValueKind != ScalarKind.Real)
        {
            Error(ErrorCode.SupportMismatch, f.Span, $"a flow transforms real values, but {baseInfo.Name} is discrete");
            return null;
        }
        BoundExpr? layers = null;
        var options = new Dictionary<string, BoundExpr>();
        bool ok = true;
        foreach (var a in f.Args)
        {
            var b = Expr(a.Value);
            if (b is BoundError) { ok = false; continue; }
            if (a.Name is null)
            {
                if (layers is not null) { Error(ErrorCode.ArgumentCount, a.Span, $"{name} takes one positional argument (the number of layers)"); ok = false; continue; }
                if (!b.IsSize) { Error(ErrorCode.SizeNotData, a.Span, "the number of layers must be an int computed from data alone"); ok = false; continue; }
                layers = b;
            }
            else if (!info.Options.Contains(a.Name.Name))
            {
                Error(ErrorCode.UnknownArgument, a.Name.Span, $"{name} has no option '{a.Name}'",
                    info.Options.Count == 0 ? $"{name} takes only the number of layers" : DidYouMean(a.Name.Name, info.Options) ?? $"options: {string.Join(", ", info.Options)}");
                ok = false;
            }
            else if (a.Name.Name == "hidden" && !b.IsSize) { Error(ErrorCode.SizeNotData, a.Span, "hidden must be an int computed from data alone"); ok = false; }
            else if (a.Name.Name == "context" && b.Type.Kind == ScalarKind.Bool) { Error(ErrorCode.TypeMismatch, a.Span, "a flow's context must be a number"); ok = false; }
            else if (!options.TryAdd(a.Name.Name, b)) { Error(ErrorCode.DuplicateArgument, a.Name.Span, $"option '{a.Name}' is given twice"); ok = false; }
        }
        if (ok && layers is null) { Error(ErrorCode.MissingArgument, f.Span, $"{name} needs the number of layers, e.g. {name}(2)"); ok = false; }
        return ok ? new BoundFlow(f.Span, info, layers!, options) : null;
    }

    // ---- expressions --------------------------------------------------------------------------------


    /// <summary>A size expression as a dimension: constants fold, data names stay symbolic.</summary>
    public static Dim DimOf(BoundExpr e)
    {
        switch (e)
        {
            case BoundLiteral l: return Dim.Const((int)l.Value);
            case BoundVariable v: return Dim.Symbol(v.Symbol.Name);
            case BoundCall { Function.Shape: FunctionShape.Size } c when c.Args[0].Type.Shape.Rank > 0: return c.Args[0].Type.Shape.Dims[0];
            case BoundUnary { Op: UnaryOp.Negate } u when DimOf(u.Operand) is { Value: int x }: return Dim.Const(-x);
            case BoundBinary b when b.Op is BinaryOp.Add or BinaryOp.Sub or BinaryOp.Mul:
                var (l2, r2) = (DimOf(b.Left), DimOf(b.Right));
                if (l2.Value is int x2 && r2.Value is int y2)
                    return Dim.Const(b.Op switch { BinaryOp.Add => x2 + y2, BinaryOp.Sub => x2 - y2, _ => x2 * y2 });
                if (l2.IsUnknown || r2.IsUnknown) return Dim.Unknown;
                if (b.Op == BinaryOp.Sub && r2.Value == 0 || b.Op == BinaryOp.Add && r2.Value == 0 || b.Op == BinaryOp.Mul && r2.Value == 1) return l2;
                if (b.Op == BinaryOp.Add && l2.Value == 0 || b.Op == BinaryOp.Mul && l2.Value == 1) return r2;
                string Wrap(Dim d, BoundExpr src) => src is BoundBinary { Op: BinaryOp.Add or BinaryOp.Sub } && b.Op == BinaryOp.Mul ? $"({d})" : d.Text;
                return Dim.Symbol($"{Wrap(l2, b.Left)} {SyntaxPrinter.Op(b.Op)} {(b.Op == BinaryOp.Sub && b.Right is BoundBinary ? $"({r2})" : Wrap(r2, b.Right))}");
            default: return Dim.Unknown;
        }
    }

    DeclaredType? DeclaredTypeOf(TypeSyntax t, bool allowBounds)
    {
        string b = t.Base.Name;
        if (!Builtins.TypeNames.Contains(b))
        {
            Error(ErrorCode.UnknownName, t.Base.Span, $"unknown type '{b}'", DidYouMean(b, Builtins.TypeNames) ?? $"types: {string.Join(", ", Builtins.TypeNames)}");
            return null;
        }
        bool ok = true;
        var dims = new List<Dim>();
        var dimExprs = new List<BoundExpr>();
        foreach (var d in t.Dims)
        {
            var e = Expr(d);
            if (e is BoundError) { ok = false; continue; }
            if (!e.IsSize) { Error(ErrorCode.SizeNotData, d.Span, $"a size must be an int computed from data alone, got {e.Type}{(e.IsData ? "" : " that depends on latent values")}"); ok = false; continue; }
            if (e is BoundLiteral { Value: < 0 }) { Error(ErrorCode.InvalidValue, d.Span, "a size cannot be negative"); ok = false; continue; }
            dims.Add(DimOf(e));
            dimExprs.Add(e);
        }
        BoundExpr? lower = null, upper = null;
        foreach (var a in t.Bounds)
        {
            string n = a.Name!.Name;
            if (n is not ("lower" or "upper"))
            { Error(ErrorCode.UnknownArgument, a.Name.Span, $"unknown bound '{n}'", DidYouMean(n, ["lower", "upper"]) ?? "bounds are 'lower' and 'upper'"); ok = false; continue; }
            var e = Expr(a.Value);
            if (e is BoundError) { ok = false; continue; }
            if (!e.IsData || e.Plates.Count > 0 || e.Type.Kind == ScalarKind.Bool)
            { Error(ErrorCode.SizeNotData, a.Value.Span, "a bound must be a number computed from data alone"); ok = false; continue; }
            if ((n == "lower" ? lower : upper) is not null) { Error(ErrorCode.DuplicateArgument, a.Name.Span, $"bound '{n}' is given twice"); ok = false; continue; }
            if (n == "lower") lower = e; else upper = e;
        }
        if (!ok) return null;
        if (t.Bounds.Count > 0 && (!allowBounds || b is "bool" or "simplex" or "cov_matrix" or "cholesky_corr"))
        {
            Error(ErrorCode.TypeMismatch, t.Bounds[0].Span, $"type '{b}' cannot have bounds");
            return null;
        }
        if (lower?.ConstantValue is double lo && upper?.ConstantValue is double hi && lo >= hi)
        {
            Error(ErrorCode.InvalidValue, t.Bounds[0].Span, $"the lower bound {SyntaxPrinter.Real(lo)} is not below the upper bound {SyntaxPrinter.Real(hi)}");
            return null;
        }
        switch (b)
        {
            case "simplex" or "cov_matrix" or "cholesky_corr":
                if (dims.Count != 1)
                {
                    Error(ErrorCode.ShapeMismatch, t.Span, $"'{b}' takes exactly one size, e.g. {b}[K]");
                    return null;
                }
                var constraint = b switch { "simplex" => TypeConstraint.Simplex, "cov_matrix" => TypeConstraint.CovMatrix, _ => TypeConstraint.CholeskyCorr };
                var shape = b == "simplex" ? Shape.Of(dims[0]) : Shape.Of(dims[0], dims[0]);
                return new DeclaredType(ScalarKind.Real, shape, b == "simplex" ? dimExprs : [dimExprs[0], dimExprs[0]], null, null, constraint, t);
            default:
                var kind = b switch { "int" => ScalarKind.Int, "bool" => ScalarKind.Bool, _ => ScalarKind.Real };
                return new DeclaredType(kind, new Shape(dims), dimExprs, lower, upper, TypeConstraint.None, t);
        }
    }

    BoundExpr Expr(Expr e)
    {
        switch (e)
        {
            case NumberExpr n: return new BoundLiteral(n.Span, n.IsInt ? ExprType.IntScalar : ExprType.RealScalar, n.Value);
            case BoolExpr b: return new BoundLiteral(b.Span, ExprType.BoolScalar, b.Value ? 1 : 0);
            case NameExpr n: return Name(n, allowElementwise: false);
            case UnaryExpr u: return Unary(u);
            case BinaryExpr b: return Binary(b);
            case CallExpr c: return Call(c);
            case IndexExpr x: return Index(x);
            case VectorExpr v: return Vector(v);
            default: throw new InvalidOperationException($"unknown expression {e.GetType().Name}");
        }
    }

    BoundExpr Name(NameExpr n, bool allowElementwise)
    {
        var sym = Lookup(n.Name);
        if (sym is null)
        {
            if (Builtins.Functions.ContainsKey(n.Name))
                Error(ErrorCode.UnknownName, n.Span, $"'{n.Name}' is a function", $"call it: {n.Name}(...)");
            else if (scope.EverDeclared.TryGetValue(n.Name, out var gone) && gone is SiteSymbol { Plates.Count: > 0 } plated)
                Error(ErrorCode.ElementwiseLatent, n.Span, $"'{n.Name}' varies over plate '{plated.Plates[^1].Name}' and can only be used inside it");
            else if (scope.EverDeclared.TryGetValue(n.Name, out var inner))
                Error(ErrorCode.UnknownName, n.Span, $"'{n.Name}' is defined at line {Line(inner.Span)} inside a block and is not visible here",
                    "define it before the block to use it after");
            else if (scope.DeclaredInBlock.TryGetValue(n.Name, out var later) && later.Start > n.Span.Start)
                Error(ErrorCode.UsedBeforeDefinition, n.Span, $"'{n.Name}' is used before its definition at line {Line(later)}", "move the definition above this use");
            else
                Error(ErrorCode.UnknownName, n.Span, $"unknown name '{n.Name}'", DidYouMean(n.Name, scope.VisibleNames()));
            return new BoundError(n.Span);
        }
        switch (sym)
        {
            case DataSymbol d: return new BoundVariable(n.Span, d.Type.ExprType, [], true, d);
            case ParamSymbol p: return new BoundVariable(n.Span, p.Type.ExprType, [], false, p);
            case NetSymbol:
                Error(ErrorCode.TypeMismatch, n.Span, $"'{n.Name}' is a net; call it on an input: {n.Name}(x)");
                return new BoundError(n.Span);
            case IndexSymbol { Plate: { } plate } iv: return new BoundVariable(n.Span, ExprType.IntScalar, [plate], true, iv);
            case IndexSymbol iv: return new BoundVariable(n.Span, ExprType.IntScalar, [], true, iv);
            case SiteSymbol s:
                if (s.ElementIndices > 0 && !allowElementwise)
                {
                    Error(ErrorCode.ElementwiseLatent, n.Span, $"'{n.Name}' is sampled element by element; use one element, e.g. {n.Name}[{string.Join(", ", Enumerable.Repeat("i", s.ElementIndices))}]");
                    return new BoundError(n.Span);
                }
                return OutsidePlate(n, s.Plates) ?? new BoundVariable(n.Span, s.Type, s.Plates, false, s);
            case LetSymbol l:
                return OutsidePlate(n, l.Plates) ?? new BoundVariable(n.Span, l.Type, l.Plates, l.IsData, l);
            default: throw new InvalidOperationException($"unknown symbol {sym.GetType().Name}");
        }
    }

    BoundExpr? OutsidePlate(NameExpr n, IReadOnlyList<PlateSymbol> varying)
    {
        var missing = varying.FirstOrDefault(p => !scope.Plates.Contains(p));
        if (missing is null) return null;
        Error(ErrorCode.ElementwiseLatent, n.Span, $"'{n.Name}' varies over plate '{missing.Name}' and can only be used inside it");
        return new BoundError(n.Span);
    }

    static ScalarKind Numeric(ScalarKind k) => k == ScalarKind.Bool ? ScalarKind.Int : k;

    BoundExpr Unary(UnaryExpr u)
    {
        var x = Expr(u.Operand);
        if (x is BoundError) return x;
        if (u.Op == UnaryOp.Not)
        {
            if (x.Type.Kind != ScalarKind.Bool) { Error(ErrorCode.TypeMismatch, u.Span, $"'!' needs a bool, got {x.Type}"); return new BoundError(u.Span); }
            return new BoundUnary(u.Span, x.Type, x.Plates, x.IsData, u.Op, x);
        }
        return new BoundUnary(u.Span, x.Type with { Kind = Numeric(x.Type.Kind) }, x.Plates, x.IsData, u.Op, x);
    }

    BoundExpr Binary(BinaryExpr b)
    {
        var l = Expr(b.Left);
        var r = Expr(b.Right);
        if (l is BoundError || r is BoundError) return new BoundError(b.Span);
        var platesOf = scope.MergePlates(l, r);
        bool isData = l.IsData && r.IsData;
        string op = SyntaxPrinter.Op(b.Op);
        if (b.Op is BinaryOp.And or BinaryOp.Or)
        {
            if (l.Type.Kind != ScalarKind.Bool || r.Type.Kind != ScalarKind.Bool)
            { Error(ErrorCode.TypeMismatch, b.Span, $"'{op}' needs bools, got {l.Type} and {r.Type}"); return new BoundError(b.Span); }
        }
        if (b.Op == BinaryOp.MatMul) return MatMul(b, l, r, platesOf, isData);
        var shape = Shape.Broadcast(l.Type.Shape, r.Type.Shape);
        if (shape is null)
        {
            Error(ErrorCode.ShapeMismatch, b.Span, $"shapes {l.Type.Shape} and {r.Type.Shape} do not broadcast for '{op}'");
            return new BoundError(b.Span);
        }
        ScalarKind kind = b.Op switch
        {
            BinaryOp.Or or BinaryOp.And or BinaryOp.Eq or BinaryOp.Ne or BinaryOp.Lt or BinaryOp.Le or BinaryOp.Gt or BinaryOp.Ge => ScalarKind.Bool,
            BinaryOp.Div or BinaryOp.Pow => ScalarKind.Real,
            _ => (ScalarKind)Math.Max((int)Numeric(l.Type.Kind), (int)Numeric(r.Type.Kind)),
        };
        return new BoundBinary(b.Span, new ExprType(kind, shape), platesOf, isData, b.Op, l, r);
    }

    BoundExpr MatMul(BinaryExpr b, BoundExpr l, BoundExpr r, List<PlateSymbol> platesOf, bool isData)
    {
        // Per plate element: a value that varies over plates is multiplied element by element (a batched product).
        var (ls, rs) = (l.Type.Shape, r.Type.Shape);
        if (ls.Rank is < 1 or > 2 || rs.Rank is < 1 or > 2)
        {
            Error(ErrorCode.ShapeMismatch, b.Span, $"'@' multiplies vectors and matrices, got {l.Type} and {r.Type}");
            return new BoundError(b.Span);
        }
        var inner = (ls.Dims[^1], rs.Rank == 2 ? rs.Dims[0] : rs.Dims[0]);
        if (inner.Item1.ProvablyDiffers(inner.Item2))
        {
            Error(ErrorCode.ShapeMismatch, b.Span, $"'@' needs matching inner sizes, got {ls} @ {rs}");
            return new BoundError(b.Span);
        }
        var dims = new List<Dim>();
        if (ls.Rank == 2) dims.Add(ls.Dims[0]);
        if (rs.Rank == 2) dims.Add(rs.Dims[1]);
        return new BoundBinary(b.Span, new ExprType(ScalarKind.Real, new Shape(dims)), platesOf, isData, BinaryOp.MatMul, l, r);
    }

    BoundExpr Vector(VectorExpr v)
    {
        var items = v.Items.Select(Expr).ToList();
        if (items.Any(i => i is BoundError)) return new BoundError(v.Span);
        var first = items[0].Type.Shape;
        for (int k = 1; k < items.Count; k++)
            if (!items[k].Type.Shape.Matches(first))
            {
                Error(ErrorCode.ShapeMismatch, v.Items[k].Span, $"the items of a vector literal must have one shape: {first} and {items[k].Type.Shape}");
                return new BoundError(v.Span);
            }
        if (items.Any(i => i.Type.Kind == ScalarKind.Bool) && !items.All(i => i.Type.Kind == ScalarKind.Bool))
        {
            Error(ErrorCode.TypeMismatch, v.Span, "a vector literal mixes bools and numbers");
            return new BoundError(v.Span);
        }
        var kind = items.Max(i => i.Type.Kind);
        var shape = Shape.Of(Dim.Const(items.Count)).Concat(first);
        return new BoundVector(v.Span, new ExprType(kind, shape), scope.MergePlates(items.ToArray()), items.All(i => i.IsData), items);
    }

    BoundExpr Call(CallExpr c)
    {
        string name = c.Callee.Name;
        if (Lookup(name) is NetSymbol net) return NetCall(c, net);
        if (!Builtins.Functions.TryGetValue(name, out var f))
        {
            string? help = Builtins.Distributions.ContainsKey(name) ? $"'{name}' is a distribution; use it after '~'"
                : Builtins.Flows.ContainsKey(name) ? $"'{name}' is a flow; use it after 'then'"
                : DidYouMean(name, Builtins.Functions.Keys.Concat(scope.Nets.Select(n => n.Name)));
            Error(Lookup(name) is null ? ErrorCode.UnknownFunction : ErrorCode.TypeMismatch, c.Callee.Span,
                Lookup(name) is { } s ? $"'{name}' is a {s.Kind}, not a function" : $"unknown function '{name}'", help);
            foreach (var a in c.Args) Expr(a.Value);
            return new BoundError(c.Span);
        }
        foreach (var a in c.Args)
            if (a.Name is not null)
            {
                Error(ErrorCode.UnknownArgument, a.Name.Span, $"{name} takes no named arguments");
                return new BoundError(c.Span);
            }
        var args = c.Args.Select(a => Expr(a.Value)).ToList();
        if (args.Any(a => a is BoundError)) return new BoundError(c.Span);
        if (args.Count < f.MinArgs || args.Count > f.MaxArgs)
        {
            string expected = f.MinArgs == f.MaxArgs ? $"{f.MinArgs}" : $"{f.MinArgs} to {f.MaxArgs}";
            Error(ErrorCode.ArgumentCount, c.Span, $"{name} takes {expected} argument(s), got {args.Count}");
            return new BoundError(c.Span);
        }
        bool isData = args.All(a => a.IsData);
        var platesOf = scope.MergePlates(args.ToArray());
        BoundExpr Make(ExprType t, IReadOnlyList<PlateSymbol>? ps = null, bool? data = null) => new BoundCall(c.Span, t, ps ?? platesOf, data ?? isData, f, args);
        BoundExpr Fail(string message) { Error(ErrorCode.ShapeMismatch, c.Span, message); return new BoundError(c.Span); }

        if (f.Shape is not (FunctionShape.Size or FunctionShape.Where))
            foreach (var (a, k) in args.Select((a, k) => (a, k)))
                if (a.Type.Kind == ScalarKind.Bool)
                {
                    Error(ErrorCode.TypeMismatch, c.Args[k].Span, $"{name} needs numbers, got {a.Type}");
                    return new BoundError(c.Span);
                }
        var kindOf = f.ResultKind ?? (ScalarKind)args.Max(a => (int)Numeric(a.Type.Kind));
        switch (f.Shape)
        {
            case FunctionShape.Reduction when args.Count == 1:
                return Make(new ExprType(kindOf, Shape.Scalar));
            case FunctionShape.Elementwise or FunctionShape.Reduction:
                var shape = args.Skip(1).Aggregate((Shape?)args[0].Type.Shape, (s, a) => s is null ? null : Shape.Broadcast(s, a.Type.Shape));
                return shape is null ? Fail($"the arguments of {name} do not broadcast: {string.Join(" and ", args.Select(a => a.Type.Shape))}") : Make(new ExprType(kindOf, shape));
            case FunctionShape.LastAxis:
                return args[0].Type.Shape.Rank == 0 ? Fail($"{name} works along the last dimension, but its argument is a scalar") : Make(new ExprType(kindOf, args[0].Type.Shape));
            case FunctionShape.Dot:
                if (args[0].Type.Shape.Rank != 1 || args[1].Type.Shape.Rank != 1) return Fail($"dot takes two vectors, got {args[0].Type} and {args[1].Type}");
                if (args[0].Type.Shape.Dims[0].ProvablyDiffers(args[1].Type.Shape.Dims[0])) return Fail($"dot needs vectors of one length, got {args[0].Type} and {args[1].Type}");
                return Make(ExprType.RealScalar);
            case FunctionShape.Transpose:
                var s2 = args[0].Type.Shape;
                return s2.Rank != 2 ? Fail($"transpose takes a matrix, got {args[0].Type}") : Make(new ExprType(kindOf, Shape.Of(s2.Dims[1], s2.Dims[0])));
            case FunctionShape.Fill:
                for (int k = 0; k < args.Count; k++)
                    if (!args[k].IsSize)
                    {
                        Error(ErrorCode.SizeNotData, c.Args[k].Span, $"the sizes of {name} must be ints computed from data alone");
                        return new BoundError(c.Span);
                    }
                return Make(new ExprType(ScalarKind.Real, new Shape(args.Select(DimOf).ToArray())), [], true);
            case FunctionShape.Size:
                return args[0].Type.Shape.Rank == 0 ? Fail($"size takes an array, got {args[0].Type}") : Make(ExprType.IntScalar, [], true);
            case FunctionShape.Where:
                if (args[0].Type.Kind != ScalarKind.Bool)
                {
                    Error(ErrorCode.TypeMismatch, c.Args[0].Span, $"the condition of where must be bool, got {args[0].Type}");
                    return new BoundError(c.Span);
                }
                var ws = Shape.Broadcast(args[0].Type.Shape, args[1].Type.Shape) is { } w1 ? Shape.Broadcast(w1, args[2].Type.Shape) : null;
                if (ws is null) return Fail($"the arguments of where do not broadcast: {string.Join(" and ", args.Select(a => a.Type.Shape))}");
                var wk = (ScalarKind)Math.Max((int)Numeric(args[1].Type.Kind), (int)Numeric(args[2].Type.Kind));
                return Make(new ExprType(wk, ws));
            default: throw new InvalidOperationException($"unknown function shape {f.Shape}");
        }
    }

    BoundExpr NetCall(CallExpr c, NetSymbol net)
    {
        if (c.Args.Count != 1 || c.Args[0].Name is not null)
        {
            Error(ErrorCode.ArgumentCount, c.Span, $"net '{net.Name}' takes one input, got {c.Args.Count} argument(s)");
            foreach (var a in c.Args) Expr(a.Value);
            return new BoundError(c.Span);
        }
        var x = Expr(c.Args[0].Value);
        if (x is BoundError) return x;
        if (x.Type.Kind == ScalarKind.Bool || x.Type.Shape.Rank == 0)
        {
            Error(ErrorCode.ShapeMismatch, c.Args[0].Span, $"net '{net.Name}' takes a vector of {net.In} numbers, got {x.Type}");
            return new BoundError(c.Span);
        }
        if (x.Type.Shape.Dims[^1].ProvablyDiffers(net.In))
        {
            Error(ErrorCode.ShapeMismatch, c.Args[0].Span, $"net '{net.Name}' takes inputs of size {net.In}, got {x.Type}");
            return new BoundError(c.Span);
        }
        var shape = x.Type.Shape.DropLast(1).Concat(Shape.Of(net.Out));
        return new BoundNetCall(c.Span, new ExprType(ScalarKind.Real, shape), x.Plates, net, x);
    }

    BoundExpr Index(IndexExpr x)
    {
        BoundExpr target;
        var indices = x.Indices.ToList();
        var args = new List<BoundIndexArg>();
        // An element of an element-wise family: its run-time indices come first.
        if (x.Target is NameExpr n && Lookup(n.Name) is SiteSymbol { ElementIndices: > 0 } family)
        {
            var t = Name(n, allowElementwise: true);
            if (t is BoundError) return t;
            if (indices.Count < family.ElementIndices)
            {
                Error(ErrorCode.BadIndex, x.Span, $"'{n.Name}' needs {family.ElementIndices} index(es) to pick one element");
                return new BoundError(x.Span);
            }
            var element = new List<BoundExpr>();
            foreach (var a in indices.Take(family.ElementIndices))
            {
                if (a is not PointIndex p) { Error(ErrorCode.BadIndex, a.Span, $"pick one element of '{n.Name}' with an int index, not a slice"); return new BoundError(x.Span); }
                var b = Expr(p.Index);
                if (b is BoundError) return b;
                if (b.Type.Kind != ScalarKind.Int || b.Type.Shape.Rank != 0 || b.Plates.Count > 0)
                { Error(ErrorCode.BadIndex, a.Span, $"an element of '{n.Name}' is picked by an int, got {b.Type}"); return new BoundError(x.Span); }
                element.Add(b);
            }
            args.Add(new ElementIndex(element));
            indices = indices.Skip(family.ElementIndices).ToList();
            target = t;
        }
        else
        {
            target = Expr(x.Target);
            if (target is BoundError) return target;
        }
        var shape = target.Type.Shape;
        var dims = new List<Dim>();
        int axis = 0;
        var platesOf = new List<PlateSymbol>(target.Plates);
        bool isData = target.IsData;
        bool keptAxis = false;
        foreach (var a in indices)
        {
            // z[n] inside plate n reads the plate's element of a value that already varies over n: nothing to select.
            if (a is PointIndex { Index: NameExpr pv } && Lookup(pv.Name) is IndexSymbol { Plate: { } own } && target.Plates.Contains(own))
                continue;
            if (axis >= shape.Rank)
            {
                Error(ErrorCode.BadIndex, a.Span, shape.Rank == 0 ? $"'{SyntaxPrinter.Expr(x.Target)}' is a scalar and cannot be indexed"
                    : $"too many indices: '{SyntaxPrinter.Expr(x.Target)}' has {shape.Rank} dimension(s) ({target.Type})");
                return new BoundError(x.Span);
            }
            var dim = shape.Dims[axis];
            switch (a)
            {
                case PointIndex p:
                {
                    var b = Expr(p.Index);
                    if (b is BoundError) return b;
                    if (b is BoundVariable { Symbol: IndexSymbol { Plate: { } plate } })
                    {
                        if (keptAxis)
                        {
                            Error(ErrorCode.BadIndex, a.Span, "a plate variable must come before slices and array indices", "reorder the dimensions, e.g. with transpose");
                            return new BoundError(x.Span);
                        }
                        if (platesOf.Any(q => scope.Plates.IndexOf(q) > scope.Plates.IndexOf(plate)))
                        {
                            Error(ErrorCode.BadIndex, a.Span, "plate variables must index in the order the plates nest (outer plate first)");
                            return new BoundError(x.Span);
                        }
                        if (dim.ProvablyDiffers(plate.SizeDim))
                        {
                            Error(ErrorCode.ShapeMismatch, a.Span, $"plate '{plate.Name}' has size {plate.SizeDim} but this dimension has size {dim}");
                            return new BoundError(x.Span);
                        }
                        args.Add(new PlateIndex(plate));
                        platesOf.Add(plate);
                        platesOf = scope.Plates.Where(platesOf.Contains).ToList();
                        break;
                    }
                    if (b.Type.Kind != ScalarKind.Int)
                    {
                        Error(ErrorCode.BadIndex, a.Span, $"an index must be an int, got {b.Type}", b.Type.Kind == ScalarKind.Bool ? null : "indices are 0-based ints");
                        return new BoundError(x.Span);
                    }
                    if (b.Type.Shape.Rank == 0 && b.Plates.Count == 0)
                    {
                        if (b is BoundLiteral { Value: var v } && (v < 0 || dim.Value is int size && v >= size))
                        {
                            Error(ErrorCode.BadIndex, a.Span, $"index {v} is out of range for a dimension of size {dim} (indices are 0-based)");
                            return new BoundError(x.Span);
                        }
                        args.Add(new ScalarIndex(b));
                    }
                    else
                    {
                        args.Add(new GatherIndex(b));
                        dims.AddRange(b.Type.Shape.Dims);
                        keptAxis = true;
                        platesOf = scope.Plates.Where(q => platesOf.Contains(q) || b.Plates.Contains(q)).ToList();
                    }
                    isData &= b.IsData;
                    break;
                }
                case SliceIndex s:
                {
                    BoundExpr? from = null, to = null;
                    foreach (var (e, set) in new (Expr?, Action<BoundExpr>)[] { (s.From, v => from = v), (s.To, v => to = v) })
                    {
                        if (e is null) continue;
                        var b = Expr(e);
                        if (b is BoundError) return b;
                        if (!b.IsSize) { Error(ErrorCode.BadIndex, e.Span, "slice bounds must be ints computed from data alone"); return new BoundError(x.Span); }
                        set(b);
                    }
                    var lo = from is null ? Dim.Const(0) : DimOf(from);
                    var hi = to is null ? dim : DimOf(to);
                    if (lo.Value is int l && hi.Value is int h && (l > h || l < 0 || dim.Value is int d && h > d))
                    {
                        Error(ErrorCode.BadIndex, a.Span, $"slice {l}:{h} is outside 0..{dim}");
                        return new BoundError(x.Span);
                    }
                    dims.Add(lo.Value is int l2 && hi.Value is int h2 ? Dim.Const(h2 - l2)
                        : lo.Value == 0 ? hi : lo.IsUnknown || hi.IsUnknown ? Dim.Unknown : Dim.Symbol($"{hi} - {lo}"));
                    args.Add(new SliceRange(from, to));
                    keptAxis = true;
                    break;
                }
            }
            axis++;
        }
        dims.AddRange(shape.Dims.Skip(axis));
        return new BoundIndex(x.Span, new ExprType(target.Type.Kind, new Shape(dims)), platesOf, isData, target, args);
    }
}
