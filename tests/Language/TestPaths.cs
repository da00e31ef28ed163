namespace Ppl.Language.Tests;

/// <summary>Locations in the repository, found from the test binary so tests run from any working directory.</summary>
public static class TestPaths
{
    /// <summary>The repository root (the folder holding Ppl.sln).</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>tests/Language/Cases in the source tree (golden files are rewritten there with PPL_ACCEPT=1).</summary>
    public static string Cases => Path.Combine(Root, "tests", "Language", "Cases");

    /// <summary>The examples folder.</summary>
    public static string Examples => Path.Combine(Root, "examples");

    /// <summary>Whether golden files should be rewritten instead of compared.</summary>
    public static bool Accept => Environment.GetEnvironmentVariable("PPL_ACCEPT") == "1";

    /// <summary>Every example model file, relative to the root (stable order).</summary>
    public static IEnumerable<object[]> ExampleFiles() =>
        Directory.GetFiles(Examples, "*.ppl", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            .Select(f => new object[] { Path.GetRelativePath(Root, f) });

    /// <summary>Reads a source file relative to the root, with the relative path as its display path.</summary>
    public static Ppl.Language.Text.SourceFile Source(string relative) => new(relative.Replace('\\', '/'), File.ReadAllText(Path.Combine(Root, relative)));

    static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Ppl.sln"))) return dir.FullName;
        throw new InvalidOperationException("Ppl.sln not found above " + AppContext.BaseDirectory);
    }

    /// <summary>Compares text with a golden file, or rewrites the file under PPL_ACCEPT=1 (then review the diff).</summary>
    public static void AssertGolden(string expectedPath, string actual)
    {
        actual = actual.Replace("\r\n", "\n");
        if (Accept || !File.Exists(expectedPath))
        {
            File.WriteAllText(expectedPath, actual);
            if (!Accept) Assert.Fail($"golden file {expectedPath} was missing and has been written; review it and run again");
            return;
        }
        Assert.Equal(File.ReadAllText(expectedPath).Replace("\r\n", "\n"), actual);
    }
}
