using System.Globalization;
using System.Text;
using Ppl.Language.Text;

namespace Ppl.Language.Syntax;

/// <summary>
/// The <c>--dump ast</c> view: one line per block and statement with its line:column, expressions as fully
/// parenthesised prefix forms so precedence is visible at a glance (<c>(+ mu (* tau theta_raw))</c>).
/// Stable text: the golden syntax dumps under tests/Language/Cases/good compare against it.
/// </summary>
public static class SyntaxPrinter
{
    /// <summary>Dumps a whole file.</summary>
    public static string Print(ProgramSyntax program, SourceFile file)
    {
        var sb = new StringBuilder();
        foreach (var block in program.Blocks)
        {
            string head = block switch
            {
                GuideSyntax g => $"guide {g.Name} for {g.Model}",
                _ => $"model {block.Name}",
            };
            sb.Append(head).Append(' ').Append(At(file, block)).Append('\n');
            Statements(sb, file, block.Body, 1);
        }
        return sb.ToString();
    }

    static string At(SourceFile file, SyntaxNode node)
    {
        var (l, c) = file.Position(node.Span.Start);
        var (el, ec) = file.Position(node.Span.End);
        return $"@{l}:{c}-{el}:{ec}";
    }

    static void Statements(StringBuilder sb, SourceFile file, IReadOnlyList<Statement> body, int depth)
    {
        foreach (var s in body)
        {
            sb.Append(' ', 2 * depth);
            switch (s)
            {
                case DataDecl d:
                    sb.Append($"data {d.Name}: {Type(d.Type)}");
                    if (d.Default is not null) sb.Append(" = ").Append(Expr(d.Default));
                    break;
                case ParamDecl p:
                    sb.Append($"param {p.Name}: {Type(p.Type)}");
                    if (p.Init is not null) sb.Append(" = ").Append(Expr(p.Init));
                    break;
                case NetDecl n:
                    sb.Append($"net {n.Name} = {Expr(n.Constructor)}");
                    foreach (var o in n.Options) sb.Append(' ').Append(Arg(o));
                    break;
                case SampleStmt x:
                    sb.Append("sample ").Append(Expr(x.Target));
                    if (x.Type is not null) sb.Append(": ").Append(Type(x.Type));
                    sb.Append(" ~ ").Append(Expr(x.Distribution));
                    foreach (var f in x.Flows) sb.Append(" then ").Append(Expr(f));
                    break;
                case LetStmt l: sb.Append($"let {l.Name} = {Expr(l.Value)}"); break;
                case FactorStmt f: sb.Append($"factor {Expr(f.Value)}"); break;
                case ForStmt f: sb.Append($"for {f.Variable} in {Expr(f.From)}..{Expr(f.To)}"); break;
                case PlateStmt p:
                    sb.Append($"plate {p.Variable} in {Expr(p.Size)}");
                    if (p.Subsample is not null) sb.Append(" subsample ").Append(Expr(p.Subsample));
                    break;
                case IfStmt i: sb.Append($"if {Expr(i.Condition)}"); break;
            }
            sb.Append(' ').Append(At(file, s)).Append('\n');
            switch (s)
            {
                case ForStmt f: Statements(sb, file, f.Body, depth + 1); break;
                case PlateStmt p: Statements(sb, file, p.Body, depth + 1); break;
                case IfStmt i:
                    Statements(sb, file, i.Then, depth + 1);
                    if (i.Else is not null)
                    {
                        sb.Append(' ', 2 * depth).Append("else\n");
                        Statements(sb, file, i.Else, depth + 1);
                    }
                    break;
            }
        }
    }

    /// <summary>A type as written (normalised spacing).</summary>
    public static string Type(TypeSyntax t)
    {
        var sb = new StringBuilder(t.Base.Name);
        if (t.Bounds.Count > 0) sb.Append('<').Append(string.Join(", ", t.Bounds.Select(b => $"{b.Name}={Expr(b.Value)}"))).Append('>');
        if (t.Dims.Count > 0) sb.Append('[').Append(string.Join(", ", t.Dims.Select(Expr))).Append(']');
        return sb.ToString();
    }

    static string Arg(Argument a) => a.Name is null ? Expr(a.Value) : $"{a.Name}: {Expr(a.Value)}";

    /// <summary>An expression in fully parenthesised prefix form.</summary>
    public static string Expr(Expr e) => e switch
    {
        NumberExpr n => n.IsInt ? n.Text : Real(n.Value),
        BoolExpr b => b.Value ? "true" : "false",
        NameExpr n => n.Name,
        UnaryExpr u => $"({(u.Op == UnaryOp.Negate ? "neg" : "!")} {Expr(u.Operand)})",
        BinaryExpr b => $"({Op(b.Op)} {Expr(b.Left)} {Expr(b.Right)})",
        CallExpr c => $"{c.Callee}({string.Join(", ", c.Args.Select(Arg))})",
        IndexExpr x => $"{Expr(x.Target)}[{string.Join(", ", x.Indices.Select(Index))}]",
        VectorExpr v => $"[{string.Join(", ", v.Items.Select(Expr))}]",
        _ => throw new InvalidOperationException($"no printer for {e.GetType().Name}"),
    };

    /// <summary>A real in round-trip form that always reads back as a real (<c>1.0</c>, not <c>1</c>).</summary>
    public static string Real(double v)
    {
        string s = v.ToString("R", CultureInfo.InvariantCulture);
        return s.Contains('.') || s.Contains('E') || s.Contains('N') || s.Contains('I') ? s : s + ".0";
    }

    static string Index(IndexArg a) => a switch
    {
        PointIndex p => Expr(p.Index),
        SliceIndex s => $"{(s.From is null ? "" : Expr(s.From))}:{(s.To is null ? "" : Expr(s.To))}",
        _ => throw new InvalidOperationException(),
    };

    /// <summary>The source spelling of an operator.</summary>
    public static string Op(BinaryOp op) => op switch
    {
        BinaryOp.Or => "||", BinaryOp.And => "&&", BinaryOp.Eq => "==", BinaryOp.Ne => "!=",
        BinaryOp.Lt => "<", BinaryOp.Le => "<=", BinaryOp.Gt => ">", BinaryOp.Ge => ">=",
        BinaryOp.Add => "+", BinaryOp.Sub => "-", BinaryOp.Mul => "*", BinaryOp.Div => "/",
        BinaryOp.MatMul => "@", BinaryOp.Pow => "^",
        _ => throw new ArgumentOutOfRangeException(nameof(op)),
    };
}
