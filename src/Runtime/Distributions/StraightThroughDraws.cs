using System.Runtime.CompilerServices;
using Ppl.Runtime.Autodiff;

namespace Ppl.Runtime.Distributions;

/// <summary>
/// The relaxed value behind each straight-through draw (a hard one-hot or 0/1 value whose gradient flows through a
/// relaxed sample), so a relaxed distribution scores such a draw at the relaxed value it came from, as Pyro's
/// <c>RelaxedOneHotCategoricalStraightThrough.log_prob</c> reads the tensor's <c>_unquantize</c>. Shared by every
/// instance: the model's prior scores the draw its guide made, and an expanded copy scores the draw of the original.
/// Keyed by the returned <see cref="Var"/> itself and held weakly, so an entry lives as long as its draw.
/// </summary>
static class StraightThroughDraws
{
    static readonly ConditionalWeakTable<Var, Var> relaxedOf = new();

    /// <summary>Records that <paramref name="hard"/> was quantised from <paramref name="relaxed"/>.</summary>
    public static void Remember(Var hard, Var relaxed) => relaxedOf.AddOrUpdate(hard, relaxed);

    /// <summary>The relaxed value behind <paramref name="value"/>, or <paramref name="value"/> itself when it is no straight-through draw.</summary>
    public static Var Unquantize(Var value) => relaxedOf.TryGetValue(value, out var relaxed) ? relaxed : value;
}
