using System.Globalization;
using Ppl.Language.Semantics;
using Ppl.Language.Syntax;

namespace Ppl.Language.Emit;

// Statements: factors, loops, plates, branches and lets, each under its own #line.
public sealed partial class CSharpEmitter
{
    void Statements(IReadOnlyList<BoundStatement> body)
    {
        foreach (var s in body) Statement(s);
    }

    void Statement(BoundStatement s)
    {
        switch (s)
        {
            case BoundData: return;   // read in the constructor
            case BoundParam p: LineDirective(s.Span); Param(p); break;
            case BoundNet n: LineDirective(s.Span); Net(n); break;
            case BoundLet l: Let(l); break;
            case BoundFactor f:
                LineDirective(s.Span);
                // '#' cannot occur in a .ppl name, so a factor's site never collides with a user's site.
                w.Line($"__ctx.Factor({Str($"factor#{f.Index}")}, {E(f.Value)}, {Location(s.Span)});");
                break;
            case BoundSample x: LineDirective(s.Span); Sample(x); break;
            case BoundFor f:
                LineDirective(s.Span);
                using (w.Block($"for (int {Id(f.Variable.Name)} = {I(f.From)}; {Id(f.Variable.Name)} < {I(f.To)}; {Id(f.Variable.Name)}++)"))
                    Statements(f.Body);
                break;
            case BoundPlate p:
                LineDirective(s.Span);
                string sub = p.Plate.Subsample is null ? "null" : I(p.Plate.Subsample);
                using (w.Block($"using (var __plate_{p.Plate.Name} = __ctx.Plate({Str(p.Plate.Name)}, {I(p.Plate.Size)}, {sub}, {Location(p.Plate.Span)}))"))
                {
                    openPlates.Add(p.Plate);
                    Statements(p.Body);
                    openPlates.RemoveAt(openPlates.Count - 1);
                }
                break;
            case BoundIf i:
                LineDirective(s.Span);
                If(i, "if");
                break;
            default: throw new InvalidOperationException($"no emitter for {s.GetType().Name}");
        }
    }

    void If(BoundIf i, string keyword)
    {
        using (w.Block($"{keyword} (__Ppl.Truth({E(i.Condition)}))"))
            Statements(i.Then);
        if (i.Else is null) return;
        using (w.Block("else"))
            Statements(i.Else);
    }

    void Let(BoundLet l)
    {
        LineDirective(l.Span);
        var sym = l.Symbol;
        if (sym.IsSize)
        {
            w.Line($"int {Id(sym.Name)} = {I(l.Value)};");
            return;
        }
        string value = $"({E(l.Value)})";
        w.Line(l.Reported
            ? $"var {Id(sym.Name)} = __ctx.Deterministic({Str(sym.Name)}, {value}, {Location(l.Span)});"
            : $"{Var} {Id(sym.Name)} = {value};");
    }
}
