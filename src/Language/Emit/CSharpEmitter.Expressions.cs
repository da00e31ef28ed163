using System.Globalization;
using Ppl.Language.Semantics;
using Ppl.Language.Syntax;

namespace Ppl.Language.Emit;

// Expressions: C# of type Var in the plate layout, C# ints for sizes and floats for bounds.
public sealed partial class CSharpEmitter
{
    static int PlateAxes(BoundExpr e) => e.Plates.Count == 0 ? 0 : e.Plates[^1].Depth + 1;

    /// <summary>An expression in the layout of <paramref name="plateAxes"/> plate axes and <paramref name="elemRank"/> element axes.</summary>
    string Aligned(BoundExpr e, int plateAxes, int elemRank)
    {
        string code = E(e);
        int pa = PlateAxes(e);
        if (pa == 0) return code;   // right-aligned broadcasting already lines it up
        int insert = plateAxes - pa + Math.Max(0, elemRank - e.Type.Shape.Rank);
        return insert == 0 ? code : $"__Ppl.Unsqueeze({code}, {pa}, {insert})";
    }

    /// <summary>A C# int for a size expression (data ints, loop variables, literals and their + - *).</summary>
    string I(BoundExpr e) => e switch
    {
        BoundLiteral l => ((int)l.Value).ToString(CultureInfo.InvariantCulture),
        BoundVariable { Symbol: DataSymbol d } when d.IsSize => $"this.{Field(d)}",
        BoundVariable { Symbol: LetSymbol l } when l.IsSize => Id(l.Name),
        BoundVariable { Symbol: IndexSymbol { Plate: null } iv } => Id(iv.Name),
        BoundBinary { Op: BinaryOp.Add or BinaryOp.Sub or BinaryOp.Mul } b when b.Left.IsSize && b.Right.IsSize => $"({I(b.Left)} {SyntaxPrinter.Op(b.Op)} {I(b.Right)})",
        BoundUnary { Op: UnaryOp.Negate } u when u.Operand.IsSize => $"(-{I(u.Operand)})",
        BoundCall { Function.Shape: FunctionShape.Size } c => $"{E(c.Args[0])}.Shape[{PlateAxes(c.Args[0])}]",
        _ => $"__Ppl.Int({E(e)})",
    };

    /// <summary>A C# float for a data scalar (bounds).</summary>
    string Scalar(BoundExpr e) => e switch
    {
        { ConstantValue: double c } => F(c),
        _ when e.IsSize => $"(float){I(e)}",
        _ => $"__Ppl.Float({E(e)})",
    };

    string Ref(Symbol s) => s switch
    {
        DataSymbol d when d.IsSize => $"(float)this.{Field(d)}",
        DataSymbol d when inConstructor => $"{Var}.Const(this.{Field(d)})",
        LetSymbol l when l.IsSize => $"(float){Id(l.Name)}",
        IndexSymbol { Plate: null } iv => $"(float){Id(iv.Name)}",
        IndexSymbol { Plate: { } p } => $"__Ppl.PlateIndex(__plate_{p.Name}, {p.Depth})",
        _ => Id(s.Name),
    };

    /// <summary>A C# expression of type Var (or float, which converts implicitly) in the value's plate layout.</summary>
    string E(BoundExpr e)
    {
        switch (e)
        {
            case BoundLiteral l: return F(l.Value);
            case BoundVariable v: return renamed is not null && renamed.TryGetValue(v.Symbol, out var arg) ? arg : Ref(v.Symbol);
            case BoundUnary u:
                return u.Op == UnaryOp.Negate ? $"(-{E(u.Operand)})" : $"(1f - {E(u.Operand)})";
            case BoundBinary b: return Binary(b);
            case BoundCall c: return Call(c);
            case BoundNetCall n: return $"{Id(n.Net.Name)}.Forward({E(n.Input)})";
            case BoundVector v: return Vector(v);
            case BoundIndex x: return Index(x);
            default: throw new InvalidOperationException($"no emitter for {e.GetType().Name}");
        }
    }

    string Binary(BoundBinary b)
    {
        int pa = PlateAxes(b), rank = b.Type.Shape.Rank;
        if (b.Op == BinaryOp.MatMul) return MatMul(b, pa);
        string l = Aligned(b.Left, pa, rank), r = Aligned(b.Right, pa, rank);
        return b.Op switch
        {
            BinaryOp.Add or BinaryOp.Sub or BinaryOp.Mul or BinaryOp.Div => $"({l} {SyntaxPrinter.Op(b.Op)} {r})",
            BinaryOp.Pow => $"{Ops}.Pow({l}, {r})",
            BinaryOp.And => $"({l} * {r})",
            BinaryOp.Or => $"{Ops}.Maximum({l}, {r})",
            BinaryOp.Eq => $"__Ppl.Eq({l}, {r})",
            BinaryOp.Ne => $"__Ppl.Ne({l}, {r})",
            BinaryOp.Lt => $"__Ppl.Lt({l}, {r})",
            BinaryOp.Le => $"__Ppl.Le({l}, {r})",
            BinaryOp.Gt => $"__Ppl.Lt({r}, {l})",
            BinaryOp.Ge => $"__Ppl.Le({r}, {l})",
            _ => throw new InvalidOperationException($"no emitter for {b.Op}"),
        };
    }

    /// <summary>
    /// <c>a @ b</c>. Without plates one product; with plates both sides get the same plate axes and
    /// <c>__Ppl.MatMul</c> multiplies per plate element, told each side's per-element rank.
    /// </summary>
    string MatMul(BoundBinary b, int plateAxes)
    {
        if (plateAxes == 0) return $"{Ops}.MatMul({E(b.Left)}, {E(b.Right)})";
        string PlateAligned(BoundExpr e) => Aligned(e, plateAxes, e.Type.Shape.Rank);
        return $"__Ppl.MatMul({PlateAligned(b.Left)}, {b.Left.Type.Shape.Rank}, {PlateAligned(b.Right)}, {b.Right.Type.Shape.Rank})";
    }

    string Call(BoundCall c)
    {
        var f = c.Function;
        int pa = PlateAxes(c), rank = c.Type.Shape.Rank;
        var args = c.Args;
        switch (f.Shape)
        {
            case FunctionShape.Reduction when args.Count == 1:
                int r = args[0].Type.Shape.Rank;
                return PlateAxes(args[0]) == 0 && f.Name is "sum" or "mean"
                    ? $"{Ops}.{f.RuntimeName}({E(args[0])})"
                    : $"__Ppl.{f.RuntimeName}Last({E(args[0])}, {r})";
            case FunctionShape.Reduction:
                return $"{Ops}.{(f.Name == "min" ? "Minimum" : "Maximum")}({Aligned(args[0], pa, rank)}, {Aligned(args[1], pa, rank)})";
            case FunctionShape.Elementwise:
                return $"{Ops}.{f.RuntimeName}({string.Join(", ", args.Select(a => Aligned(a, pa, rank)))})";
            case FunctionShape.LastAxis:
                return $"{Ops}.{f.RuntimeName}({E(args[0])}, -1)";
            case FunctionShape.Dot:
                return $"__Ppl.SumLast(({Aligned(args[0], pa, 1)} * {Aligned(args[1], pa, 1)}), 1)";
            case FunctionShape.Transpose:
                return $"{Ops}.Transpose({E(args[0])})";
            case FunctionShape.Fill:
                string dims = IntArray(args);
                // In Run, rented from the step's tape (no allocation per step); the constructor has no context.
                if (!inConstructor && !outlivesStep) return $"__ctx.Fill({(f.Name == "zeros" ? "0f" : "1f")}, {dims})";
                return f.Name == "zeros" ? $"{Var}.Const({Tensor}.Zeros({dims}))" : $"{Var}.Const({Tensor}.Full(1f, {dims}))";
            case FunctionShape.Reshape:
                return $"__Ppl.ReshapeLast({E(args[0])}, {args[0].Type.Shape.Rank}, {IntArray(args.Skip(1))})";
            case FunctionShape.Size:
                return $"(float){I(c)}";
            case FunctionShape.Where:
                return $"__Ppl.Where({Aligned(args[0], pa, rank)}, {Aligned(args[1], pa, rank)}, {Aligned(args[2], pa, rank)})";
            default: throw new InvalidOperationException($"no emitter for {f.Shape}");
        }
    }

    string Vector(BoundVector v)
    {
        if (v.Items.All(i => i is BoundLiteral))
            return $"{Var}.Const({Tensor}.Vector({string.Join(", ", v.Items.Select(i => F(((BoundLiteral)i).Value)))}))";
        int pa = PlateAxes(v), rank = v.Items[0].Type.Shape.Rank;
        var items = v.Items.Select(i => i.Plates.Count == 0 && pa > 0 ? $"__Ppl.Lift({E(i)}, {pa})" : Aligned(i, pa, rank));
        return $"{Ops}.Stack(new {Var}[] {{ {string.Join(", ", items)} }}, {pa})";
    }
}
