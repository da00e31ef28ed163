using System.Globalization;
using Ppl.Language.Semantics;
using Ppl.Language.Syntax;

namespace Ppl.Language.Emit;

// Indexing: element-wise family members, scalar picks, slices, gathers and plate indices, axis by axis.
public sealed partial class CSharpEmitter
{
    string Index(BoundIndex x)
    {
        string cur;
        int plateAxes;
        var args = x.Indices.ToList();
        if (args.Count > 0 && args[0] is ElementIndex ei)
        {
            string family = ((BoundVariable)x.Target).Symbol.Name;
            cur = $"{Id(family)}[__Ppl.Name({Str(family)}, {string.Join(", ", ei.Indices.Select(I))})]";
            args.RemoveAt(0);
            plateAxes = 0;
        }
        else
        {
            cur = E(x.Target);
            plateAxes = PlateAxes(x.Target);
        }
        int elemAxis = 0;
        foreach (var a in args)
        {
            int axis = plateAxes + elemAxis;
            switch (a)
            {
                case ScalarIndex s when !s.Index.IsData && s.Index.Plates.Count == 0:
                    // A random index (mu[z[t]] with z[t] a discrete latent) is gathered by its value, so the result
                    // keeps the site's provenance: read as a C# int, it would escape and charge the site every later term.
                    cur = $"{Ops}.Gather({cur}, {E(s.Index)}, {axis})";
                    break;
                case ScalarIndex s:
                    cur = $"{Ops}.Index({cur}, {axis}, {I(s.Index)})";
                    break;
                case SliceRange r:
                    cur = $"__Ppl.Slice({cur}, {axis}, {(r.From is null ? "0" : I(r.From))}, {(r.To is null ? "null" : I(r.To))})";
                    elemAxis++;
                    break;
                case GatherIndex g when g.Index.Plates.Count > 0 && axis > 0:
                {
                    // The index varies over plates and picks from a value that does too (or past its first axis):
                    // both get the same plate axes and each plate element takes its own entries.
                    int pa = Math.Max(plateAxes, PlateAxes(g.Index));
                    if (pa > plateAxes) cur = $"__Ppl.Unsqueeze({cur}, {plateAxes}, {pa - plateAxes})";
                    cur = $"__Ppl.TakeAlong({cur}, {pa}, {pa + elemAxis}, {Aligned(g.Index, pa, g.Index.Type.Shape.Rank)})";
                    plateAxes = pa;
                    elemAxis += g.Index.Type.Shape.Rank;
                    break;
                }
                case GatherIndex g:
                    cur = $"{Ops}.Gather({cur}, {E(g.Index)}, {axis})";
                    if (g.Index.Plates.Count > 0) plateAxes = PlateAxes(g.Index);
                    elemAxis += g.Index.Type.Shape.Rank;
                    break;
                case PlateIndex p:
                    cur = $"{Ops}.Gather({cur}, __plate_{p.Plate.Name}.Indices, {axis})";
                    if (p.Plate.Depth > plateAxes) cur = $"__Ppl.Unsqueeze({cur}, {plateAxes}, {p.Plate.Depth - plateAxes})";
                    plateAxes = p.Plate.Depth + 1;
                    break;
                default: throw new InvalidOperationException($"no emitter for {a.GetType().Name}");
            }
        }
        return cur;
    }
}
