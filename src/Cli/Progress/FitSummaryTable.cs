using System.Globalization;
using Ppl.Cli.Output;
using Spectre.Console;

namespace Ppl.Cli.Progress;

/// <summary>The end-of-fit tables (Spectre.Console): the posterior summary and the estimator each site got and why.</summary>
public static class FitSummaryTable
{
    /// <summary>The summary, at most <paramref name="maxRows"/> rows, with a caption pointing to summary.csv when cut.</summary>
    public static Table Summary(IReadOnlyList<SummaryRow> rows, int maxRows)
    {
        var t = new Table().Border(TableBorder.Simple);
        t.AddColumn("name");
        foreach (var h in new[] { "mean", "sd", "5%", "50%", "95%" }) t.AddColumn(new TableColumn(h).RightAligned());
        foreach (var r in rows.Take(maxRows))
            t.AddRow(Markup.Escape(r.Name), N(r.Mean), N(r.Sd), N(r.Q5), N(r.Q50), N(r.Q95));
        if (rows.Count > maxRows) t.Caption($"{rows.Count - maxRows} more rows in summary.csv");
        return t;
    }

    /// <summary>One row per site: its estimator and the reason.</summary>
    public static Table Estimators(IReadOnlyList<SiteEstimator> sites)
    {
        var t = new Table().Border(TableBorder.Simple);
        t.AddColumn("site");
        t.AddColumn("estimator");
        t.AddColumn("why");
        foreach (var s in sites) t.AddRow(Markup.Escape(s.Site), Markup.Escape(s.Estimator), Markup.Escape(s.Reason));
        return t;
    }

    /// <summary>One row per path of a <c>--paths</c> fit: seed, steps, convergence, ELBO, its own k̂ and its share of the resampled mass.</summary>
    public static Table Paths(MultiPathReport paths)
    {
        var t = new Table().Border(TableBorder.Simple);
        t.AddColumn("path");
        foreach (var h in new[] { "seed", "steps", "converged", "elbo", "k̂", "share" }) t.AddColumn(new TableColumn(h).RightAligned());
        foreach (var p in paths.Each)
            t.AddRow(p.Path == paths.Best ? $"{p.Path} (best)" : $"{p.Path}", $"{p.Seed}", $"{p.Steps}", p.Converged ? "yes" : "no", N(p.Elbo),
                p.ParetoK is { } k ? k.ToString("0.00", CultureInfo.InvariantCulture) : "-", p.Share.ToString("0.000", CultureInfo.InvariantCulture));
        return t;
    }

    /// <summary>The mixture in one sentence: effective paths, and the path whose guide is saved.</summary>
    public static string MixtureLine(MultiPathReport paths) => string.Create(CultureInfo.InvariantCulture,
        $"mixture of {paths.Each.Count} paths: effective paths {paths.EffectivePaths:0.00}; params.json holds path {paths.Best}");

    /// <summary>Where the reported draws come from, in one sentence: resampled from how many proposals, or the guide's own and why.</summary>
    public static string DrawsLine(FitReport report) => report.Resampling is { } r
        ? (r.ProposalParetoK is { } k
            ? string.Create(CultureInfo.InvariantCulture, $"draws: {r.Draws} importance-resampled from {r.Proposals} of {(report.Paths is null ? "a Student-t fitted to the guide's weighted draws" : "Student-t's fitted to each path's weighted draws")} (effective {r.EffectiveDraws:0}, k̂ {k:0.00})")
            : string.Create(CultureInfo.InvariantCulture, $"draws: {r.Draws} importance-resampled from {r.Proposals} of the {(report.Paths is null ? "guide's" : "paths'")} (effective {r.EffectiveDraws:0})"))
            + (r.Relabellings > 1 ? $"; weighed over all {r.Relabellings} relabellings of {string.Join(", ", r.RelabelledSites)}" : "")
            + (r.OrderedBy is { } key ? $"; each draw's components ordered by {key}" : "")
        : $"draws: the guide's own ({report.NotResampled ?? "not resampled"})";

    static string N(double v) => v.ToString("G4", CultureInfo.InvariantCulture);
}
