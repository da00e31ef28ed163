using Ppl.Cli.Output;

namespace Ppl.Cli.Tests.Output;

/// <summary><c>draws.csv</c> against the layout of a file Stan 2.21 wrote itself (copied here from shared/formats).</summary>
public sealed class DrawsCsvWriterTests
{
    /// <summary>A CmdStan CSV split into its parts: configuration comments before the header, the header, and the data rows.</summary>
    sealed record StanCsv(List<string> Config, string[] Header, List<double[]> Rows);

    static StanCsv Parse(string text)
    {
        var config = new List<string>();
        string[]? header = null;
        var rows = new List<double[]>();
        foreach (var line in text.Split('\n'))
        {
            if (line.Length == 0) continue;
            if (line.StartsWith('#')) { if (header is null) config.Add(line); continue; }
            if (header is null) { header = line.Split(','); continue; }
            rows.Add([.. line.Split(',').Select(f => double.Parse(f, System.Globalization.CultureInfo.InvariantCulture))]);
        }
        return new(config, header!, rows);
    }

    static string Ours(PosteriorTable table)
    {
        var w = new StringWriter();
        DrawsCsvWriter.Write(SampleFit.Report(), table, w);
        return w.ToString();
    }

    static StanCsv Stan() => Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Output", "cmdstan_variational_eight_schools.csv")));

    [Fact]
    public void Header_EightSchools_IsStansHeaderExactly()
    {
        var ours = Parse(Ours(SampleFit.Table(SampleFit.EightSchools, 20)));
        Assert.Equal(Stan().Header, ours.Header);
    }

    [Fact]
    public void Layout_MatchesStans_ConfigThenHeaderThenMeanRowThenDraws()
    {
        var stan = Stan();
        var table = SampleFit.Table(SampleFit.EightSchools, 20);
        var ours = Parse(Ours(table));
        foreach (var file in new[] { stan, ours })
        {
            Assert.Contains("(Variational Bayes)", file.Config[0]);
            Assert.All(file.Config.Skip(1).SkipLast(1), l => Assert.Matches(@"^# [a-z_]+=\S+$", l));
            Assert.Equal("#", file.Config[^1]);
            Assert.Equal(21, file.Rows.Count);
            Assert.All(file.Rows, r => Assert.Equal(file.Header.Length, r.Length));
            Assert.Equal([0, 0, 0], file.Rows[0][..3]);
            Assert.All(file.Rows.Skip(1), r => { Assert.Equal(0, r[0]); Assert.True(r[1] < 0 && r[2] < 0); });
        }
        foreach (var key in new[] { "seed", "iter", "grad_samples", "output_samples", "eta", "tol_rel_obj", "algorithm" })
        {
            Assert.Contains(stan.Config, l => l.StartsWith($"# {key}=", StringComparison.Ordinal));
            Assert.Contains(ours.Config, l => l.StartsWith($"# {key}=", StringComparison.Ordinal));
        }
        Assert.Contains("# algorithm=meanfield", ours.Config);
        // Values round to 6 significant digits, as CmdStan prints them.
        Assert.Equal(table.Draws[4][3], ours.Rows[5][3 + 3], 1e-5 * Math.Abs(table.Draws[4][3]) + 1e-12);
        Assert.Equal(table.Mean[5], ours.Rows[0][3 + 5]);
    }

    [Fact]
    public void Matrix_IsFlattenedColumnMajorWithOneBasedIndices()
    {
        var table = SampleFit.Table([new("a", []), new("W", [2, 3])], 5);
        var ours = Parse(Ours(table));
        Assert.Equal(["lp__", "log_p__", "log_g__", "a", "W.1.1", "W.2.1", "W.1.2", "W.2.2", "W.1.3", "W.2.3"], ours.Header);
        // W.2.1 is W[1, 0]: row-major position 1*3 + 0 = 3 within W, column 1 + 3 of the table.
        for (int d = 0; d < 5; d++) Assert.Equal(table.Draws[d][4], ours.Rows[d + 1][3 + 2], 1e-5 * Math.Abs(table.Draws[d][4]) + 1e-12);
    }

    [Fact]
    public void Algorithm_NamesStansGuidesAndKeepsOthers()
    {
        Assert.Equal("meanfield", DrawsCsvWriter.Algorithm("normal"));
        Assert.Equal("fullrank", DrawsCsvWriter.Algorithm("mvn"));
        Assert.Equal("iaf", DrawsCsvWriter.Algorithm("iaf"));
    }

    [Fact]
    public void MismatchedTable_IsRejected()
    {
        var t = SampleFit.Table(SampleFit.EightSchools, 3);
        var bad = t with { Mean = [1, 2] };
        Assert.Throws<ArgumentException>(() => Ours(bad));
    }
}
