using Ppl.Language.Diagnostics;
using Ppl.Language.Syntax;
using Ppl.Language.Text;

namespace Ppl.Language.Semantics;

// Names and scopes: declaring a name once per block, and resolving a use (with the reason a name is not visible).
public sealed partial class Checker
{
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
}
