using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Distributions.Constraints;
using Ppl.Runtime.Sites;
using Ppl.Runtime.Tensors;

namespace Ppl.Runtime.Params;

/// <summary>
/// Saving and loading a <see cref="ParamStore"/>, bit-exactly, in two formats:
/// <list type="bullet">
/// <item>JSON (<c>params.json</c>, readable, for small stores):
/// <c>{"format": "ppl-params", "version": 1, "parameters": {"NAME": {"constraint": "positive", "shape": [2],
/// "value": [...], "unconstrained": [...]}, ...}}</c> — <c>value</c> is what the model sees; <c>unconstrained</c>,
/// the optimizer's coordinates that loading restores, is written only when the two differ (a constrained
/// parameter). Floats are written with the shortest round-trip form ("R"), NaN and ±∞ as the strings
/// "NaN", "Infinity", "-Infinity".</item>
/// <item>Binary (any other extension, for nets with millions of weights): the magic "PPLPARAM", a uint32 version
/// and count, then per parameter its name and constraint (length-prefixed UTF-8), an int32 rank, int32 dimensions
/// and the raw float32 values, all little-endian, then the marker "END!".</item>
/// </list>
/// Both are written to a temporary file in the target directory and renamed over the target, so a crash mid-write
/// never leaves a truncated file where a good one was.
/// </summary>
public static class ParamStoreFile
{
    /// <summary>One saved parameter: its unconstrained value and its constraint's name.</summary>
    public sealed record Saved(string Name, string Constraint, Tensor Unconstrained);

    const string FormatName = "ppl-params";
    const int Version = 1;
    static ReadOnlySpan<byte> Magic => "PPLPARAM"u8;
    static ReadOnlySpan<byte> EndMarker => "END!"u8;

    /// <summary>Saves as JSON when <paramref name="path"/> ends in <c>.json</c>, in the binary format otherwise.</summary>
    public static void Save(ParamStore store, string path)
    {
        if (path.EndsWith(".json", StringComparison.OrdinalIgnoreCase)) SaveJson(store, path);
        else SaveBinary(store, path);
    }

    /// <summary>Reads a file of either format (told apart by its first bytes) into <paramref name="store"/> (<see cref="ParamStore.Restore"/>).</summary>
    public static void Load(ParamStore store, string path)
    {
        foreach (var p in Read(path)) store.Restore(p.Name, p.Unconstrained, p.Constraint);
    }

    /// <summary>The parameters of a file of either format, in file order.</summary>
    public static IReadOnlyList<Saved> Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        return bytes.AsSpan().StartsWith(Magic) ? ReadBinary(bytes, path) : ReadJson(bytes, path);
    }

    /// <summary>Writes the JSON format.</summary>
    public static void SaveJson(ParamStore store, string path) => WriteAtomically(path, stream =>
    {
        using var w = new StreamWriter(stream, new UTF8Encoding(false), 1 << 16, leaveOpen: true);
        w.Write("{\n  \"format\": \"" + FormatName + "\",\n  \"version\": " + Version + ",\n  \"parameters\": {");
        bool first = true;
        foreach (var e in store.Entries)
        {
            w.Write(first ? "\n    " : ",\n    ");
            first = false;
            var raw = e.Unconstrained.Value;
            w.Write($"\"{Escape(e.Name)}\": {{\"constraint\": \"{Escape(e.Constraint.Name)}\", \"shape\": [{string.Join(", ", raw.Shape)}], \"value\": ");
            bool identity = ReferenceEquals(e.Constraint, Constraint.Real);
            WriteFloats(w, identity ? raw.Span : e.Transform.Forward(Var.Const(raw)).Value.Span);
            if (!identity)
            {
                w.Write(", \"unconstrained\": ");
                WriteFloats(w, raw.Span);
            }
            w.Write('}');
        }
        w.Write("\n  }\n}\n");
    });

    /// <summary>Writes the binary format.</summary>
    public static void SaveBinary(ParamStore store, string path) => WriteAtomically(path, stream =>
    {
        using var w = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
        w.Write(Magic);
        w.Write((uint)Version);
        w.Write((uint)store.Count);
        foreach (var e in store.Entries)
        {
            var t = e.Unconstrained.Value;
            w.Write(e.Name);
            w.Write(e.Constraint.Name);
            w.Write(t.Rank);
            foreach (int d in t.Shape) w.Write(d);
            if (BitConverter.IsLittleEndian) w.Write(MemoryMarshal.AsBytes(t.Span));
            else foreach (float f in t.Span) w.Write(f);
        }
        w.Write(EndMarker);
    });

    static void WriteFloats(TextWriter w, ReadOnlySpan<float> values)
    {
        w.Write('[');
        for (int i = 0; i < values.Length; i++)
        {
            if (i > 0) w.Write(", ");
            float f = values[i];
            if (float.IsNaN(f)) w.Write("\"NaN\"");
            else if (float.IsPositiveInfinity(f)) w.Write("\"Infinity\"");
            else if (float.IsNegativeInfinity(f)) w.Write("\"-Infinity\"");
            else w.Write(f.ToString("R", CultureInfo.InvariantCulture));
        }
        w.Write(']');
    }

    static string Escape(string s) => JsonEncodedText.Encode(s).ToString();

    static List<Saved> ReadJson(byte[] bytes, string path)
    {
        try
        {
            using var doc = JsonDocument.Parse(bytes);
            var root = doc.RootElement;
            if (!root.TryGetProperty("format", out var fmt) || fmt.GetString() != FormatName)
                throw Bad(path, $"not a parameter file (no \"format\": \"{FormatName}\")");
            if (root.GetProperty("version").GetInt32() != Version) throw Bad(path, "unsupported version");
            var result = new List<Saved>();
            foreach (var p in root.GetProperty("parameters").EnumerateObject())
            {
                var shape = p.Value.GetProperty("shape").EnumerateArray().Select(d => d.GetInt32()).ToArray();
                var values = p.Value.TryGetProperty("unconstrained", out var u) ? u : p.Value.GetProperty("value");
                var data = values.EnumerateArray().Select(ParseFloat).ToArray();
                if (data.Length != Shapes.Size(shape)) throw Bad(path, $"parameter '{p.Name}' has {data.Length} values for shape {Shapes.Format(shape)}");
                result.Add(new Saved(p.Name, p.Value.GetProperty("constraint").GetString()!, new Tensor(data, shape)));
            }
            return result;
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw Bad(path, e.Message);
        }
    }

    static float ParseFloat(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Number => float.Parse(e.GetRawText(), NumberStyles.Float, CultureInfo.InvariantCulture),
        JsonValueKind.String => e.GetString() switch
        {
            "NaN" => float.NaN,
            "Infinity" => float.PositiveInfinity,
            "-Infinity" => float.NegativeInfinity,
            var s => throw new FormatException($"'{s}' is not a number"),
        },
        _ => throw new FormatException($"expected a number, found {e.ValueKind}"),
    };

    static List<Saved> ReadBinary(byte[] bytes, string path)
    {
        try
        {
            using var r = new BinaryReader(new MemoryStream(bytes), Encoding.UTF8);
            r.ReadBytes(Magic.Length);
            if (r.ReadUInt32() != Version) throw Bad(path, "unsupported version");
            uint count = r.ReadUInt32();
            var result = new List<Saved>();
            for (uint i = 0; i < count; i++)
            {
                string name = r.ReadString(), constraint = r.ReadString();
                int rank = r.ReadInt32();
                if (rank < 0 || rank > 32) throw Bad(path, $"parameter '{name}' has rank {rank}");
                var shape = new int[rank];
                for (int d = 0; d < rank; d++) shape[d] = r.ReadInt32();
                int size = Shapes.Size(shape);
                var raw = r.ReadBytes(checked(size * sizeof(float)));
                if (raw.Length != size * sizeof(float)) throw Bad(path, $"file ends inside parameter '{name}'");
                var data = new float[size];
                if (BitConverter.IsLittleEndian) MemoryMarshal.Cast<byte, float>(raw).CopyTo(data);
                else for (int k = 0; k < size; k++) data[k] = BinaryPrimitives.ReadSingleLittleEndian(raw.AsSpan(k * sizeof(float)));
                result.Add(new Saved(name, constraint, new Tensor(data, shape)));
            }
            if (!r.ReadBytes(EndMarker.Length).AsSpan().SequenceEqual(EndMarker) || r.BaseStream.Position != bytes.Length)
                throw Bad(path, "missing end marker or trailing bytes");
            return result;
        }
        catch (Exception e) when (e is EndOfStreamException or ArgumentException or OverflowException)
        {
            throw Bad(path, "truncated or corrupt: " + e.Message);
        }
    }

    static InvalidDataException Bad(string path, string why) => new($"{path}: {why}");

    static void WriteAtomically(string path, Action<Stream> write)
    {
        var full = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(dir);
        var tmp = Path.Combine(dir, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var fs = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                write(fs);
                fs.Flush(flushToDisk: true);
            }
            File.Move(tmp, full, overwrite: true);
        }
        catch
        {
            File.Delete(tmp);
            throw;
        }
    }
}
