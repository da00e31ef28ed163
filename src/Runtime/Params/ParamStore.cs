using System.Numerics.Tensors;
using Ppl.Runtime.Autodiff;
using Tensor = Ppl.Runtime.Tensors.Tensor;
using Ppl.Runtime.Distributions.Constraints;
using Ppl.Runtime.Nn;
using Ppl.Runtime.Random;
using Ppl.Runtime.Tensors;
using Ppl.Runtime.Transforms;

namespace Ppl.Runtime.Params;

/// <summary>
/// Every learnable parameter of a model and its guide, by name. A constrained parameter is stored unconstrained
/// (on the real line) and mapped through the bijection registered for its constraint each time it is read, so an
/// optimizer can move it freely. Nets register their weights here under <c>NET.NAME</c>.
/// <para>
/// A lane (<see cref="NewLane"/>) is a store for one of several runs that go on at once on different threads (the halves
/// of a split minibatch): its parameters are leaves of its own, each reading the parent's value tensor but keeping its
/// own gradient, so each run attaches its own leaves to its own tape and its backward pass adds into its own buffers.
/// The parent creates every parameter (under a lock, the first time any lane asks), so initialisation and creation
/// order are the parent's; the lanes' gradients are combined into the parent's with <see cref="SetGradToMeanOf"/>.
/// </para>
/// </summary>
public sealed class ParamStore
{
    /// <summary>One stored parameter.</summary>
    public sealed record Entry(string Name, Var Unconstrained, Constraint Constraint, Transform Transform);

    readonly Dictionary<string, Entry> entries = new();
    readonly List<Entry> order = new();
    readonly Dictionary<string, IParameterized> modules = new();
    readonly Dictionary<string, Restored> pending = new();
    readonly ulong seed;
    readonly ParamStore? parent;   // non-null for a lane

    /// <summary>A store whose nets are initialised from streams derived from <paramref name="seed"/>.</summary>
    public ParamStore(ulong seed = 0) => this.seed = seed;

    ParamStore(ParamStore parent)
    {
        seed = parent.seed;
        this.parent = parent;
    }

    /// <summary>
    /// A lane of this store: a view for one of several concurrent runs, sharing this store's parameter values (not
    /// copies: an optimizer step on this store is seen by every lane) with gradients of its own. Only the lanes may be
    /// used while the runs go on; this store must not be read or changed then.
    /// </summary>
    public ParamStore NewLane() => parent is null ? new ParamStore(this) : throw new InvalidOperationException("a lane has no lanes");

    /// <summary>Parameters in creation order.</summary>
    public IReadOnlyList<Entry> Entries => order;

    /// <summary>The unconstrained leaves, for optimizers.</summary>
    public IEnumerable<Var> Leaves => order.Select(e => e.Unconstrained);

    /// <summary>Number of parameters.</summary>
    public int Count => order.Count;

    /// <summary>Whether some net or flow (<see cref="GetModule"/>) has been created.</summary>
    public bool HasNets => modules.Count > 0;

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
        if (!entries.TryGetValue(name, out var e) && parent is not null)
        {
            Entry shared;
            lock (parent)
            {
                parent.Get(name, init, constraint, null);
                shared = parent.entries[name];
            }
            e = Add(name, Var.Parameter(shared.Unconstrained.Value, name), shared.Constraint, shared.Transform);
        }
        else if (e is null)
        {
            var transform = BijectTo.For(constraint);
            var initial = init();
            var x = TakeRestored(name, constraint) is { } saved
                ? CheckShape(name, saved, transform.InverseShape(initial.Shape))
                : transform.Inverse(Var.Const(initial)).Value.Clone();
            e = Add(name, Var.Parameter(x, name), constraint, transform);
        }
        if (tape is null) return e.Transform.Forward(Var.Const(e.Unconstrained.Value));
        tape.Attach(e.Unconstrained);
        return e.Transform.Forward(e.Unconstrained);
    }

    /// <summary>
    /// A net (or flow) by name, created on first use from a random stream derived from the store's seed and the name;
    /// weights restored from a file (<see cref="Restore"/>) replace the fresh ones.
    /// </summary>
    public T GetModule<T>(string name, Func<Rng, T> create, Tape? tape) where T : class, IParameterized
    {
        if (!modules.TryGetValue(name, out var m) && parent is not null)
        {
            IParameterized shared;
            lock (parent) shared = parent.GetModule(name, create, null);
            // The lane's own copy of the net (its leaves are what this lane's tape records), its weights made to read the
            // parent's tensors; the fresh initial values it was built with are dropped.
            m = create(new Rng(seed).Fork(StableHash(name)));
            using (var own = m.NamedParameters().GetEnumerator())
                foreach (var (pname, p) in shared.NamedParameters())
                {
                    if (!own.MoveNext() || own.Current.Name != pname)
                        throw new InvalidOperationException($"net '{name}' built twice has different parameters");
                    own.Current.Parameter.ShareValueOf(p);
                    Add($"{name}.{pname}", own.Current.Parameter, Constraint.Real, parent.entries[$"{name}.{pname}"].Transform);
                }
            modules[name] = m;
        }
        else if (m is null)
        {
            m = create(new Rng(seed).Fork(StableHash(name)));
            var named = m.NamedParameters().Select(np => ($"{name}.{np.Name}", np.Parameter)).ToArray();
            foreach (var (full, p) in named) // every restored shape is checked before the store changes
                if (pending.TryGetValue(full, out var r)) CheckShape(full, r.Value, p.Shape);
            modules[name] = m;
            foreach (var (full, p) in named)
            {
                if (TakeRestored(full, Constraint.Real) is { } saved) p.Value.CopyFrom(saved);
                Add(full, p, Constraint.Real, BijectTo.For(Constraint.Real));
            }
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
        order.Add(e);
        return e;
    }

    /// <summary>A saved unconstrained value waiting for its parameter to be created.</summary>
    sealed record Restored(Tensor Value, string Constraint);

    /// <summary>
    /// Sets a parameter's unconstrained value (as saved by <see cref="ParamStoreFile"/>): copied in place when the
    /// parameter exists, otherwise kept and used instead of the initializer when a model or guide run creates it —
    /// so a store can be loaded before the model has run. <paramref name="constraint"/> is the constraint's name,
    /// checked against the parameter's.
    /// </summary>
    public void Restore(string name, Tensor unconstrained, string constraint)
    {
        if (entries.TryGetValue(name, out var e))
        {
            if (e.Constraint.Name != constraint)
                throw new InvalidDataException($"saved parameter '{name}' is {constraint}, the model declares it {e.Constraint.Name}");
            if (!Shapes.Equal(e.Unconstrained.Shape, unconstrained.Shape))
                throw new InvalidDataException($"saved parameter '{name}' has shape {Shapes.Format(unconstrained.Shape)}, the model's has {Shapes.Format(e.Unconstrained.Shape)}");
            e.Unconstrained.Value.CopyFrom(unconstrained);
        }
        else pending[name] = new Restored(unconstrained.Clone(), constraint);
    }

    /// <summary>Names of restored values no parameter has claimed yet (for warnings about stale files).</summary>
    public IEnumerable<string> UnclaimedRestores => pending.Keys;

    static Tensor CheckShape(string name, Tensor saved, int[] expected) => Shapes.Equal(saved.Shape, expected) ? saved
        : throw new InvalidDataException($"saved parameter '{name}' has shape {Shapes.Format(saved.Shape)}, the model's has {Shapes.Format(expected)}");

    Tensor? TakeRestored(string name, Constraint constraint)
    {
        if (!pending.Remove(name, out var r)) return null;
        if (r.Constraint != constraint.Name)
            throw new InvalidDataException($"saved parameter '{name}' is {r.Constraint}, the model declares it {constraint.Name}");
        return r.Value;
    }

    /// <summary>
    /// Sets every parameter's gradient to the mean of its gradients in <paramref name="lanes"/> (lanes of this store,
    /// <see cref="NewLane"/>), summed in the lanes' order, so the result depends on the lanes, not on which thread ran
    /// which. A lane that never read a parameter counts as a zero gradient. With two lanes, (a + b)·½: one rounding.
    /// Only part <paramref name="part"/> of <paramref name="parts"/> of each gradient's elements is written, so the parts
    /// can run on different threads; every element's value is the same however the work is cut. A lane gradient marked
    /// stale (<see cref="MarkGradientsStale"/>) that no backward pass wrote since counts as zero. Returns whether every
    /// element written is finite: the fit's check that the step may be taken, made here on each thread's own part while
    /// it is in cache (a check after the mean, on one thread, read the other core's half back: 1.3 MB of a VAE's).
    /// </summary>
    public bool SetGradToMeanOf(IReadOnlyList<ParamStore> lanes, int part = 0, int parts = 1)
    {
        if (lanes.Count == 0) throw new ArgumentException("no lanes", nameof(lanes));
        float inv = 1f / lanes.Count;
        bool finite = true;
        foreach (var e in order)
        {
            var whole = e.Unconstrained.Grad!.Span;
            int start = (int)((long)whole.Length * part / parts), end = (int)((long)whole.Length * (part + 1) / parts);
            var g = whole[start..end];
            ReadOnlySpan<float> first = default;
            int present = 0;
            bool scaled = false;
            foreach (var lane in lanes)
            {
                if (!ReferenceEquals(lane.parent, this)) throw new ArgumentException("not a lane of this store", nameof(lanes));
                if (!lane.entries.TryGetValue(e.Name, out var le) || le.Unconstrained.GradStale) continue;
                var lg = le.Unconstrained.Grad!.Span[start..end];
                if (present == 0) first = lg;
                else if (present == 1 && lanes.Count == 2)
                {
                    // The usual pair in one pass, (a + b)·inv: the same two roundings as adding, then scaling; checked
                    // a chunk at a time, while it is in L1.
                    for (int c = 0; c < g.Length; c += MeanChunk)
                    {
                        int n = Math.Min(MeanChunk, g.Length - c);
                        TensorPrimitives.AddMultiply(first.Slice(c, n), lg.Slice(c, n), inv, g.Slice(c, n));
                        finite &= Kernels.AllFinite(g.Slice(c, n));
                    }
                    scaled = true;
                }
                else if (present == 1) TensorPrimitives.Add(first, lg, g);
                else Kernels.AddInPlace(g, lg);
                present++;
            }
            if (present == 0) g.Clear();
            else if (present == 1) Kernels.Scale(first, inv, g);
            else if (!scaled) Kernels.Scale(g, inv, g);
            if (!scaled) finite &= Kernels.AllFinite(g);
        }
        return finite;
    }

    /// <summary>Floats of the lanes' mean formed and checked at a time: 16 KB, half an L1 data cache.</summary>
    const int MeanChunk = 4096;

    /// <summary>
    /// Makes every parameter's gradient count as zero without writing it: the next backward pass overwrites the buffer
    /// where it would add (<see cref="Var"/>'s stale flag; a VAE's gradients are 2.6 MB, and zeroing them is a pass over
    /// memory). Whatever reads the gradients must treat one still stale as zero; only <see cref="SetGradToMeanOf"/> does,
    /// so this is for lanes.
    /// </summary>
    public void MarkGradientsStale()
    {
        foreach (var e in order) e.Unconstrained.GradStale = true;
    }

    /// <summary>Sets every parameter's gradient to zero.</summary>
    public void ZeroGrad()
    {
        foreach (var e in order) e.Unconstrained.Grad!.Span.Clear();
    }

    /// <summary>FNV-1a of the name: a stream id that does not depend on .NET's randomized string hashing.</summary>
    internal static ulong StableHash(string s)
    {
        ulong h = 14695981039346656037UL;
        foreach (char c in s) { h ^= c; h *= 1099511628211UL; }
        return h;
    }
}
