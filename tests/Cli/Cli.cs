namespace Ppl.Cli.Tests;

/// <summary>Runs <c>ppl</c> in process, capturing its streams, and finds the repository's files.</summary>
public static class Cli
{
    /// <summary>One command line through <see cref="Program.Run"/>.</summary>
    public static (int Exit, string Out, string Err) Run(params string[] args)
    {
        var (o, e) = (new StringWriter(), new StringWriter());
        int exit = Program.Run(args, o, e);
        return (exit, o.ToString(), e.ToString());
    }

    /// <summary>The repository root (the folder holding Ppl.sln).</summary>
    public static string Root()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "Ppl.sln"))) return d.FullName;
        throw new InvalidOperationException("Ppl.sln not found");
    }
}
