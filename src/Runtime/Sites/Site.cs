using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Distributions;

namespace Ppl.Runtime.Sites;

/// <summary>What a site is.</summary>
public enum SiteKind
{
    /// <summary><c>x ~ D</c>: a latent draw, or an observation when <see cref="Site.IsObserved"/>.</summary>
    Sample,
    /// <summary><c>param</c>: a learnable point value.</summary>
    Param,
    /// <summary><c>let</c>: a value reported with the latents.</summary>
    Deterministic,
    /// <summary><c>factor</c>: a term added to the log density.</summary>
    Factor,
    /// <summary><c>plate</c>: its value is the (sub)sample indices, so a guide's choice is replayed in the model.</summary>
    Plate,
}

/// <summary>
/// The one record passed through handlers. A handler may fill <see cref="Value"/> (replay, condition), change
/// <see cref="Scale"/>, or read the finished site (trace). Once <see cref="Value"/> is set by
/// a handler, the default action (drawing from the distribution) is skipped.
/// </summary>
public sealed class Site
{
    /// <summary>Site name: <c>theta</c>, <c>theta[3]</c> inside a sequential loop.</summary>
    public required string Name { get; init; }

    /// <summary>What kind of site.</summary>
    public required SiteKind Kind { get; init; }

    /// <summary>The distribution of a sample site (null for other kinds).</summary>
    public Distribution? Distribution { get; set; }

    /// <summary>The value: drawn, replayed, observed, or computed.</summary>
    public Var? Value { get; set; }

    /// <summary>Whether the value is data (an observation) rather than a latent draw.</summary>
    public bool IsObserved { get; set; }

    /// <summary>Multiplier on this site's log density (N/M in a subsampled plate; set by scale handlers).</summary>
    public float Scale { get; set; } = 1f;

    /// <summary>Source location in the .ppl file.</summary>
    public SiteLocation Location { get; init; }

    /// <summary>The plates this site is inside, outermost first.</summary>
    public IReadOnlyList<PlateFrame> Plates { get; init; } = [];

    /// <summary>Whether the draw went through RSample (the value is differentiable in the guide's parameters).</summary>
    public bool IsReparameterized { get; set; }

    /// <summary>For a latent the model uses only through L + S·value, the compiler's description of that use (null otherwise).</summary>
    public LocScaleUse? LocScale { get; init; }

    Var? logProb;

    /// <summary>
    /// Elementwise log density of the value (one per batch element), not scaled; computed once.
    /// For factor sites, the factor itself.
    /// </summary>
    public Var LogProb
    {
        get
        {
            if (logProb is not null) return logProb;
            if (Kind == SiteKind.Factor) return logProb = Value!;
            if (Kind != SiteKind.Sample || Distribution is null || Value is null)
                throw new InvalidOperationException($"site '{Name}' has no log density");
            return logProb = Distribution.LogProb(Value);
        }
    }

    /// <summary>Σ LogProb · Scale: this site's term of the log joint.</summary>
    public Var ScaledLogProbSum() => Scale == 1f ? Ops.Sum(LogProb) : Ops.Mul(Ops.Sum(LogProb), Scale);

    /// <inheritdoc/>
    public override string ToString() => $"{Kind} {Name}{(IsObserved ? " (observed)" : "")} at {Location}";
}
