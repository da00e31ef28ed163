using System.Runtime.CompilerServices;
using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Params;

namespace Ppl.Inference.Optimizers;

/// <summary>
/// The common part of the optimizers: per-parameter state (moment buffers and the parameter's own step count),
/// created on first sight so parameters that appear later join without ceremony, and exported by parameter name so a
/// saved fit resumes bit-for-bit (<see cref="Export"/>, <see cref="Import"/>). Subclasses give the update rule.
/// </summary>
public abstract class Optimizer : IOptimizer
{
    /// <summary>One parameter's state: its update count and the rule's buffers, each the parameter's size.</summary>
    public sealed class State(int slots, int size)
    {
        /// <summary>Updates applied to this parameter.</summary>
        public int T { get; set; }
        /// <summary>The rule's buffers (Adam: m, v; SGD with momentum: the velocity).</summary>
        public float[][] Slots { get; } = Enumerable.Range(0, slots).Select(_ => new float[size]).ToArray();
    }

    readonly Dictionary<string, State> named = new();
    readonly ConditionalWeakTable<Var, State> anonymous = new();

    /// <summary>An optimizer with learning rate <paramref name="lr"/>.</summary>
    protected Optimizer(float lr) => LearningRate = lr;

    /// <summary>Learning rate of the next step (a schedule may set it before each step).</summary>
    public float LearningRate { get; set; }

    /// <summary>Number of buffers the rule keeps per parameter.</summary>
    protected abstract int Slots { get; }

    /// <summary>The rule: updates <paramref name="p"/> in place from <paramref name="g"/> (which it may overwrite) at the parameter's step <paramref name="t"/> (1-based).</summary>
    protected abstract void Update(Span<float> p, Span<float> g, float[][] slots, int t);

    /// <inheritdoc/>
    public void Step(IEnumerable<Var> parameters)
    {
        foreach (var p in parameters)
        {
            if (p.Grad is null) continue;
            Apply(p, anonymous.GetValue(p, q => new State(Slots, q.Size)));
        }
    }

    /// <summary>Updates every parameter of <paramref name="store"/>, keeping state by name (what <see cref="Export"/> saves); the gradients are left to the loop (see <see cref="IOptimizer.Step"/>).</summary>
    public void Step(ParamStore store)
    {
        var entries = store.Entries;
        for (int i = 0; i < entries.Count; i++)
        {
            var e = entries[i];
            var p = e.Unconstrained;
            if (p.Grad is null) continue;
            if (!named.TryGetValue(e.Name, out var s)) named[e.Name] = s = new State(Slots, p.Size);
            Apply(p, s);
        }
    }

    void Apply(Var p, State s)
    {
        s.T++;
        Update(p.Value.Span, p.Grad!.Span, s.Slots, s.T);
    }

    /// <summary>The state of every parameter stepped through <see cref="Step(ParamStore)"/>, by name (copies).</summary>
    public IReadOnlyDictionary<string, State> Export()
    {
        var copy = new Dictionary<string, State>();
        foreach (var (name, s) in named)
        {
            var c = new State(Slots, s.Slots.Length == 0 ? 0 : s.Slots[0].Length) { T = s.T };
            for (int k = 0; k < Slots; k++) s.Slots[k].CopyTo(c.Slots[k], 0);
            copy[name] = c;
        }
        return copy;
    }

    /// <summary>Replaces the state with one saved by <see cref="Export"/>.</summary>
    /// <exception cref="InvalidDataException">A saved state has the wrong number of buffers for this rule.</exception>
    public void Import(IReadOnlyDictionary<string, State> states)
    {
        named.Clear();
        foreach (var (name, s) in states)
        {
            if (s.Slots.Length != Slots)
                throw new InvalidDataException($"saved optimizer state of '{name}' has {s.Slots.Length} buffers, {GetType().Name} keeps {Slots}");
            var c = new State(Slots, s.Slots.Length == 0 ? 0 : s.Slots[0].Length) { T = s.T };
            for (int k = 0; k < Slots; k++) s.Slots[k].CopyTo(c.Slots[k], 0);
            named[name] = c;
        }
    }
}
