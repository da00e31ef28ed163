using System.Globalization;

namespace Ppl.Language.Semantics;

/// <summary>Element kinds, in promotion order: a bool used in arithmetic is an int (0/1), an int mixed with a real is a real.</summary>
public enum ScalarKind { Bool, Int, Real }

/// <summary>
/// One dimension of a shape, known symbolically over data sizes: a constant (<c>784</c>), a data size
/// (<c>N</c>), an expression of them (<c>2 * K</c>), or unknown. Two dimensions are provably different only
/// when both are constants; symbolic ones are compared by their text, so the checker never rejects a
/// program whose sizes might agree at run time (the data loader checks them then).
/// </summary>
public readonly record struct Dim(string Text, int? Value)
{
    /// <summary>A constant size.</summary>
    public static Dim Const(int value) => new(value.ToString(CultureInfo.InvariantCulture), value);

    /// <summary>A size named by data (e.g. <c>N</c>) or an expression of sizes.</summary>
    public static Dim Symbol(string text) => new(text, null);

    /// <summary>A size the checker cannot express.</summary>
    public static readonly Dim Unknown = new("?", null);

    /// <summary>Whether nothing is known about this size.</summary>
    public bool IsUnknown => Text == "?";

    /// <summary>Constant 1, which broadcasts against anything.</summary>
    public bool IsOne => Value == 1;

    /// <summary>True only when both sizes are known constants that differ.</summary>
    public bool ProvablyDiffers(Dim other) => Value is int a && other.Value is int b && a != b;

    /// <summary>True when the sizes are the same constant or the same symbolic expression.</summary>
    public bool SameAs(Dim other) => Value is int a && other.Value is int b ? a == b : !IsUnknown && Text == other.Text;

    /// <inheritdoc/>
    public override string ToString() => Text;
}

/// <summary>A shape: dimensions from outermost to innermost (row-major, like the runtime's tensors).</summary>
public sealed class Shape(IReadOnlyList<Dim> dims)
{
    /// <summary>The dimensions.</summary>
    public IReadOnlyList<Dim> Dims { get; } = dims;

    /// <summary>The empty shape of a scalar.</summary>
    public static readonly Shape Scalar = new([]);

    /// <summary>Number of dimensions.</summary>
    public int Rank => Dims.Count;

    /// <summary>Builds a shape from dimensions.</summary>
    public static Shape Of(params Dim[] dims) => new(dims);

    /// <summary>Drops the first <paramref name="count"/> dimensions.</summary>
    public Shape Skip(int count) => new(Dims.Skip(count).ToArray());

    /// <summary>Keeps all but the last <paramref name="count"/> dimensions.</summary>
    public Shape DropLast(int count) => new(Dims.Take(Math.Max(0, Rank - count)).ToArray());

    /// <summary>The last <paramref name="count"/> dimensions.</summary>
    public Shape Last(int count) => new(Dims.Skip(Math.Max(0, Rank - count)).ToArray());

    /// <summary>Concatenation.</summary>
    public Shape Concat(Shape other) => new([.. Dims, .. other.Dims]);

    /// <summary>Same rank and every dimension the same (constants or identical symbols; unknowns match anything).</summary>
    public bool Matches(Shape other) =>
        Rank == other.Rank && Dims.Zip(other.Dims).All(p => p.First.IsUnknown || p.Second.IsUnknown || p.First.SameAs(p.Second));

    /// <summary>
    /// NumPy broadcasting, right-aligned. Null when two constant sizes differ and neither is 1. For two
    /// different symbols the left one is kept (they may agree at run time; the runtime checks).
    /// </summary>
    public static Shape? Broadcast(Shape a, Shape b)
    {
        int rank = Math.Max(a.Rank, b.Rank);
        var dims = new Dim[rank];
        for (int k = 0; k < rank; k++)
        {
            Dim? x = k < rank - a.Rank ? null : a.Dims[k - (rank - a.Rank)];
            Dim? y = k < rank - b.Rank ? null : b.Dims[k - (rank - b.Rank)];
            if (x is null) { dims[k] = y!.Value; continue; }
            if (y is null) { dims[k] = x.Value; continue; }
            if (x.Value.IsOne) dims[k] = y.Value;
            else if (y.Value.IsOne) dims[k] = x.Value;
            else if (x.Value.ProvablyDiffers(y.Value)) return null;
            else dims[k] = x.Value.IsUnknown ? y.Value : x.Value;
        }
        return new Shape(dims);
    }

    /// <summary>Whether a value of shape <paramref name="from"/> broadcasts to exactly <paramref name="to"/>.</summary>
    public static bool BroadcastsTo(Shape from, Shape to)
    {
        if (from.Rank > to.Rank) return false;
        for (int k = 0; k < from.Rank; k++)
        {
            var f = from.Dims[from.Rank - 1 - k];
            var t = to.Dims[to.Rank - 1 - k];
            if (!f.IsOne && f.ProvablyDiffers(t)) return false;
        }
        return true;
    }

    /// <inheritdoc/>
    public override string ToString() => Rank == 0 ? "[]" : "[" + string.Join(", ", Dims) + "]";
}

/// <summary>The type of a value as the checker knows it: element kind and shape (per plate element).</summary>
public sealed record ExprType(ScalarKind Kind, Shape Shape)
{
    /// <summary>A real scalar.</summary>
    public static readonly ExprType RealScalar = new(ScalarKind.Real, Shape.Scalar);

    /// <summary>An int scalar.</summary>
    public static readonly ExprType IntScalar = new(ScalarKind.Int, Shape.Scalar);

    /// <summary>A bool scalar.</summary>
    public static readonly ExprType BoolScalar = new(ScalarKind.Bool, Shape.Scalar);

    /// <summary>Source-like spelling: <c>real[J]</c>, <c>int</c>.</summary>
    public override string ToString() => Kind.ToString().ToLowerInvariant() + (Shape.Rank == 0 ? "" : Shape.ToString());
}
