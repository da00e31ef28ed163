using System.Text.Json;
using Ppl.Runtime.Tensors;

namespace Ppl.Runtime.Data;

/// <summary>
/// Reads CmdStan-style JSON data: one object whose members are numbers or (nested, rectangular) arrays of numbers.
/// Integers stay integers; <c>"inf"</c>, <c>"-inf"</c>, <c>"NaN"</c> (and the "Infinity" spellings) are accepted as
/// CmdStan does.
/// </summary>
public static class JsonDataReader
{
    /// <summary>Adds every member of the file (or only <paramref name="only"/>) to <paramref name="data"/>.</summary>
    public static void ReadInto(string path, DataSet data, string? only = null)
    {
        byte[] bytes;
        try { bytes = File.ReadAllBytes(path); }
        catch (IOException e) { throw new DataFileException(path, 0, 0, e.Message); }
        ReadInto(bytes, path, data, only);
    }

    /// <summary>Parses JSON bytes; <paramref name="path"/> is used in messages.</summary>
    public static void ReadInto(byte[] json, string path, DataSet data, string? only = null)
    {
        JsonDocument doc;
        try { doc = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true }); }
        catch (JsonException e) { throw new DataFileException(path, (int)(e.LineNumber ?? -1) + 1, (int)(e.BytePositionInLine ?? -1) + 1, $"invalid JSON: {FirstSentence(e.Message)}"); }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
                throw new DataFileException(path, 1, 1, "expected a JSON object mapping data names to values");
            bool found = only is null;
            foreach (var member in doc.RootElement.EnumerateObject())
            {
                if (only is not null && member.Name != only) continue;
                found = true;
                var shape = new List<int>();
                ShapeOf(member.Value, shape, path, member.Name);
                var values = new List<float>();
                bool allInts = true;
                Flatten(member.Value, shape.ToArray(), 0, values, ref allInts, path, member.Name);
                data.Add(member.Name, new Tensor(values.ToArray(), shape.ToArray()), allInts, path);
            }
            if (!found) throw new DataFileException(path, 0, 0, $"has no item named '{only}'");
        }
    }

    static void ShapeOf(JsonElement e, List<int> shape, string path, string name)
    {
        while (e.ValueKind == JsonValueKind.Array)
        {
            int n = e.GetArrayLength();
            shape.Add(n);
            if (n == 0) return;
            e = e[0];
        }
    }

    static void Flatten(JsonElement e, int[] shape, int depth, List<float> values, ref bool allInts, string path, string name)
    {
        if (depth < shape.Length)
        {
            if (e.ValueKind != JsonValueKind.Array || e.GetArrayLength() != shape[depth])
                throw new DataFileException(path, 0, 0, $"data '{name}' is not a rectangular array (expected {shape[depth]} entries at depth {depth + 1})");
            foreach (var c in e.EnumerateArray()) Flatten(c, shape, depth + 1, values, ref allInts, path, name);
            return;
        }
        switch (e.ValueKind)
        {
            case JsonValueKind.Number:
                if (e.TryGetInt64(out long l)) values.Add(l);
                else { allInts = false; values.Add((float)e.GetDouble()); }
                break;
            case JsonValueKind.String:
                allInts = false;
                values.Add(e.GetString() switch
                {
                    "inf" or "Inf" or "Infinity" or "+inf" => float.PositiveInfinity,
                    "-inf" or "-Inf" or "-Infinity" => float.NegativeInfinity,
                    "NaN" or "nan" => float.NaN,
                    var s => throw new DataFileException(path, 0, 0, $"data '{name}' has a non-numeric string \"{s}\""),
                });
                break;
            case JsonValueKind.True: values.Add(1); break;
            case JsonValueKind.False: values.Add(0); break;
            default:
                throw new DataFileException(path, 0, 0, $"data '{name}' has a {e.ValueKind.ToString().ToLowerInvariant()} where a number was expected");
        }
    }

    static string FirstSentence(string s)
    {
        int i = s.IndexOf(". ", StringComparison.Ordinal);
        return i > 0 ? s[..i] : s;
    }
}
