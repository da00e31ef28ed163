using Ppl.Language.Syntax;
using Ppl.Language.Text;

namespace Ppl.Language.Semantics;

/// <summary>
/// A named thing a .ppl name resolves to. Symbols are classes compared by identity: two <c>let x</c> in
/// different branches are different symbols even though they share a name.
/// </summary>
public abstract class Symbol(string name, SourceSpan span)
{
    /// <summary>The name as written.</summary>
    public string Name { get; } = name;

    /// <summary>Where it was defined.</summary>
    public SourceSpan Span { get; } = span;

    /// <summary>What kind of thing this is, for messages ("data", "latent site", ...).</summary>
    public abstract string Kind { get; }

    /// <inheritdoc/>
    public override string ToString() => $"{Kind} {Name}";
}

/// <summary>Constrained types beyond bounds.</summary>
public enum TypeConstraint { None, Simplex, Ordered, CovMatrix, CholeskyCorr }

/// <summary>A declared type after checking: kind, shape, bounds (data-only expressions) and any special constraint.</summary>
/// <param name="Kind">Element kind.</param>
/// <param name="Shape">Symbolic shape.</param>
/// <param name="DimExprs">The size expressions behind <see cref="Shape"/>, one per dimension (the emitter evaluates them).</param>
/// <param name="Lower">Lower bound (data only), if any.</param>
/// <param name="Upper">Upper bound (data only), if any.</param>
/// <param name="Constraint">Simplex, ordered vector, covariance, Cholesky factor, or none.</param>
/// <param name="Syntax">The type as written.</param>
public sealed record DeclaredType(ScalarKind Kind, Shape Shape, IReadOnlyList<BoundExpr> DimExprs, BoundExpr? Lower, BoundExpr? Upper, TypeConstraint Constraint, TypeSyntax Syntax)
{
    /// <summary>The value type.</summary>
    public ExprType ExprType => new(Kind, Shape);
}

/// <summary><c>data NAME: TYPE [= DEFAULT]</c></summary>
public sealed class DataSymbol(string name, SourceSpan span, DeclaredType type, BoundExpr? @default) : Symbol(name, span)
{
    /// <summary>The declared type the loader checks the data against.</summary>
    public DeclaredType Type { get; } = type;

    /// <summary>Value used when the data file lacks the item.</summary>
    public BoundExpr? Default { get; } = @default;

    /// <summary>Whether the item is a size (an int scalar; see <see cref="BoundExpr.IsSizeValue"/>).</summary>
    public bool IsSize => BoundExpr.IsSizeValue(Type.ExprType, true, []);

    /// <summary>For an int scalar size: data items whose shape fixes it (item, axis), used when the file lacks it.</summary>
    public List<(DataSymbol Item, int Axis)> SizeSources { get; } = new();

    /// <inheritdoc/>
    public override string Kind => "data";
}

/// <summary><c>param NAME: TYPE [= INIT]</c></summary>
public sealed class ParamSymbol(string name, SourceSpan span, DeclaredType type, BoundExpr? init) : Symbol(name, span)
{
    /// <summary>Type; bounds are kept by a transform.</summary>
    public DeclaredType Type { get; } = type;

    /// <summary>Initial value (data only), or null for the runtime's default.</summary>
    public BoundExpr? Init { get; } = init;

    /// <inheritdoc/>
    public override string Kind => "param";
}

/// <summary><c>net NAME = Mlp(IN, ..., OUT)</c></summary>
public sealed class NetSymbol(string name, SourceSpan span, string netKind, IReadOnlyList<BoundExpr> sizes, string activation) : Symbol(name, span)
{
    /// <summary>The network kind (<c>Mlp</c>).</summary>
    public string NetKind { get; } = netKind;

    /// <summary>Layer sizes, input first (data-only ints).</summary>
    public IReadOnlyList<BoundExpr> Sizes { get; } = sizes;

    /// <summary>Hidden-layer activation.</summary>
    public string Activation { get; } = activation;

    /// <summary>Input width.</summary>
    public Dim In => Checker.DimOf(Sizes[0]);

    /// <summary>Output width.</summary>
    public Dim Out => Checker.DimOf(Sizes[^1]);

    /// <inheritdoc/>
    public override string Kind => "net";
}

/// <summary>A plate: its index variable names it; sites inside carry its dimension.</summary>
public sealed class PlateSymbol(string name, SourceSpan span, BoundExpr size, BoundExpr? subsample, Dim sizeDim, int depth) : Symbol(name, span)
{
    /// <summary>Nesting depth (0 outermost): the position of this plate's axis in every value that varies over it.</summary>
    public int Depth { get; } = depth;

    /// <summary>Number of copies (data-only int).</summary>
    public BoundExpr Size { get; } = size;

    /// <summary>Minibatch size, or null for all.</summary>
    public BoundExpr? Subsample { get; } = subsample;

    /// <summary>The size as a dimension.</summary>
    public Dim SizeDim { get; } = sizeDim;

    /// <inheritdoc/>
    public override string Kind => "plate";
}

/// <summary>A <c>for</c> variable (an int) or a plate variable (the plate's vector of indices).</summary>
public sealed class IndexSymbol(string name, SourceSpan span, PlateSymbol? plate) : Symbol(name, span)
{
    /// <summary>The plate, for a plate variable.</summary>
    public PlateSymbol? Plate { get; } = plate;

    /// <inheritdoc/>
    public override string Kind => Plate is null ? "loop variable" : "plate variable";
}

/// <summary>A latent sample site (or an element-wise family of them, <c>z[t]</c> in a loop).</summary>
public sealed class SiteSymbol(string name, SourceSpan span, ExprType type, IReadOnlyList<PlateSymbol> plates, int elementIndices, DistributionInfo distribution, bool hasFlows) : Symbol(name, span)
{
    /// <summary>Type of one site value per plate element.</summary>
    public ExprType Type { get; } = type;

    /// <summary>Plates the site is inside, outermost first.</summary>
    public IReadOnlyList<PlateSymbol> Plates { get; } = plates;

    /// <summary>Number of run-time indices in the site name (<c>z[t]</c>: 1); 0 for an ordinary site.</summary>
    public int ElementIndices { get; } = elementIndices;

    /// <summary>The distribution of its first sample statement.</summary>
    public DistributionInfo Distribution { get; } = distribution;

    /// <summary>Whether the sample is pushed through flows (its support is then the real line).</summary>
    public bool HasFlows { get; } = hasFlows;

    /// <inheritdoc/>
    public override string Kind => "latent site";
}

/// <summary><c>let NAME = EXPR</c></summary>
public sealed class LetSymbol(string name, SourceSpan span, ExprType type, IReadOnlyList<PlateSymbol> plates, bool isData) : Symbol(name, span)
{
    /// <summary>Type per plate element.</summary>
    public ExprType Type { get; } = type;

    /// <summary>Plates the value varies over.</summary>
    public IReadOnlyList<PlateSymbol> Plates { get; } = plates;

    /// <summary>Computed from data alone (so it may be observed and used as a size).</summary>
    public bool IsData { get; } = isData;

    /// <summary>Whether the let is a size (see <see cref="BoundExpr.IsSizeValue"/>).</summary>
    public bool IsSize => BoundExpr.IsSizeValue(Type, IsData, Plates);

    /// <inheritdoc/>
    public override string Kind => "let";
}
