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
    }
}
