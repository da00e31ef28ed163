namespace Ppl.Runtime.Distributions.Constraints;

/// <summary>
/// The set a value must lie in: a distribution's support, or a parameter's declared bounds. Automatic guides and
/// bounded parameters map the real line onto it with the bijection that
/// the transform registry (<c>Ppl.Runtime.Transforms</c>) registers for it.
/// </summary>
public abstract class Constraint
{
    /// <summary>A short name for messages (<c>positive</c>, <c>interval(0, 1)</c>).</summary>
    public abstract string Name { get; }

    /// <summary>Number of rightmost dimensions checked together (1 for simplex, 2 for matrices).</summary>
    public virtual int EventDim => 0;

    /// <summary>Whether the values are integers.</summary>
    public virtual bool IsDiscrete => false;

    /// <summary>Whether every element of <paramref name="values"/> lies in the set (for event constraints, every event).</summary>
    public abstract bool Check(ReadOnlySpan<float> values);

    /// <summary>Whether every event of a tensor of shape <paramref name="shape"/> is inside: its last <see cref="EventDim"/> axes make one event.</summary>
    public bool CheckEvents(ReadOnlySpan<float> values, ReadOnlySpan<int> shape) => FirstEventOutside(values, shape) < 0;

    /// <summary>The index (row-major over the batch axes) of the first event of a tensor of shape <paramref name="shape"/> outside, or −1.</summary>
    public int FirstEventOutside(ReadOnlySpan<float> values, ReadOnlySpan<int> shape)
    {
        int size = EventSize(shape);
        for (int start = 0, e = 0; start < values.Length; start += size, e++)
            if (!Check(values.Slice(start, size))) return e;
        return -1;
    }

    /// <summary>The number of scalars in one event of a tensor of shape <paramref name="shape"/>.</summary>
    public int EventSize(ReadOnlySpan<int> shape) => Tensors.Shapes.Size(shape[(shape.Length - EventDim)..]);


    /// <inheritdoc/>
    public override string ToString() => Name;

    /// <summary>All reals.</summary>
    public static readonly Constraint Real = new Interval(float.NegativeInfinity, float.PositiveInfinity, "real");
    /// <summary>x &gt; 0.</summary>
    public static readonly Constraint Positive = new Interval(0, float.PositiveInfinity, "positive");
    /// <summary>0 ≤ x ≤ 1.</summary>
    public static readonly Constraint UnitInterval = new Interval(0, 1, "unit_interval");
    /// <summary>{0, 1}.</summary>
    public static readonly Constraint Boolean = new IntegerInterval(0, 1, "boolean");
    /// <summary>{0, 1, 2, ...}.</summary>
    public static readonly Constraint NonNegativeInteger = new IntegerInterval(0, int.MaxValue, "nonnegative_integer");
    /// <summary>Vectors with positive entries summing to 1.</summary>
    public static readonly Constraint Simplex = new SimplexConstraint();
    /// <summary>Lower-triangular matrices with positive diagonal and unit-norm rows (Cholesky factors of correlations).</summary>
    public static readonly Constraint CorrCholesky = new CorrCholeskyConstraint();
    /// <summary>Symmetric positive-definite matrices.</summary>
    public static readonly Constraint PositiveDefinite = new PositiveDefiniteConstraint();
    /// <summary>Lower-triangular matrices with positive diagonal.</summary>
    public static readonly Constraint LowerCholesky = new LowerCholeskyConstraint();
    /// <summary>Vectors with strictly increasing entries (Stan's <c>ordered</c>).</summary>
    public static readonly Constraint Ordered = new OrderedConstraint();

    /// <summary>lo &lt; x &lt; hi (either may be infinite).</summary>
    public static Constraint Between(float lo, float hi) =>
        float.IsNegativeInfinity(lo) && float.IsPositiveInfinity(hi) ? Real
        : lo == 0 && float.IsPositiveInfinity(hi) ? Positive
        : new Interval(lo, hi, float.IsPositiveInfinity(hi) ? $"greater_than({lo})" : float.IsNegativeInfinity(lo) ? $"less_than({hi})" : $"interval({lo}, {hi})");

    /// <summary>Integers lo..hi inclusive.</summary>
    public static Constraint IntegersBetween(int lo, int hi) => new IntegerInterval(lo, hi, $"integer_interval({lo}, {hi})");
}

/// <summary>A real interval with possibly infinite ends; the ends themselves count as inside (floating point rounds onto them).</summary>
public sealed class Interval(float lower, float upper, string name) : Constraint
{
    /// <summary>Lower bound (may be −∞).</summary>
    public float Lower { get; } = lower;
    /// <summary>Upper bound (may be +∞).</summary>
    public float Upper { get; } = upper;
    /// <inheritdoc/>
    public override string Name { get; } = name;
    /// <inheritdoc/>
    public override bool Check(ReadOnlySpan<float> values)
    {
        foreach (float v in values) if (!(v >= Lower && v <= Upper)) return false;
        return true;
    }
}

/// <summary>Integers in lo..hi inclusive.</summary>
public sealed class IntegerInterval(int lower, int upper, string name) : Constraint
{
    /// <summary>Smallest value.</summary>
    public int Lower { get; } = lower;
    /// <summary>Largest value.</summary>
    public int Upper { get; } = upper;
    /// <inheritdoc/>
    public override string Name { get; } = name;
    /// <inheritdoc/>
    public override bool IsDiscrete => true;
    /// <inheritdoc/>
    public override bool Check(ReadOnlySpan<float> values)
    {
        foreach (float v in values) if (!(v >= Lower && v <= Upper && v == MathF.Round(v))) return false;
        return true;
    }
}

/// <summary>Positive vectors summing to one (checked on the last axis by the caller's event size).</summary>
public sealed class SimplexConstraint : Constraint
{
    /// <inheritdoc/>
    public override string Name => "simplex";
    /// <inheritdoc/>
    public override int EventDim => 1;
    /// <summary>Checks one event (a whole vector).</summary>
    public override bool Check(ReadOnlySpan<float> values)
    {
        double s = 0;
        foreach (float v in values) { if (!(v >= 0)) return false; s += v; }
        return Math.Abs(s - 1) <= 1e-4 * Math.Max(1, values.Length);
    }
}

/// <summary>Vectors whose entries strictly increase, checked as a whole event.</summary>
public sealed class OrderedConstraint : Constraint
{
    /// <inheritdoc/>
    public override string Name => "ordered";
    /// <inheritdoc/>
    public override int EventDim => 1;
    /// <summary>Checks one event (a whole vector): finite and strictly increasing.</summary>
    public override bool Check(ReadOnlySpan<float> values)
    {
        for (int i = 0; i < values.Length; i++)
            if (!float.IsFinite(values[i]) || (i > 0 && !(values[i] > values[i - 1]))) return false;
        return true;
    }
}

/// <summary>Square matrices checked as a whole event (row-major K×K span).</summary>
public abstract class MatrixConstraint : Constraint
{
    /// <inheritdoc/>
    public override int EventDim => 2;
    /// <summary>The matrix order of a K×K span.</summary>
    protected static int Order(ReadOnlySpan<float> values)
    {
        int k = (int)Math.Round(Math.Sqrt(values.Length));
        return k * k == values.Length ? k : -1;
    }
}

/// <summary>Lower-triangular with positive diagonal.</summary>
public sealed class LowerCholeskyConstraint : MatrixConstraint
{
    /// <inheritdoc/>
    public override string Name => "lower_cholesky";
    /// <inheritdoc/>
    public override bool Check(ReadOnlySpan<float> m)
    {
        int k = Order(m);
        if (k < 0) return false;
        for (int i = 0; i < k; i++)
        {
            if (!(m[i * k + i] > 0)) return false;
            for (int j = i + 1; j < k; j++) if (m[i * k + j] != 0) return false;
        }
        return true;
    }
}

/// <summary>Cholesky factor of a correlation matrix: lower-triangular, positive diagonal, rows of unit norm.</summary>
public sealed class CorrCholeskyConstraint : MatrixConstraint
{
    /// <inheritdoc/>
    public override string Name => "corr_cholesky";
    /// <inheritdoc/>
    public override bool Check(ReadOnlySpan<float> m)
    {
        if (!LowerCholesky.Check(m)) return false;
        int k = Order(m);
        for (int i = 0; i < k; i++)
        {
            double s = 0;
            for (int j = 0; j <= i; j++) s += (double)m[i * k + j] * m[i * k + j];
            if (Math.Abs(s - 1) > 1e-4) return false;
        }
        return true;
    }
}

/// <summary>Symmetric positive-definite (checked by attempting a Cholesky factorisation).</summary>
public sealed class PositiveDefiniteConstraint : MatrixConstraint
{
    /// <inheritdoc/>
    public override string Name => "positive_definite";
    /// <inheritdoc/>
    public override bool Check(ReadOnlySpan<float> m)
    {
        int k = Order(m);
        if (k < 0) return false;
        var l = new double[k * k];
        for (int i = 0; i < k; i++)
            for (int j = 0; j <= i; j++)
            {
                if (Math.Abs(m[i * k + j] - m[j * k + i]) > 1e-4 * (1 + Math.Abs(m[i * k + j]))) return false;
                double s = m[i * k + j];
                for (int p = 0; p < j; p++) s -= l[i * k + p] * l[j * k + p];
                if (i == j) { if (!(s > 0)) return false; l[i * k + i] = Math.Sqrt(s); }
                else l[i * k + j] = s / l[j * k + j];
            }
        return true;
    }
}
