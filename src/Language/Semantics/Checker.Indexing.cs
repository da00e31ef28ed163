using Ppl.Language.Diagnostics;
using Ppl.Language.Syntax;
using Ppl.Language.Text;

namespace Ppl.Language.Semantics;

// Indexing: plate variables, int scalars, gathers (also per plate element) and slices, applied left to right.
public sealed partial class Checker
{
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
