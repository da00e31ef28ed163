using Ppl.Language.Syntax;
using Ppl.Language.Text;

namespace Ppl.Language.Semantics;

// The checked program: the syntax with every name resolved to a symbol and every expression typed.
// This is what the emitter reads; it never looks at raw syntax except for spans.

/// <summary>
/// A typed expression. <see cref="Type"/> is per plate element; <see cref="Plates"/> lists the plates the
/// value varies over (outermost first), which the emitter turns into leading tensor axes.
/// <see cref="IsData"/> marks values computed from data, literals and loop variables alone.
/// </summary>
public abstract record BoundExpr(SourceSpan Span, ExprType Type, IReadOnlyList<PlateSymbol> Plates, bool IsData)
{
    /// <summary>Whether this can serve as a size (a dimension, loop bound, plate size): see <see cref="IsSizeValue"/>.</summary>
    public bool IsSize => IsSizeValue(Type, IsData, Plates);

    /// <summary>The value of a number literal or a negated one, which the checker can judge before run time; else null.</summary>
    public double? ConstantValue => this switch
    {
        BoundLiteral l => l.Value,
        BoundUnary { Op: UnaryOp.Negate, Operand: BoundLiteral l } => -l.Value,
        _ => null,
    };

    /// <summary>A size is an int scalar computed from data alone that varies over no plate (the emitter makes it a C# int).</summary>
    public static bool IsSizeValue(ExprType type, bool isData, IReadOnlyList<PlateSymbol> plates) =>
        type.Kind == ScalarKind.Int && type.Shape.Rank == 0 && isData && plates.Count == 0;
}

/// <summary>A number or bool literal.</summary>
public sealed record BoundLiteral(SourceSpan Span, ExprType Type, double Value)
    : BoundExpr(Span, Type, [], true);

/// <summary>A name: data, param, latent site, let, loop or plate variable.</summary>
public sealed record BoundVariable(SourceSpan Span, ExprType Type, IReadOnlyList<PlateSymbol> Plates, bool IsData, Symbol Symbol)
    : BoundExpr(Span, Type, Plates, IsData);

/// <summary>Prefix operator.</summary>
public sealed record BoundUnary(SourceSpan Span, ExprType Type, IReadOnlyList<PlateSymbol> Plates, bool IsData, UnaryOp Op, BoundExpr Operand)
    : BoundExpr(Span, Type, Plates, IsData);

/// <summary>Infix operator.</summary>
public sealed record BoundBinary(SourceSpan Span, ExprType Type, IReadOnlyList<PlateSymbol> Plates, bool IsData, BinaryOp Op, BoundExpr Left, BoundExpr Right)
    : BoundExpr(Span, Type, Plates, IsData);

/// <summary>A built-in function call.</summary>
public sealed record BoundCall(SourceSpan Span, ExprType Type, IReadOnlyList<PlateSymbol> Plates, bool IsData, FunctionInfo Function, IReadOnlyList<BoundExpr> Args)
    : BoundExpr(Span, Type, Plates, IsData);

/// <summary>A call of a declared network.</summary>
public sealed record BoundNetCall(SourceSpan Span, ExprType Type, IReadOnlyList<PlateSymbol> Plates, NetSymbol Net, BoundExpr Input)
    : BoundExpr(Span, Type, Plates, false);

/// <summary>A vector literal.</summary>
public sealed record BoundVector(SourceSpan Span, ExprType Type, IReadOnlyList<PlateSymbol> Plates, bool IsData, IReadOnlyList<BoundExpr> Items)
    : BoundExpr(Span, Type, Plates, IsData);

/// <summary>Indexing; <see cref="Indices"/> apply left to right to the target's per-element dimensions.</summary>
public sealed record BoundIndex(SourceSpan Span, ExprType Type, IReadOnlyList<PlateSymbol> Plates, bool IsData, BoundExpr Target, IReadOnlyList<BoundIndexArg> Indices)
    : BoundExpr(Span, Type, Plates, IsData);

/// <summary>One index position after checking.</summary>
public abstract record BoundIndexArg;

/// <summary>An int scalar: selects one entry and drops the dimension.</summary>
public sealed record ScalarIndex(BoundExpr Index) : BoundIndexArg;

/// <summary>An int array (or an int varying over a plate): gathers entries; the index's shape replaces the dimension.</summary>
public sealed record GatherIndex(BoundExpr Index) : BoundIndexArg;

/// <summary><c>from:to</c> with defaults 0 and the dimension's length.</summary>
public sealed record SliceRange(BoundExpr? From, BoundExpr? To) : BoundIndexArg;

/// <summary>A plate variable: the dimension becomes that plate's (subsampled) axis.</summary>
public sealed record PlateIndex(PlateSymbol Plate) : BoundIndexArg;

/// <summary>An element of an element-wise latent family (<c>z[t - 1]</c>); <see cref="BoundIndex.Target"/> is the family.</summary>
public sealed record ElementIndex(IReadOnlyList<BoundExpr> Indices) : BoundIndexArg;

/// <summary>A distribution with its arguments bound to the chosen signature's parameters, in order.</summary>
public sealed record BoundDistribution(SourceSpan Span, DistributionInfo Info, Signature Signature, IReadOnlyList<BoundExpr> Args,
    IReadOnlyList<BoundFlow> Flows, Shape BatchShape, Shape EventShape, IReadOnlyList<PlateSymbol> Plates)
{
    /// <summary>Shape of one draw per plate element: batch then event.</summary>
    public Shape ValueShape => BatchShape.Concat(EventShape);
}

/// <summary>A flow after <c>then</c>: layers and named options (hidden size, context).</summary>
public sealed record BoundFlow(SourceSpan Span, FlowInfo Info, BoundExpr Layers, IReadOnlyDictionary<string, BoundExpr> Options);

// ---- statements -------------------------------------------------------------------------------------

/// <summary>A checked statement; <see cref="Span"/> is the statement's source span (for <c>#line</c> and site locations).</summary>
public abstract record BoundStatement(SourceSpan Span);

/// <summary>A data declaration.</summary>
public sealed record BoundData(SourceSpan Span, DataSymbol Symbol) : BoundStatement(Span);

/// <summary>A point-parameter declaration.</summary>
public sealed record BoundParam(SourceSpan Span, ParamSymbol Symbol) : BoundStatement(Span);

/// <summary>A network declaration.</summary>
public sealed record BoundNet(SourceSpan Span, NetSymbol Symbol) : BoundStatement(Span);

/// <summary>
/// A sample site. Latent when <see cref="Latent"/> is set, else observed with <see cref="Value"/>.
/// The site's run-time name is <see cref="Name"/> followed by <see cref="NameIndices"/> (<c>z[3]</c>).
/// <see cref="Shape"/> is the per-element shape (declared, or the distribution's), <see cref="Plates"/> all enclosing plates.
/// </summary>
public sealed record BoundSample(SourceSpan Span, string Name, IReadOnlyList<BoundExpr> NameIndices, SiteSymbol? Latent, BoundExpr? Value,
    BoundDistribution Distribution, DeclaredType? Declared, Shape Shape, IReadOnlyList<PlateSymbol> Plates) : BoundStatement(Span)
{
    /// <summary>Observed sites have a value from data.</summary>
    public bool IsObserved => Latent is null;
}

/// <summary>A <c>let</c>; <see cref="Reported"/> when it is a deterministic site of the model's summary.</summary>
public sealed record BoundLet(SourceSpan Span, LetSymbol Symbol, BoundExpr Value, bool Reported) : BoundStatement(Span);

/// <summary>An extra log-density term.</summary>
public sealed record BoundFactor(SourceSpan Span, BoundExpr Value, int Index) : BoundStatement(Span);

/// <summary>A sequential loop.</summary>
public sealed record BoundFor(SourceSpan Span, IndexSymbol Variable, BoundExpr From, BoundExpr To, IReadOnlyList<BoundStatement> Body) : BoundStatement(Span);

/// <summary>A plate scope.</summary>
public sealed record BoundPlate(SourceSpan Span, PlateSymbol Plate, IndexSymbol Variable, IReadOnlyList<BoundStatement> Body) : BoundStatement(Span);

/// <summary>Branching.</summary>
public sealed record BoundIf(SourceSpan Span, BoundExpr Condition, IReadOnlyList<BoundStatement> Then, IReadOnlyList<BoundStatement>? Else) : BoundStatement(Span);

/// <summary>Stands in for an expression that already produced an error, so one mistake is reported once, not at every use.</summary>
public sealed record BoundError(SourceSpan Span) : BoundExpr(Span, ExprType.RealScalar, [], true);
