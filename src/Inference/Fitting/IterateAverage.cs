using Ppl.Runtime.Params;

namespace Ppl.Inference.Fitting;

/// <summary>
/// Polyak–Ruppert averaging of the iterates (Polyak &amp; Juditsky 1992, "Acceleration of stochastic approximation by
/// averaging"; Ruppert 1988), over the fit's final annealing phase only, the tail averaging of Jain, Kakade, Kidambi,
/// Netrapalli &amp; Sidford 2018: the mean θ̄ = (1/n) Σ θ_t of every unconstrained parameter over the n optimizer steps
/// of the phase so far, which replaces the last iterate when the fit ends. A single-particle
/// step leaves the parameters wherever its noise put them (the learning rate is still nonzero in the last steps); the
/// mean over the phase averages that noise away, while the iterates of the climb before it, which would bias the mean,
/// are left out. The sums are kept in double, per parameter, in the store's order; their state is part of a checkpoint.
/// </summary>
public sealed class IterateAverage
{
    readonly List<(string Name, double[] Sum)> sums = new();

    /// <summary>Steps averaged so far.</summary>
    public int Count { get; private set; }

    /// <summary>Adds the current parameters of <paramref name="store"/> to the average (no allocation once every parameter is seen).</summary>
    public void Add(ParamStore store)
    {
        var entries = store.Entries;
        if (sums.Count > entries.Count) throw new InvalidOperationException("the parameter store lost parameters during the average");
        for (int i = sums.Count; i < entries.Count; i++) sums.Add((entries[i].Name, new double[entries[i].Unconstrained.Size]));
        Count++;
        for (int i = 0; i < entries.Count; i++)
        {
            var x = entries[i].Unconstrained.Value.Span;
            var (name, s) = sums[i];
            // A resumed average meets the store's parameters only at the first step, once the model and guide created them.
            if (name != entries[i].Name || s.Length != x.Length)
                throw new InvalidDataException($"the parameter average holds '{name}' ({s.Length} values) where the fit has '{entries[i].Name}' ({x.Length})");
            for (int k = 0; k < x.Length; k++) s[k] += x[k];
        }
    }

    /// <summary>Writes the average into <paramref name="store"/>'s parameters (nothing when no step was averaged).</summary>
    public void CopyTo(ParamStore store)
    {
        if (Count == 0) return;
        var entries = store.Entries;
        for (int i = 0; i < sums.Count; i++)
        {
            var x = entries[i].Unconstrained.Value.Span;
            var s = sums[i].Sum;
            for (int k = 0; k < x.Length; k++) x[k] = (float)(s[k] / Count);
        }
    }

    /// <summary>The state, for a checkpoint: the count and the sums per parameter, by name, in the store's order.</summary>
    public (int Count, IReadOnlyList<(string Name, double[] Sum)> Sums) Export() => (Count, sums);

    /// <summary>Restores <see cref="Export"/>'s state (checked against the store's parameters at the next <see cref="Add"/>).</summary>
    public void Import(int count, IEnumerable<(string Name, double[] Sum)> state)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        Count = count;
        sums.Clear();
        sums.AddRange(state);
    }
}
