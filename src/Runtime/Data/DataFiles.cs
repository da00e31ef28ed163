
namespace Ppl.Runtime.Data;

/// <summary>
/// Binds data files to a <see cref="DataSet"/> by their format: <c>.json</c> (CmdStan), <c>.csv</c> (one item per
/// column), IDX (<c>.idx</c>, <c>*-ubyte</c>, optionally <c>.gz</c>). A bare path binds every item in the file;
/// <c>name=path</c> binds one name (for IDX, the only way to name the tensor).
/// </summary>
public static class DataFiles
{
    /// <summary>Reads one <c>--data</c> argument (<c>path</c> or <c>name=path</c>) into <paramref name="data"/>.</summary>
    public static void Bind(string argument, DataSet data)
    {
        string? name = null, path = argument;
        int eq = argument.IndexOf('=');
        if (eq > 0 && !File.Exists(argument)) { name = argument[..eq]; path = argument[(eq + 1)..]; }
        if (!File.Exists(path)) throw new DataFileException(path, 0, 0, "no such file");
        switch (FormatOf(path))
        {
            case "json": JsonDataReader.ReadInto(path, data, name); break;
            case "csv": CsvDataReader.ReadInto(path, data, name); break;
            case "idx":
                var (values, isInt) = IdxDataReader.Read(path);
                data.Add(name ?? ItemNameOf(path), values, isInt, path);
                break;
            default:
                throw new DataFileException(path, 0, 0, "unknown data format (expected .json, .csv, or an IDX file: .idx, *-ubyte, optionally .gz)");
        }
    }

    /// <summary>Reads a whole file into a new data set.</summary>
    public static DataSet Read(string path)
    {
        var d = new DataSet();
        Bind(path, d);
        return d;
    }

    static string FormatOf(string path)
    {
        string p = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? path[..^3] : path;
        if (p.EndsWith(".json", StringComparison.OrdinalIgnoreCase)) return "json";
        if (p.EndsWith(".csv", StringComparison.OrdinalIgnoreCase)) return "csv";
        string f = Path.GetFileName(p);
        if (f.EndsWith(".idx", StringComparison.OrdinalIgnoreCase) || f.Contains("-idx", StringComparison.OrdinalIgnoreCase)
            || f.EndsWith("-ubyte", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".ubyte", StringComparison.OrdinalIgnoreCase)) return "idx";
        return "unknown";
    }

    /// <summary>An IDX file bound without a name is named after its file (<c>train-images-idx3-ubyte.gz</c> → <c>train_images</c>).</summary>
    static string ItemNameOf(string path)
    {
        string f = Path.GetFileName(path);
        int cut = f.IndexOf("-idx", StringComparison.Ordinal);
        if (cut < 0) cut = f.IndexOf('.');
        return (cut > 0 ? f[..cut] : f).Replace('-', '_');
    }
}
