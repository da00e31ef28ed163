using System.Globalization;
using Ppl.Language.Semantics;
using Ppl.Language.Syntax;

namespace Ppl.Language.Emit;

// Declarations: data read once in the constructor, params and nets registered on first use.
public sealed partial class CSharpEmitter
{
    void DataRead(BoundData d)
    {
        var s = d.Symbol;
        var t = s.Type;
        string name = Str(s.Name);
        LineDirective(d.Span);
        string Bound(BoundExpr? b, string fallback, bool asInt) => b is null ? fallback : asInt ? I(b) : Scalar(b);
        if (s.IsSize)
        {
            string lo = Bound(t.Lower, "int.MinValue", true), hi = Bound(t.Upper, "int.MaxValue", true);
            if (SizeFallback(s) is { } fallback) w.Line($"this.{Field(s)} = __data.IntOr({name}, () => {fallback}, {lo}, {hi});");
            else w.Line($"this.{Field(s)} = __data.Int({name}, {lo}, {hi});");
            return;
        }
        string shape = IntArray(t.DimExprs);
        string read = (t.Kind, t.Shape.Rank) switch
        {
            (ScalarKind.Real, 0) => $"{Tensor}.Scalar(__data.Real({name}, {Bound(t.Lower, "float.NegativeInfinity", false)}, {Bound(t.Upper, "float.PositiveInfinity", false)}))",
            (ScalarKind.Bool, 0) => $"{Tensor}.Scalar(__data.Int({name}, 0, 1))",
            (ScalarKind.Real, _) => $"__data.Reals({name}, {shape}, {Bound(t.Lower, "float.NegativeInfinity", false)}, {Bound(t.Upper, "float.PositiveInfinity", false)})",
            (ScalarKind.Int, _) => $"__data.Ints({name}, {shape}, {Bound(t.Lower, "int.MinValue", true)}, {Bound(t.Upper, "int.MaxValue", true)}).ToFloat()",
            _ => $"__data.Ints({name}, {shape}, 0, 1).ToFloat()",
        };
        if (t.Constraint != TypeConstraint.None) read = $"__data.Constrained({name}, {read}, {ConstraintOf(t)})";
        if (s.Default is not null)
        {
            string defaultShape = t.Shape.Rank == 0 ? "new int[0]" : shape;
            read = $"__data.Contains({name}) ? {read} : __Ppl.DataDefault({name}, {E(s.Default)}, {defaultShape}, {Location(s.Default.Span)})";
        }
        w.Line($"this.{Field(s)} = {read};");
    }

    /// <summary>
    /// Where a size missing from the data comes from: its default, else the shape of the first data item it
    /// sizes that the file has (and, failing all, a read that reports it missing); null when it has neither.
    /// </summary>
    string? SizeFallback(DataSymbol s)
    {
        if (s.Default is not null) return I(s.Default);
        if (s.SizeSources.Count == 0) return null;
        var fromShapes = s.SizeSources.Select(src => $"__data.Contains({Str(src.Item.Name)}) ? __data.ShapeOf({Str(src.Item.Name)})[{src.Axis}]");
        return string.Join(" : ", fromShapes) + $" : __data.Int({Str(s.Name)})";
    }

    void Param(BoundParam p)
    {
        var s = p.Symbol;
        var t = s.Type;
        string shape = IntArray(t.DimExprs);
        double? lo = t.Lower?.ConstantValue, hi = t.Upper?.ConstantValue;
        string constraint = t.Constraint switch
        {
            not TypeConstraint.None => ConstraintOf(t),
            _ when t.Lower is null && t.Upper is null => $"{Constraints}.Constraint.Real",
            _ when lo == 0 && t.Upper is null => $"{Constraints}.Constraint.Positive",
            _ when t.Lower is not null && t.Upper is not null => $"{Constraints}.Constraint.Between({Scalar(t.Lower)}, {Scalar(t.Upper)})",
            _ when t.Lower is not null => $"new {Constraints}.Interval({Scalar(t.Lower)}, float.PositiveInfinity, \"greater_than\")",
            _ => $"new {Constraints}.Interval(float.NegativeInfinity, {Scalar(t.Upper!)}, \"less_than\")",
        };
        w.Line($"var {Id(s.Name)} = __ctx.Param({Str(s.Name)}, () => __Ppl.Init({ParamInit(s)}, {shape}), {constraint}, {Location(p.Span)});");
    }

    /// <summary>The runtime constraint of a special type (simplex, ordered, cov_matrix, cholesky_corr).</summary>
    static string ConstraintOf(DeclaredType t) => t.Constraint switch
    {
        TypeConstraint.Simplex => $"{Constraints}.Constraint.Simplex",
        TypeConstraint.Ordered => $"{Constraints}.Constraint.Ordered",
        TypeConstraint.CovMatrix => $"{Constraints}.Constraint.PositiveDefinite",
        TypeConstraint.CholeskyCorr => $"{Constraints}.Constraint.CorrCholesky",
        _ => throw new ArgumentOutOfRangeException(nameof(t), t.Constraint, "not a special type"),
    };

    /// <summary>
    /// A param's initial value; without one, the middle of its support: a uniform simplex, 0, 1, ..., K−1 for an
    /// ordered vector, the bounds' midpoint, one inside a single bound, or 0.
    /// </summary>
    string ParamInit(ParamSymbol s)
    {
        var t = s.Type;
        if (s.Init is not null)
        {
            outlivesStep = true;
            try { return E(s.Init); }
            finally { outlivesStep = false; }
        }
        if (t.Constraint == TypeConstraint.Simplex) return $"1f / {I(t.DimExprs[0])}";
        if (t.Constraint == TypeConstraint.Ordered) return $"__Ppl.Range({I(t.DimExprs[0])})";
        if (t.Lower is not null && t.Upper is not null) return $"0.5f * ({Scalar(t.Lower)} + {Scalar(t.Upper)})";
        if (t.Lower is not null) return $"{Scalar(t.Lower)} + 1f";
        if (t.Upper is not null) return $"{Scalar(t.Upper)} - 1f";
        return "0f";
    }

    void Net(BoundNet n)
    {
        var s = n.Symbol;
        Require("Ppl.Runtime.Nn.Mlp", null, n.Span, "networks (Mlp)");
        Require("Ppl.Runtime.Nn.Activation", null, n.Span, "network activations");
        string act = char.ToUpperInvariant(s.Activation[0]) + s.Activation[1..];
        w.Line($"var {Id(s.Name)} = __ctx.Net({Str(s.Name)}, __rng => new global::Ppl.Runtime.Nn.Mlp({IntArray(s.Sizes)}, global::Ppl.Runtime.Nn.Activation.{act}, __rng), {Location(n.Span)});");
    }
}
