using System.Buffers;
using System.Numerics;
using Ppl.Runtime.Params;
using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Distributions;
using Ppl.Runtime.Distributions.Constraints;
using Ppl.Runtime.Random;
using Ppl.Runtime.Tensors;

namespace Ppl.Runtime.Sites;

/// <summary>
/// The site API that generated model code calls, and the only state a model run sees: the handler stack, the
/// random stream, the tape for this step and the parameter store. Passed explicitly to
/// <see cref="Models.IModel.Run"/> — no ambient stack — so the handlers, plates and site names of one run never leak
/// into another. The parameter store is shared state, though: reading a parameter attaches it to this run's tape
/// (a parameter is on one tape at a time) and backward passes add into its one gradient buffer. So one run at a time
/// per parameter store, and a model and its guide share the step's tape; many particles run as one batch on that
/// tape, not as runs on separate threads. This is not checked: a guard that refuses a parameter's second tape would
/// also refuse the legitimate one-tape-per-evaluation pattern of gradient checks.
/// </summary>
public sealed class ModelContext
{
    readonly List<Handler> handlers = new();   // index 0 is the outermost
    readonly List<PlateFrame> plates = new();
    readonly HashSet<string> names = new(16);   // sized for a typical run, so it seldom grows (rehashing) mid-run
    PlateFrame? shardedPlate;     // the open sharded plate, if any
    ShardStreams? streams;        // the shared stream's and this rank's states when it opened

    /// <summary>A context for one run.</summary>
    /// <param name="rng">random stream for draws and subsamples</param>
    /// <param name="tape">the step's tape (parameters are attached to it); null for a run without gradients</param>
    /// <param name="parameters">learnable parameters, created on first use</param>
    public ModelContext(Rng rng, Tape? tape = null, ParamStore? parameters = null)
    {
        Rng = rng;
        Tape = tape;
        Parameters = parameters ?? new ParamStore();
    }

    /// <summary>The random stream of this run.</summary>
    public Rng Rng { get; }

    /// <summary>The step's tape, or null when no gradients are wanted.</summary>
    public Tape? Tape { get; }

    /// <summary>The learnable parameters.</summary>
    public ParamStore Parameters { get; }

    /// <summary>In a data-parallel fit, this process's part of every subsampled plate (null: one process).</summary>
    public DataShard? Shard { get; init; }

    /// <summary>The enclosing plates, outermost first.</summary>
    public IReadOnlyList<PlateFrame> Plates => plates;

    /// <summary>Pushes a handler (it becomes the innermost). Returns this context for chaining.</summary>
    public ModelContext With(Handler handler)
    {
        handlers.Add(handler);
        return this;
    }

    /// <summary>A latent draw (or, if a handler conditions it, an observation). <c>NAME ~ DIST</c>.</summary>
    public Var Sample(string name, Distribution distribution, SiteLocation at) => Sample(name, distribution, at, use: null);

    static readonly Func<ModelContext, Site, Var> drawOrRSample = static (ctx, s) =>
    {
        var d = s.Distribution!;
        if (d.HasRSample)
        {
            s.IsReparameterized = true;
            return d.RSample(ctx.Rng);
        }
        return ctx.Constant(d.Sample(ctx.Rng));
    };

    /// <summary><c>NAME: TYPE ~ DIST</c>: the distribution broadcast to the stated shape, then drawn.</summary>
    public Var Sample(string name, Distribution distribution, int[] shape, SiteLocation at) =>
        Sample(name, Expanded(name, distribution, shape, at), at);

    /// <summary>The distribution broadcast to the site's stated shape.</summary>
    Distribution Expanded(string name, Distribution distribution, int[] shape, SiteLocation at)
    {
        var batch = shape.Length >= distribution.EventShape.Length
            ? shape[..(shape.Length - distribution.EventShape.Length)]
            : throw new ShapeException($"{at}: site '{name}' has shape {Shapes.Format(shape)}, smaller than its distribution's event shape {Shapes.Format(distribution.EventShape)}");
        if (!Shapes.Equal(batch, distribution.BatchShape))
        {
            if (!Shapes.BroadcastsTo(distribution.BatchShape, batch))
                throw new ShapeException($"{at}: site '{name}' is declared with shape {Shapes.Format(shape)} but its distribution has shape {Shapes.Format(distribution.Shape)}");
            distribution = DistributionParams.ExpandOn(distribution, batch, Tape);
        }
        return distribution;
    }

    /// <summary>
    /// <see cref="Sample(string, Distribution, SiteLocation)"/> for a site the model uses only as
    /// <paramref name="use"/> describes (L + S·r), recorded on the site so an automatic guide can centre it.
    /// </summary>
    public Var Sample(string name, Distribution distribution, SiteLocation at, LocScaleUse? use)
    {
        var site = new Site { Name = name, Kind = SiteKind.Sample, Distribution = distribution, Location = at, Plates = plates.ToArray(), LocScale = use };
        ApplyPlateScale(site);
        return Apply(site, drawOrRSample);
    }

    /// <summary><see cref="Sample(string, Distribution, int[], SiteLocation)"/> with the hint <paramref name="use"/>.</summary>
    public Var Sample(string name, Distribution distribution, int[] shape, SiteLocation at, LocScaleUse use) =>
        Sample(name, Expanded(name, distribution, shape, at), at, use);

    /// <summary>An observation of data: <c>y ~ DIST</c> with y data.</summary>
    public void Observe(string name, Distribution distribution, Var value, SiteLocation at)
    {
        var site = new Site { Name = name, Kind = SiteKind.Sample, Distribution = distribution, Value = value, IsObserved = true, Location = at, Plates = plates.ToArray() };
        ApplyPlateScale(site);
        Apply(site, static (_, s) => s.Value!);
    }

    /// <summary>
    /// <c>y ~ DIST</c> with y data inside plates: the value and the distribution broadcast to one shape whose leading
    /// axes are <paramref name="plateSizes"/> (the enclosing plates' sizes, outermost first), then observed.
    /// </summary>
    public void Observe(string name, Distribution distribution, Var value, int[] plateSizes, SiteLocation at)
    {
        var full = Shapes.Broadcast(distribution.Shape, value.Shape);
        if (full.Length < plateSizes.Length) full = [.. new int[plateSizes.Length - full.Length], .. full];
        for (int i = 0; i < plateSizes.Length; i++) full[i] = plateSizes[i];
        for (int i = plateSizes.Length; i < full.Length; i++) if (full[i] == 0) full[i] = 1;
        int events = distribution.EventShape.Length;
        if (!Shapes.Equal(distribution.Shape, full)) distribution = DistributionParams.ExpandOn(distribution, full[..(full.Length - events)], Tape);
        if (!Shapes.Equal(value.Shape, full)) value = Ops.BroadcastTo(value, full);
        Observe(name, distribution, value, at);
    }

    /// <summary>
    /// A learnable point parameter, created from <paramref name="init"/> (a constrained value) on first use; kept on
    /// the real line and mapped through the bijection for <paramref name="constraint"/>.
    /// </summary>
    public Var Param(string name, Func<Tensor> init, Constraint constraint, SiteLocation at)
    {
        var value = Parameters.Get(name, init, constraint, Tape);
        var site = new Site { Name = name, Kind = SiteKind.Param, Value = value, Location = at, Plates = plates.ToArray() };
        return Apply(site, static (_, s) => s.Value!);
    }

    /// <summary>
    /// A neural network (or normalizing flow) whose weights are parameters named <c>NAME.…</c>; created with
    /// <paramref name="create"/> on first use and attached to this step's tape.
    /// </summary>
    public T Net<T>(string name, Func<Rng, T> create, SiteLocation at) where T : class, IParameterized
    {
        _ = at;
        return Parameters.GetModule(name, create, Tape);
    }

    /// <summary>
    /// Opens <c>plate NAME in SIZE [subsample M]</c>. Dispose it at the end of the block. The indices are a site
    /// of their own, so a guide's minibatch is replayed in the model.
    /// </summary>
    public Plate Plate(string name, int size, int? subsample, SiteLocation at)
    {
        if (subsample is { } m && (m <= 0 || m > size))
            throw new ArgumentOutOfRangeException(nameof(subsample), $"{at}: plate '{name}' subsample {m} must be in 1..{size}");
        var site = new Site { Name = name, Kind = SiteKind.Plate, Location = at, Plates = plates.ToArray() };
        var value = Apply(site, (_, _) =>
        {
            var idx = subsample is { } k && k < size ? SubsampleIndices(size, k) : IntTensor.Range(size);
            return Constant(idx.ToFloat());
        });
        var indices = IntTensor.FromFloat(value.Value);
        var frame = Shard is { Size: > 1 } shard && indices.Size < size && shardedPlate is null
            ? OpenShard(name, size, indices, shard, at)
            : new PlateFrame(name, size, indices, plates.Count);
        plates.Add(frame);
        return new Plate(this, frame);
    }

    /// <summary>
    /// This process's contiguous slice of the global minibatch (the plate site keeps the global indices, so the model
    /// replays the guide's minibatch and slices it the same way). Only the outermost subsampled plate is sharded, and
    /// only over two or more processes (one process is the plain run): an inner one split too would drop the pairs
    /// whose two indices fall to different processes. Draws inside the slice come from a stream of this rank's own
    /// (<see cref="Rng.Fork"/> of the shared state S at the opening). When the plate closes, the shared stream resumes
    /// at S if nothing was drawn inside — exactly where one process would be, so a model whose latents are all global
    /// runs on every rank with the draws and minibatches of the one-process fit — and otherwise at a fork of S that
    /// every rank computes alike (one process would be wherever its local draws left it, which no rank can know),
    /// so that a second sharded plate of the same step (the model's after the guide's) does not reuse the draws.
    /// </summary>
    PlateFrame OpenShard(string name, int size, IntTensor global, DataShard shard, SiteLocation at)
    {
        int m = global.Size;
        if (m < shard.Size)
            throw new ArgumentOutOfRangeException(nameof(shard), $"{at}: plate '{name}' subsample {m} is smaller than the {shard.Size} processes that share it; raise the subsample or run fewer processes");
        var (start, end) = shard.Slice(m);
        var slice = global.Data[start..end];
        streams = ShardStreams.Rent();
        streams.Shared.CopyStateFrom(Rng);
        Rng.ForkInPlace((ulong)shard.Rank);
        streams.Rank.CopyStateFrom(Rng);
        return shardedPlate = new PlateFrame(name, size, new IntTensor(slice, slice.Length), plates.Count) { Shards = shard.Size, GlobalSubsampleSize = m };
    }

    internal void PopPlate(PlateFrame frame)
    {
        if (plates.Count == 0 || !ReferenceEquals(plates[^1], frame))
            throw new InvalidOperationException($"plate '{frame.Name}' closed out of order");
        plates.RemoveAt(plates.Count - 1);
        if (ReferenceEquals(frame, shardedPlate))
        {
            var s = streams!;
            bool drewInside = !Rng.SameState(s.Rank);
            Rng.CopyStateFrom(s.Shared);
            if (drewInside) Rng.ForkInPlace(ulong.MaxValue);
            ShardStreams.Return(s);
            (shardedPlate, streams) = (null, null);
        }
    }

    /// <summary><c>let NAME = EXPR</c>: records a computed value so summaries can report it.</summary>
    public Var Deterministic(string name, Var value, SiteLocation at)
    {
        var site = new Site { Name = name, Kind = SiteKind.Deterministic, Value = value, Location = at, Plates = plates.ToArray() };
        return Apply(site, static (_, s) => s.Value!);
    }

    /// <summary><c>factor EXPR</c>: adds EXPR (summed) to the log density.</summary>
    public void Factor(string name, Var logDensity, SiteLocation at)
    {
        var site = new Site { Name = name, Kind = SiteKind.Factor, Value = logDensity, Location = at, Plates = plates.ToArray() };
        ApplyPlateScale(site);
        Apply(site, static (_, s) => s.Value!);
    }

    /// <summary>A constant pooled on this run's tape when there is one.</summary>
    public Var Constant(Tensor t) => Tape is null ? Var.Const(t) : Tape.Const(t);

    /// <summary>
    /// <c>zeros(...)</c> and <c>ones(...)</c>: a constant filled with <paramref name="value"/>, its buffer rented from
    /// this run's tape when there is one. Everything computed from it then stays on the tape too, so a prior such as
    /// <c>Normal(zeros(20), ones(20))</c> broadcast to a minibatch reuses the same buffers every step instead of
    /// allocating [batch, 20] tensors.
    /// </summary>
    public Var Fill(float value, int[] shape)
    {
        if (Tape is null) return Var.Const(Tensor.Full(value, shape));
        var t = Tape.Alloc(shape);
        t.Span.Fill(value);
        return Tape.Const(t);
    }

    void ApplyPlateScale(Site site)
    {
        float scale = 1f;
        foreach (var p in plates) scale *= p.Scale;
        site.Scale = scale;
    }

    IntTensor SubsampleIndices(int size, int m)
    {
        // Partial Fisher–Yates: the first m of a random permutation, sorted for cache-friendly gathers. The permutation
        // is kept sparse — only the positions a swap moved, in an open-addressing map on pooled arrays — so a minibatch
        // of 128 from 60,000 images costs O(m) and allocates only the result, not an int[size] (nor a dictionary) per
        // step; the draws and the result are those of the dense shuffle.
        int capacity = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(4 * m, 16));
        var keys = ArrayPool<int>.Shared.Rent(capacity);
        var values = ArrayPool<int>.Shared.Rent(capacity);
        try
        {
            keys.AsSpan(0, capacity).Fill(-1);
            var idx = new int[m];
            for (int i = 0; i < m; i++)
            {
                int j = i + Rng.NextInt(size - i);
                int atI = Moved(keys, capacity, i, out int si) ? values[si] : i;
                idx[i] = Moved(keys, capacity, j, out int sj) ? values[sj] : j;
                keys[sj] = j;
                values[sj] = atI;
            }
            Array.Sort(idx);
            return new IntTensor(idx, m);
        }
        finally
        {
            ArrayPool<int>.Shared.Return(keys);
            ArrayPool<int>.Shared.Return(values);
        }
    }

    /// <summary>Finds <paramref name="key"/>'s slot by linear probing (at most 2m keys in ≥ 4m slots): true if present, else the empty slot for it.</summary>
    static bool Moved(int[] keys, int capacity, int key, out int slot)
    {
        int mask = capacity - 1;
        slot = (int)((uint)key * 2654435769u >> (32 - BitOperations.Log2((uint)capacity)));   // Fibonacci hashing: the product's top bits
        while (true)
        {
            if (keys[slot] == key) return true;
            if (keys[slot] < 0) return false;
            slot = (slot + 1) & mask;
        }
    }

    Var Apply(Site site, Func<ModelContext, Site, Var> defaultAction)
    {
        if (site.Kind != SiteKind.Plate && !names.Add(site.Name))
            throw new DuplicateSiteException($"{site.Location}: site '{site.Name}' is declared twice in one run");
        int seen = handlers.Count;
        for (int i = handlers.Count - 1; i >= 0; i--)
        {
            handlers[i].Process(site);
            if (handlers[i].Hides(site)) { seen = handlers.Count - i; break; }
        }
        site.Value ??= defaultAction(this, site);
        for (int i = handlers.Count - seen; i < handlers.Count; i++) handlers[i].PostProcess(site);
        return site.Value;
    }
}

/// <summary>
/// The two generator states a sharded plate keeps while it is open, reused per thread (a plate opened every step
/// allocated five state arrays and two generators); a second plate open at once on the thread gets its own pair.
/// </summary>
sealed class ShardStreams
{
    [ThreadStatic] static ShardStreams? spare;

    public readonly Rng Shared = new(0), Rank = new(0);

    public static ShardStreams Rent()
    {
        var s = spare ?? new ShardStreams();
        spare = null;
        return s;
    }

    public static void Return(ShardStreams s) => spare = s;
}

/// <summary>A site name used twice in one run of a model.</summary>
public sealed class DuplicateSiteException(string message) : Exception(message);
