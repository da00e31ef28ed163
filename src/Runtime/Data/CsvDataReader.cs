using System.Globalization;
using Ppl.Runtime.Tensors;

namespace Ppl.Runtime.Data;

/// <summary>
/// Reads CSV with a header row: each column becomes a <c>real[N]</c> or <c>int[N]</c> item named by its header,
/// N the number of rows. Quoted headers and fields are allowed; an empty field or a non-number is an error naming
/// its line and column.
/// </summary>
public static class CsvDataReader
{
    /// <summary>Adds every column (or only <paramref name="only"/>) to <paramref name="data"/>.</summary>
    public static void ReadInto(string path, DataSet data, string? only = null)
    {
        string[] lines;
        try { lines = File.ReadAllLines(path); }
        catch (IOException e) { throw new DataFileException(path, 0, 0, e.Message); }
        ReadInto(lines, path, data, only);
    }

    /// <summary>Parses CSV lines; <paramref name="path"/> is used in messages.</summary>
    public static void ReadInto(string[] lines, string path, DataSet data, string? only = null)
    {
        int first = Array.FindIndex(lines, l => l.Trim().Length > 0 && !l.TrimStart().StartsWith('#'));
        if (first < 0) throw new DataFileException(path, 0, 0, "is empty (expected a header row)");
        var header = Split(lines[first]).Select(h => h.Text.Trim()).ToArray();
        var cols = header.Select(_ => new List<float>()).ToArray();
        var ints = header.Select(_ => true).ToArray();
        for (int li = first + 1; li < lines.Length; li++)
        {
            if (lines[li].Trim().Length == 0 || lines[li].TrimStart().StartsWith('#')) continue;
            var fields = Split(lines[li]);
            if (fields.Count != header.Length)
                throw new DataFileException(path, li + 1, 1, $"has {fields.Count} fields, the header has {header.Length}");
            for (int c = 0; c < fields.Count; c++)
            {
                var (text, col) = fields[c];
                var t = text.Trim();
                if (!double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out double v))
                    throw new DataFileException(path, li + 1, col, $"column '{header[c]}': '{t}' is not a number");
                if (v != Math.Floor(v) || t.Contains('.') || t.Contains('e') || t.Contains('E')) ints[c] = false;
                cols[c].Add((float)v);
            }
        }
        bool found = only is null;
        for (int c = 0; c < header.Length; c++)
        {
            if (only is not null && header[c] != only) continue;
            found = true;
            data.Add(header[c], new Tensor(cols[c].ToArray(), cols[c].Count), ints[c], path);
        }
        if (!found) throw new DataFileException(path, first + 1, 1, $"has no column named '{only}'");
    }

    /// <summary>Splits one line on commas outside double quotes; returns each field with its 1-based column.</summary>
    static List<(string Text, int Column)> Split(string line)
    {
        var result = new List<(string, int)>();
        var sb = new System.Text.StringBuilder();
        bool quoted = false;
        int start = 1;
        for (int i = 0; i < line.Length; i++)
        {
            char ch = line[i];
            if (ch == '"')
            {
                if (quoted && i + 1 < line.Length && line[i + 1] == '"') { sb.Append('"'); i++; }
                else quoted = !quoted;
            }
            else if (ch == ',' && !quoted) { result.Add((sb.ToString(), start)); sb.Clear(); start = i + 2; }
            else sb.Append(ch);
        }
        result.Add((sb.ToString(), start));
        return result;
    }
}
