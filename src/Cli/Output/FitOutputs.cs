namespace Ppl.Cli.Output;

/// <summary>
/// Writes everything a finished fit leaves in its <c>--out</c> folder (docs/language.md §3): <c>summary.csv</c>,
/// <c>draws.csv</c>, <c>elbo.csv</c>, <c>params.json</c>, <c>fit.json</c>, <c>timing.json</c>, and the plots. All or nothing: the files
/// are staged under temporary names and replace the old ones only once every one is written.
/// </summary>
public static class FitOutputs
{
    /// <summary>The files a fit writes, in the order written.</summary>
    public static readonly IReadOnlyList<string> Files =
        ["summary.csv", "draws.csv", "elbo.csv", "params.json", "fit.json", "timing.json", "elbo.png", "elbo.svg", "posterior.png", "posterior.svg"];

    /// <summary>The files the same seed reproduces byte for byte: all but <c>timing.json</c>.</summary>
    public static readonly IReadOnlyList<string> Reproducible = [.. Files.Where(f => f != "timing.json")];

    /// <summary>Writes <paramref name="result"/> into <paramref name="directory"/>; returns the summary rows (for the end-of-fit table).</summary>
    public static IReadOnlyList<SummaryRow> Write(string directory, FitResult result)
    {
        var rows = PosteriorSummary.Of(result.Posterior);
        PhaseTimes.Mark("summary");
        using var folder = new OutputFolder(directory);
        folder.AddText("summary.csv", w => SummaryCsvWriter.Write(rows, w));
        folder.AddText("draws.csv", w => DrawsCsvWriter.Write(result.Report, result.Posterior, w));
        folder.AddText("elbo.csv", w => ElboCsvWriter.Write(result.Trace, w));
        if (result.WriteParams is { } writeParams) folder.Add("params.json", writeParams);
        if (result.WriteState is { } writeState) folder.Add("params.json.fitstate", writeState);
        foreach (var add in result.ExtraFiles) add(folder);
        RemoveStalePaths(folder, result.Report.Paths?.Each.Count ?? 0);
        folder.AddJson("fit.json", j => FitJsonWriter.Write(result.Report, j));
        folder.AddJson("timing.json", j => TimingJsonWriter.Write(result.Report, j));
        PhaseTimes.Mark("write csv, json");
        var elbo = ElboPlot.Create(result.Trace);
        folder.Add("elbo.png", path => File.WriteAllBytes(path, PlotFiles.Png(elbo, 800, 500)));
        PhaseTimes.Mark("elbo.png");
        folder.Add("elbo.svg", path => File.WriteAllText(path, PlotFiles.Svg(elbo, 800, 500)));
        PhaseTimes.Mark("elbo.svg");
        var (posterior, height) = PosteriorPlot.Create(rows);
        folder.Add("posterior.png", path => File.WriteAllBytes(path, PlotFiles.Png(posterior, 800, height)));
        PhaseTimes.Mark("posterior.png");
        folder.Add("posterior.svg", path => File.WriteAllText(path, PlotFiles.Svg(posterior, 800, height)));
        PhaseTimes.Mark("posterior.svg");
        folder.Commit();
        PhaseTimes.Mark("commit outputs");
        return rows;
    }

    /// <summary>
    /// The <c>paths/p/</c> folders of an earlier <c>--paths</c> fit in the same folder beyond this fit's
    /// <paramref name="paths"/> (all of them for a single-path fit), and a multi-path fit's leftover
    /// <c>params.json.fitstate</c> (it belongs to an earlier single fit): removed with the commit, so the folder never
    /// mixes two fits.
    /// </summary>
    static void RemoveStalePaths(OutputFolder folder, int paths)
    {
        if (paths > 0) folder.RemoveOnCommit("params.json.fitstate");
        string dir = Path.Combine(folder.Directory, "paths");
        if (!Directory.Exists(dir)) return;
        foreach (var sub in Directory.GetDirectories(dir))
            if (int.TryParse(Path.GetFileName(sub), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int p) && p >= paths)
                folder.RemoveOnCommit(Path.Combine("paths", Path.GetFileName(sub)));
    }
}
