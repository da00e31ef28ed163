using System.Text.Json;

namespace Ppl.Cli.Output;

/// <summary>
/// <c>fit.json</c>: the settings, the estimator of every site and why, the convergence verdict, k̂ and the version,
/// so a fit can be audited and repeated. It holds no timing (that is <see cref="TimingJsonWriter"/>'s file), so the
/// same seed gives a byte-identical <c>fit.json</c>, as it does every other result file.
/// </summary>
public static class FitJsonWriter
{
    /// <summary>Writes the properties of <paramref name="report"/> into the open object of <paramref name="j"/>.</summary>
    public static void Write(FitReport report, Utf8JsonWriter j)
    {
        j.WriteString("version", FitReport.Version);
        j.WriteString("model", report.Model);
        j.WriteString("guide", report.Guide);
        j.WriteNumber("seed", report.Seed);
        j.WriteNumber("steps", report.Steps);
        j.WriteNumber("max_steps", report.MaxSteps);
        j.WriteNumber("lr", report.LearningRate);
        j.WriteNumber("particles", report.Particles);
        j.WriteNumber("tol", report.Tolerance);
        // Only when averaged, so a fit without averaging writes the fit.json it always did.
        if (report.AverageSteps > 0) j.WriteNumber("average_steps", report.AverageSteps);
        // Likewise only when the guide centred some site: the why (the model's use) and what λ learned.
        if (report.Recentred.Count > 0)
        {
            j.WriteStartArray("recentred");
            foreach (var r in report.Recentred)
            {
                j.WriteStartObject();
                j.WriteString("site", r.Site);
                j.WriteString("use", r.Use);
                if (double.IsFinite(r.Centredness)) j.WriteNumber("centredness", Math.Round(r.Centredness, 4));
                else j.WriteNull("centredness");
                j.WriteEndObject();
            }
            j.WriteEndArray();
        }
        j.WriteStartArray("estimators");
        foreach (var e in report.Estimators)
        {
            j.WriteStartObject();
            j.WriteString("site", e.Site);
            j.WriteString("estimator", e.Estimator);
            j.WriteString("reason", e.Reason);
            j.WriteEndObject();
        }
        j.WriteEndArray();
        j.WriteStartObject("convergence");
        j.WriteBoolean("converged", report.Convergence.Converged);
        j.WriteNumber("step", report.Convergence.Step);
        j.WriteString("verdict", report.Convergence.Verdict);
        j.WriteEndObject();
        if (report.ParetoK is { } k && double.IsFinite(k)) j.WriteNumber("pareto_k", k);
        else j.WriteNull("pareto_k");
        if (report.ParetoKWarning is { } warning) j.WriteString("pareto_k_warning", warning);
        WriteResampling(report, j);
        if (report.Paths is { } paths) WritePaths(paths, j);
    }

    /// <summary><c>resampling</c>: how the draws were chosen from the guide's proposals, or why they are its own (method "none").</summary>
    static void WriteResampling(FitReport report, Utf8JsonWriter j)
    {
        j.WriteStartObject("resampling");
        if (report.Resampling is { } r)
        {
            j.WriteString("method", r.Method);
            j.WriteNumber("draws", r.Draws);
            j.WriteNumber("proposals", r.Proposals);
            j.WriteNumber("effective_draws", r.EffectiveDraws);
            if (r.ProposalParetoK is { } k) j.WriteNumber("proposal_pareto_k", k);
            if (r.Relabellings > 1)
            {
                j.WriteNumber("relabellings", r.Relabellings);
                j.WriteStartArray("relabelled_sites");
                foreach (var site in r.RelabelledSites) j.WriteStringValue(site);
                j.WriteEndArray();
                if (r.OrderedBy is { } key) j.WriteString("ordered_by", key);
            }
        }
        else
        {
            j.WriteString("method", "none");
            if (report.NotResampled is { } why) j.WriteString("why", why);
        }
        j.WriteEndObject();
    }

    /// <summary>A <c>--paths</c> fit's <c>mixture</c> (its k̂ is <c>pareto_k</c> above, its resampling <c>resampling</c>) and <c>paths</c>, one object each.</summary>
    static void WritePaths(MultiPathReport m, Utf8JsonWriter j)
    {
        j.WriteStartObject("mixture");
        j.WriteNumber("paths", m.Each.Count);
        j.WriteNumber("best_path", m.Best);
        j.WriteNumber("effective_paths", m.EffectivePaths);
        j.WriteEndObject();
        j.WriteStartArray("paths");
        foreach (var p in m.Each)
        {
            j.WriteStartObject();
            WritePath(p, j);
            j.WriteEndObject();
        }
        j.WriteEndArray();
    }

    /// <summary>The properties of one path of a <c>--paths</c> fit into the open object of <paramref name="j"/>.</summary>
    public static void WritePath(PathReport p, Utf8JsonWriter j)
    {
        j.WriteNumber("path", p.Path);
        j.WriteNumber("seed", p.Seed);
        j.WriteNumber("init_radius", p.InitRadius);
        j.WriteNumber("steps", p.Steps);
        j.WriteBoolean("converged", p.Converged);
        j.WriteNumber("elbo", p.Elbo);
        if (p.ParetoK is { } k) j.WriteNumber("pareto_k", k);
        else j.WriteNull("pareto_k");
        j.WriteNumber("share", p.Share);
    }
}
