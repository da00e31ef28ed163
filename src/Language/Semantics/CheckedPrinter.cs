using System.Text;
using Ppl.Language.Syntax;

namespace Ppl.Language.Semantics;

/// <summary>
/// The <c>--dump checked</c> view: per block, the data with their types, params, nets, every site (latent or
/// observed, shape, plates, distribution and whether it has a pathwise sampler), and the deterministic
/// values, i.e. what the checker decided and the emitter will build on.
/// </summary>
public static class CheckedPrinter
{
    /// <summary>Dumps every block of a checked file.</summary>
    public static string Print(CheckedProgram program)
    {
        var sb = new StringBuilder();
        foreach (var block in program.Blocks)
        {
            sb.Append(block.IsGuide ? $"guide {block.Name} for {block.Model!.Name}\n" : $"model {block.Name}\n");
            if (!block.IsGuide)
                foreach (var d in block.Data)
                {
                    sb.Append($"  data {d.Name}: {TypeText(d.Type)}");
                    if (d.Default is not null) sb.Append(" (has default)");
                    if (d.SizeSources.Count > 0) sb.Append($" (else from {string.Join(", ", d.SizeSources.Select(s => $"shape of {s.Item.Name}[{s.Axis}]"))})");
                    sb.Append('\n');
                }
            foreach (var p in block.Parameters) sb.Append($"  param {p.Name}: {TypeText(p.Type)}\n");
            foreach (var n in block.Nets) sb.Append($"  net {n.Name}: {n.NetKind}({string.Join(", ", n.Sizes.Select(Checker.DimOf))}) activation {n.Activation}\n");
            Walk(sb, block.Body);
        }
        return sb.ToString();
    }

    static string TypeText(DeclaredType t) => SyntaxPrinter.Type(t.Syntax);

    static string PlatesText(IReadOnlyList<PlateSymbol> plates) =>
        plates.Count == 0 ? "" : " in plates " + string.Join(", ", plates.Select(p => p.Subsample is null ? $"{p.Name}({p.SizeDim})" : $"{p.Name}({p.SizeDim} subsample {Checker.DimOf(p.Subsample)})"));

    static void Walk(StringBuilder sb, IReadOnlyList<BoundStatement> body)
    {
        foreach (var s in body)
            switch (s)
            {
                case BoundSample x:
                    string name = x.Name + (x.NameIndices.Count > 0 ? "[" + string.Join(", ", x.NameIndices.Select(_ => "*")) + "]" : "");
                    string dist = x.Distribution.Info.Name + (x.Distribution.Signature.Factory is { } factory ? $".{factory}" : "")
                        + string.Concat(x.Distribution.Flows.Select(fl => $" then {fl.Info.Name}"));
                    string how = x.IsObserved ? "observed" : "latent";
                    string grad = x.IsObserved ? "" : x.Distribution.Info.Reparameterized ? ", pathwise" : ", score function";
                    var kind = x.IsObserved ? x.Value!.Type.Kind : x.Latent!.Type.Kind;
                    string support = x.IsObserved ? "" : $" on {Builtins.Describe(x.Distribution.Flows.Count > 0 ? SupportKind.RealVector : x.Distribution.Info.Support)}";
                    sb.Append($"  {how} {name}: {new ExprType(kind, x.Shape)}{support}{PlatesText(x.Plates)} ~ {dist}{grad}\n");
                    break;
                case BoundLet { Reported: true } l:
                    sb.Append($"  deterministic {l.Symbol.Name}: {l.Symbol.Type}{PlatesText(l.Symbol.Plates)}\n");
                    break;
                case BoundFactor f:
                    sb.Append($"  factor {f.Index}: {f.Value.Type}{PlatesText(f.Value.Plates)}\n");
                    break;
                case BoundFor f: Walk(sb, f.Body); break;
                case BoundPlate p: Walk(sb, p.Body); break;
                case BoundIf i:
                    Walk(sb, i.Then);
                    if (i.Else is not null) Walk(sb, i.Else);
                    break;
            }
    }
}
