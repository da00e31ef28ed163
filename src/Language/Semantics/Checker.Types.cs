using Ppl.Language.Diagnostics;
using Ppl.Language.Syntax;
using Ppl.Language.Text;

namespace Ppl.Language.Semantics;

// Declared types and sizes: a type's dimensions, bounds and constraint; a size expression as a symbolic dimension.
public sealed partial class Checker
{
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
        if (t.Bounds.Count > 0 && (!allowBounds || b is "bool" or "simplex" or "ordered" or "cov_matrix" or "cholesky_corr"))
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
            case "simplex" or "ordered" or "cov_matrix" or "cholesky_corr":
                if (dims.Count != 1)
                {
                    Error(ErrorCode.ShapeMismatch, t.Span, $"'{b}' takes exactly one size, e.g. {b}[K]");
                    return null;
                }
                var constraint = b switch { "simplex" => TypeConstraint.Simplex, "ordered" => TypeConstraint.Ordered, "cov_matrix" => TypeConstraint.CovMatrix, _ => TypeConstraint.CholeskyCorr };
                bool vector = b is "simplex" or "ordered";
                var shape = vector ? Shape.Of(dims[0]) : Shape.Of(dims[0], dims[0]);
                return new DeclaredType(ScalarKind.Real, shape, vector ? dimExprs : [dimExprs[0], dimExprs[0]], null, null, constraint, t);
            default:
                var kind = b switch { "int" => ScalarKind.Int, "bool" => ScalarKind.Bool, _ => ScalarKind.Real };
                return new DeclaredType(kind, new Shape(dims), dimExprs, lower, upper, TypeConstraint.None, t);
        }
    }
}
