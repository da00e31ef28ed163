namespace Ppl.Language.Syntax;

/// <summary>Generic walks over syntax nodes, so passes that look at every node (literal checks, tests) need no visitor.</summary>
public static class SyntaxNodes
{
    /// <summary>The direct children of a node, in source order.</summary>
    public static IEnumerable<SyntaxNode> Children(SyntaxNode node)
    {
        switch (node)
        {
            case ProgramSyntax p: foreach (var b in p.Blocks) yield return b; break;
            case GuideSyntax g:
                yield return g.Name; yield return g.Model;
                foreach (var s in g.Body) yield return s;
                break;
            case ModelSyntax m:
                yield return m.Name;
                foreach (var s in m.Body) yield return s;
                break;
            case TypeSyntax t:
                yield return t.Base;
                foreach (var b in t.Bounds) yield return b;
                foreach (var d in t.Dims) yield return d;
                break;
            case DataDecl d:
                yield return d.Name; yield return d.Type;
                if (d.Default is not null) yield return d.Default;
                break;
            case ParamDecl d:
                yield return d.Name; yield return d.Type;
                if (d.Init is not null) yield return d.Init;
                break;
            case NetDecl n:
                yield return n.Name; yield return n.Constructor;
                foreach (var o in n.Options) yield return o;
                break;
            case SampleStmt s:
                yield return s.Target;
                if (s.Type is not null) yield return s.Type;
                yield return s.Distribution;
                foreach (var f in s.Flows) yield return f;
                break;
            case LetStmt l: yield return l.Name; yield return l.Value; break;
            case FactorStmt f: yield return f.Value; break;
            case ForStmt f:
                yield return f.Variable; yield return f.From; yield return f.To;
                foreach (var s in f.Body) yield return s;
                break;
            case PlateStmt p:
                yield return p.Variable; yield return p.Size;
                if (p.Subsample is not null) yield return p.Subsample;
                foreach (var s in p.Body) yield return s;
                break;
            case IfStmt i:
                yield return i.Condition;
                foreach (var s in i.Then) yield return s;
                if (i.Else is not null) foreach (var s in i.Else) yield return s;
                break;
            case UnaryExpr u: yield return u.Operand; break;
            case BinaryExpr b: yield return b.Left; yield return b.Right; break;
            case CallExpr c:
                yield return c.Callee;
                foreach (var a in c.Args) yield return a;
                break;
            case Argument a:
                if (a.Name is not null) yield return a.Name;
                yield return a.Value;
                break;
            case IndexExpr x:
                yield return x.Target;
                foreach (var a in x.Indices) yield return a;
                break;
            case PointIndex p: yield return p.Index; break;
            case SliceIndex s:
                if (s.From is not null) yield return s.From;
                if (s.To is not null) yield return s.To;
                break;
            case VectorExpr v: foreach (var e in v.Items) yield return e; break;
        }
    }

    /// <summary>The node and all nodes below it, depth first in source order.</summary>
    public static IEnumerable<SyntaxNode> DescendantsAndSelf(SyntaxNode node)
    {
        var stack = new Stack<SyntaxNode>();
        stack.Push(node);
        while (stack.Count > 0)
        {
            var n = stack.Pop();
            yield return n;
            foreach (var c in Children(n).Reverse()) stack.Push(c);
        }
    }
}
