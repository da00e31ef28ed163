namespace Ppl.Cli;

/// <summary>A wrong command line (unknown option, missing value): exit code 2.</summary>
public sealed class UsageException(string message) : Exception(message);

/// <summary>
/// The arguments of one command: positionals and <c>--name value</c> / <c>--flag</c> options.
/// Small on purpose: every option a command reads is named at the read, and <see cref="EnsureAllUsed"/>
/// turns a misspelt option into a usage error instead of silently ignoring it.
/// </summary>
public sealed class CommandLine
{
    readonly List<string> positionals = new();
    readonly List<(string Name, string? Value)> options = new();
    readonly HashSet<string> used = new();

    /// <summary>The command's name (e.g. <c>fit</c>).</summary>
    public string Command { get; }

    public CommandLine(string command, string[] args)
    {
        Command = command;
        for (int i = 0; i < args.Length; i++)
        {
            string a = args[i];
            if (a.StartsWith("--", StringComparison.Ordinal) || (a.StartsWith('-') && a.Length == 2 && !char.IsDigit(a[1])))
            {
                string name = a.TrimStart('-');
                string? value = null;
                int eq = name.IndexOf('=');
                if (eq > 0) { value = name[(eq + 1)..]; name = name[..eq]; }
                else if (i + 1 < args.Length && !(args[i + 1].StartsWith('-') && args[i + 1].Length > 1 && !char.IsDigit(args[i + 1][1]) && args[i + 1][1] != '.'))
                    value = args[++i];
                options.Add((name, value));
            }
            else positionals.Add(a);
        }
    }

    /// <summary>Positional arguments, in order.</summary>
    public IReadOnlyList<string> Positionals => positionals;

    /// <summary>The single required positional argument (e.g. the model file).</summary>
    public string File(string what = "FILE")
    {
        if (positionals.Count == 0) throw new UsageException($"missing {what}");
        if (positionals.Count > 1) throw new UsageException($"unexpected argument '{positionals[1]}'");
        return positionals[0];
    }

    /// <summary>Whether a flag is present (e.g. <c>--help</c>).</summary>
    public bool Flag(params string[] names)
    {
        foreach (var (n, v) in options)
            if (names.Contains(n))
            {
                used.Add(n);
                if (v is not null) positionals.Add(v);
                return true;
            }
        return false;
    }

    /// <summary>The last value of an option, or null when absent.</summary>
    public string? Option(params string[] names)
    {
        string? result = null;
        foreach (var (n, v) in options)
            if (names.Contains(n))
            {
                used.Add(n);
                result = v ?? throw new UsageException($"option --{n} needs a value");
            }
        return result;
    }

    /// <summary>Every value of a repeatable option (e.g. <c>--data a=x.json --data b=y.csv</c>).</summary>
    public IReadOnlyList<string> Options(params string[] names)
    {
        var list = new List<string>();
        foreach (var (n, v) in options)
            if (names.Contains(n))
            {
                used.Add(n);
                list.Add(v ?? throw new UsageException($"option --{n} needs a value"));
            }
        return list;
    }

    /// <summary>An integer option with a default.</summary>
    public int Int(string name, int fallback)
    {
        var s = Option(name);
        if (s is null) return fallback;
        return int.TryParse(s, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var v)
            ? v : throw new UsageException($"--{name} expects an integer, got '{s}'");
    }

    /// <summary>A real option with a default.</summary>
    public double Real(string name, double fallback)
    {
        var s = Option(name);
        if (s is null) return fallback;
        return double.TryParse(s, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var v)
            ? v : throw new UsageException($"--{name} expects a number, got '{s}'");
    }

    /// <summary>Fails on any option no read asked for.</summary>
    public void EnsureAllUsed()
    {
        foreach (var (n, _) in options)
            if (!used.Contains(n)) throw new UsageException($"unknown option --{n}");
    }
}
