using System.Text;
using Ppl.Inference.Distributed;
using Ppl.Inference.Estimators;
using Ppl.Inference.Optimizers;
using Ppl.Runtime.Models;
using Ppl.Runtime.Params;
using Ppl.Runtime.Random;

namespace Ppl.Inference.Fitting;

/// <summary>
/// Saving a fit mid-way and resuming it so that it continues with exactly the numbers of an uninterrupted run. The
/// parameters go to <c>PATH</c> through <see cref="ParamStoreFile"/> (either of its formats); everything else a step
/// depends on goes beside them to <c>PATH.fitstate</c>: the step and skip counters, the random stream
/// (<see cref="Rng.ExportState"/>), the optimizer's moments and per-parameter step counts by name (numpyro once reset
/// the counter on resume, which restarts Adam's bias correction), and the convergence windows.
/// Binary, little-endian: "PPLFITST", int32 version, int32 step, skipped, non-finite run and annealing start, the convergence reason, the 37 generator words,
/// the optimizer's type name, an int32 count of parameter states each (name, int32 t, int32 slots, int32 size, floats),
/// an int32 count of monitor doubles and the doubles, the score-function sites' EMA baselines of
/// <see cref="Elbo.TraceElbo"/> (an int32 count, each: site name, int32 steps, bool pooled, int32 rank and the shape,
/// int32 length and the floats; without them a resumed fit of a model with discrete latents would restart its
/// baselines and drift from the uninterrupted run), the running sums of <see cref="IterateAverage"/> (int32 steps
/// averaged, an int32 count of parameters, each: name, int32 length and the doubles), the <see cref="ParameterHash"/> of the parameters saved with it
/// (uint64; the two files are renamed into place one after the other, so a process killed between the renames leaves
/// a pair from different steps, which this catches), then "END!". Version 1 (no baselines), 2 (no hash) and 3 (no
/// average: from before averaging, so none had begun) files still load.
/// </summary>
public static class FitCheckpoint
{
    const int Version = 4;
    static ReadOnlySpan<byte> Magic => "PPLFITST"u8;
    static ReadOnlySpan<byte> End => "END!"u8;

    /// <summary>The state file beside a parameter file.</summary>
    public static string StatePath(string paramsPath) => paramsPath + ".fitstate";

    /// <summary>Saves <paramref name="svi"/>'s parameters to <paramref name="paramsPath"/> and its state beside them.</summary>
    public static void Save(Svi svi, string paramsPath)
    {
        ParamStoreFile.Save(svi.Store, paramsPath);
        var full = Path.GetFullPath(StatePath(paramsPath));
        var tmp = full + $".{Environment.ProcessId}.tmp";
        using (var w = new BinaryWriter(File.Create(tmp), Encoding.UTF8))
        {
            w.Write(Magic);
            w.Write(Version);
            w.Write(svi.Step);
            w.Write(svi.Skipped);
            w.Write(svi.NonFiniteRun);
            w.Write(svi.AnnealFrom);
            w.Write(svi.ConvergedBecause ?? "");
            foreach (ulong word in svi.Rng.ExportState()) w.Write(word);
            w.Write(svi.Optimizer.GetType().Name);
            var states = svi.Optimizer.Export();
            w.Write(states.Count);
            foreach (var (name, s) in states)
            {
                w.Write(name);
                w.Write(s.T);
                w.Write(s.Slots.Length);
                w.Write(s.Slots.Length == 0 ? 0 : s.Slots[0].Length);
                foreach (var slot in s.Slots) foreach (float f in slot) w.Write(f);
            }
            var monitor = svi.Monitor.Export();
            w.Write(monitor.Length);
            foreach (double d in monitor) w.Write(d);
            var baselines = svi.Elbo.ExportBaselines();
            w.Write(baselines.Count);
            foreach (var (site, b) in baselines.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            {
                w.Write(site);
                w.Write(b.Steps);
                w.Write(b.Pooled);
                w.Write(b.Shape.Length);
                foreach (int d in b.Shape) w.Write(d);
                w.Write(b.Average.Length);
                foreach (float f in b.Average) w.Write(f);
            }
            var (averaged, sums) = svi.Average.Export();
            w.Write(averaged);
            w.Write(sums.Count);
            foreach (var (name, sum) in sums)
            {
                w.Write(name);
                w.Write(sum.Length);
                foreach (double d in sum) w.Write(d);
            }
            w.Write(ParameterHash.Of(svi.Store));
            w.Write(End);
        }
        File.Move(tmp, full, overwrite: true);
    }

    /// <summary>
    /// A fit of <paramref name="guide"/> to <paramref name="model"/> in the state <see cref="Save"/> left it; call
    /// <see cref="Svi.Fit(int?)"/> to continue. <paramref name="options"/> must be the saved fit's (same optimizer
    /// family, seed-independent: the stream comes from the file).
    /// </summary>
    /// <exception cref="InvalidDataException">A missing, corrupt or mismatched state file, named in the message.</exception>
    public static Svi Resume(IModel model, IModel guide, string paramsPath, SviOptions? options = null)
    {
        var store = new ParamStore((options ?? new SviOptions()).Seed);
        ParamStoreFile.Load(store, paramsPath);
        var svi = new Svi(model, guide, options, store);
        var path = StatePath(paramsPath);
        try
        {
            using var r = new BinaryReader(File.OpenRead(path), Encoding.UTF8);
            if (!r.ReadBytes(Magic.Length).AsSpan().SequenceEqual(Magic)) throw Bad(path, "not a fit state file");
            int version = r.ReadInt32();
            if (version is < 1 or > Version) throw Bad(path, "unsupported version");
            svi.Step = r.ReadInt32();
            svi.Skipped = r.ReadInt32();
            svi.NonFiniteRun = r.ReadInt32();
            svi.AnnealFrom = r.ReadInt32();
            svi.ConvergedBecause = r.ReadString() is { Length: > 0 } because ? because : null;
            var words = new ulong[Rng.StateWords];
            for (int i = 0; i < words.Length; i++) words[i] = r.ReadUInt64();
            svi.Rng.ImportState(words);
            string optimizer = r.ReadString();
            if (optimizer != svi.Optimizer.GetType().Name)
                throw Bad(path, $"saved with optimizer {optimizer}, resumed with {svi.Optimizer.GetType().Name}");
            int count = r.ReadInt32();
            var states = new Dictionary<string, Optimizer.State>();
            for (int i = 0; i < count; i++)
            {
                string name = r.ReadString();
                int t = r.ReadInt32(), slots = r.ReadInt32(), size = r.ReadInt32();
                var s = new Optimizer.State(slots, size) { T = t };
                foreach (var slot in s.Slots) for (int k = 0; k < size; k++) slot[k] = r.ReadSingle();
                states[name] = s;
            }
            svi.Optimizer.Import(states);
            var monitor = new double[r.ReadInt32()];
            for (int i = 0; i < monitor.Length; i++) monitor[i] = r.ReadDouble();
            svi.Monitor.Import(monitor);
            if (version >= 2) svi.Elbo.ImportBaselines(ReadBaselines(r));
            if (version >= 4) ReadAverage(r, svi);
            if (version >= 3 && r.ReadUInt64() != ParameterHash.Of(ParamStoreFile.Read(paramsPath)))
                throw Bad(path, $"it was not saved with the parameters in {paramsPath} (a checkpoint write was cut short between its two files); resume from an earlier copy or start again");
            if (!r.ReadBytes(End.Length).AsSpan().SequenceEqual(End)) throw Bad(path, "missing end marker");
        }
        catch (Exception e) when (e is EndOfStreamException or IOException or ArgumentException or OverflowException && e is not InvalidDataException)
        {
            throw Bad(path, e.Message);
        }
        return svi;
    }

    static void ReadAverage(BinaryReader r, Svi svi)
    {
        int count = r.ReadInt32();
        var sums = new (string, double[])[r.ReadInt32()];
        for (int i = 0; i < sums.Length; i++)
        {
            string name = r.ReadString();
            var sum = new double[r.ReadInt32()];
            for (int k = 0; k < sum.Length; k++) sum[k] = r.ReadDouble();
            sums[i] = (name, sum);
        }
        svi.Average.Import(count, sums);
    }

    static Dictionary<string, EmaBaseline.State> ReadBaselines(BinaryReader r)
    {
        int count = r.ReadInt32();
        var baselines = new Dictionary<string, EmaBaseline.State>(count);
        for (int i = 0; i < count; i++)
        {
            string site = r.ReadString();
            int steps = r.ReadInt32();
            bool pooled = r.ReadBoolean();
            var shape = new int[r.ReadInt32()];
            for (int k = 0; k < shape.Length; k++) shape[k] = r.ReadInt32();
            var average = new float[r.ReadInt32()];
            for (int k = 0; k < average.Length; k++) average[k] = r.ReadSingle();
            baselines[site] = new EmaBaseline.State(average, shape, steps, pooled);
        }
        return baselines;
    }

    static InvalidDataException Bad(string path, string why) => new($"{path}: {why}");
}
