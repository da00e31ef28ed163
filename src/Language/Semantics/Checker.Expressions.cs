using Ppl.Language.Diagnostics;
using Ppl.Language.Syntax;
using Ppl.Language.Text;

namespace Ppl.Language.Semantics;

// Expressions: kinds and per-element shapes of operators, vector literals and calls of functions and nets.
public sealed partial class Checker
{
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
            case FunctionShape.Reshape:
                for (int k = 1; k < args.Count; k++)
                    if (!args[k].IsSize)
                    {
                        Error(ErrorCode.SizeNotData, c.Args[k].Span, "the sizes of reshape must be ints computed from data alone");
                        return new BoundError(c.Span);
                    }
                var to = new Shape(args.Skip(1).Select(DimOf).ToArray());
                var from = args[0].Type.Shape;
                if (Count(from) is int n1 && Count(to) is int n2 && n1 != n2)
                    return Fail($"reshape cannot make {n1} elements {from} into {to} ({n2} elements)");
                return Make(new ExprType(args[0].Type.Kind, to), args[0].Plates, args[0].IsData);
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

    /// <summary>The number of elements of a shape whose every size is a constant, else null.</summary>
    static int? Count(Shape s) => s.Dims.All(d => d.Value is not null) ? s.Dims.Aggregate(1, (a, d) => a * d.Value!.Value) : null;

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
}
