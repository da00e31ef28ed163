using Ppl.Language.Diagnostics;

namespace Ppl.Language;

/// <summary>
/// What every stage of the language pipeline returns: its value and the diagnostics it reported. A stage with
/// errors has no value, and <see cref="Then{TNext}"/> runs the next stage only after one that succeeded.
/// </summary>
public sealed record StageResult<T>(T? Value, IReadOnlyList<Diagnostic> Diagnostics) where T : class
{
    /// <summary>True when the stage produced a value without errors.</summary>
    public bool Succeeded => Value is not null && Diagnostics.Count == 0;

    /// <summary>A stage's successful value.</summary>
    public static StageResult<T> Ok(T value) => new(value, []);

    /// <summary>Runs <paramref name="next"/> on the value, or passes this stage's diagnostics on when it failed.</summary>
    public StageResult<TNext> Then<TNext>(Func<T, StageResult<TNext>> next) where TNext : class =>
        Succeeded ? next(Value!) : new(null, Diagnostics);
}
