using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Distributions.Constraints;
using Ppl.Runtime.Nn;
using Ppl.Runtime.Random;
using Ppl.Runtime.Tensors;
using Ppl.Runtime.Transforms;

namespace Ppl.Runtime.Sites;

/// <summary>
/// Every learnable parameter of a model and its guide, by name. A constrained parameter is stored unconstrained
/// (on the real line) and mapped through the bijection registered for its constraint each time it is read, so an
/// optimizer can move it freely. Nets register their weights here under <c>NET.NAME</c>.
/// </summary>
public sealed class ParamStore
{
    /// <summary>One stored parameter.</summary>
    public sealed record Entry(string Name, Var Unconstrained, Constraint Constraint, Transform Transform);

    readonly Dictionary<string, Entry> entries = new();
    readonly List<string> order = new();
    readonly Dictionary<string, Module> modules = new();
    readonly ulong seed;

    /// <summary>A store whose nets are initialised from streams derived from <paramref name="seed"/>.</summary>
    public ParamStore(ulong seed = 0) => this.seed = seed;

    /// <summary>Parameters in creation order.</summary>
    public IEnumerable<Entry> Entries => order.Select(n => entries[n]);

    /// <summary>The unconstrained leaves, for optimizers.</summary>
    public IEnumerable<Var> Leaves => order.Select(n => entries[n].Unconstrained);

    /// <summary>Number of parameters.</summary>
    public int Count => order.Count;

    /// <summary>Whether a parameter of this name exists.</summary>
    public bool Contains(string name) => entries.ContainsKey(name);

    /// <summary>The entry of a name.</summary>
    public Entry this[string name] => entries[name];

    /// <summary>
    /// The constrained value of a parameter, creating it from <paramref name="init"/> (a constrained value) on first
    /// use; attached to <paramref name="tape"/> so gradients reach it.
    /// </summary>
    public Var Get(string name, Func<Tensor> init, Constraint constraint, Tape? tape)
    {
        if (!entries.TryGetValue(name, out var e))
        {
            var transform = BijectTo.For(constraint);
            var x = transform.Inverse(Var.Const(init())).Value.Clone();
            e = Add(name, Var.Parameter(x, name), constraint, transform);
        }
        if (tape is null) return e.Transform.Forward(Var.Const(e.Unconstrained.Value));
        tape.Attach(e.Unconstrained);
        return e.Transform.Forward(e.Unconstrained);
    }

    /// <summary>A net by name, created on first use from a random stream derived from the store's seed and the name.</summary>
    public T GetModule<T>(string name, Func<Rng, T> create, Tape? tape) where T : Module
    {
        if (!modules.TryGetValue(name, out var m))
        {
            m = create(new Rng(seed).Fork(StableHash(name)));
            modules[name] = m;
            foreach (var (pname, p) in m.NamedParameters())
                Add($"{name}.{pname}", p, Constraint.Real, BijectTo.For(Constraint.Real));
        }
        if (m is not T typed) throw new InvalidOperationException($"net '{name}' was created as {m.GetType().Name}, not {typeof(T).Name}");
        if (tape is not null)
            foreach (var (_, p) in m.NamedParameters()) tape.Attach(p);
        return typed;
    }

    Entry Add(string name, Var leaf, Constraint constraint, Transform transform)
    {
        if (entries.ContainsKey(name)) throw new InvalidOperationException($"parameter '{name}' already exists");
        var e = new Entry(name, leaf, constraint, transform);
        entries[name] = e;
        order.Add(name);
        return e;
    }

    /// <summary>Sets every parameter's gradient to zero.</summary>
    public void ZeroGrad()
    {
        foreach (var e in entries.Values) e.Unconstrained.Grad!.Span.Clear();
    }

    /// <summary>FNV-1a of the name: a stream id that does not depend on .NET's randomized string hashing.</summary>
    internal static ulong StableHash(string s)
    {
        ulong h = 14695981039346656037UL;
        foreach (char c in s) { h ^= c; h *= 1099511628211UL; }
        return h;
    }
}
