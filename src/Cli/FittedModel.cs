using System.Text.Json;
using Ppl.Cli.Commands;
using Ppl.Runtime.Data;
using Ppl.Runtime.Models;
using Ppl.Runtime.Params;

namespace Ppl.Cli;

/// <summary>
/// What <c>ppl sample</c> and <c>ppl eval</c> start from: the model on its data, the guide the fit used (named in the
/// <c>fit.json</c> beside <c>params.json</c>, else the file's guide, else <c>normal</c>) and the fitted parameters.
/// </summary>
/// <param name="Model">The model instantiated on its data.</param>
/// <param name="Guide">The fitted guide.</param>
/// <param name="Store">The fitted parameters.</param>
public sealed record FittedModel(IModel Model, IModel Guide, ParamStore Store)
{
    /// <summary>Loads everything, checking the model, data and parameter file before any draw; null after printing the file's errors.</summary>
    public static FittedModel? Load(LoadedModel? loaded, IReadOnlyList<string> dataArgs, string paramsPath, int seed, TextWriter stderr)
    {
        if (loaded is null) return null;
        var data = loaded.BindData(dataArgs, stderr);
        var model = loaded.Instantiate(data);
        var saved = ParamsFile.Read(paramsPath);
        var guide = FitEngine.CreateGuide(loaded, loaded.ChooseGuide(GuideOfFit(paramsPath)), data, model, unchecked((ulong)seed),
            saved: saved.Select(p => p.Name));
        if (PathsOfFit(paramsPath) is { Count: > 1 } paths)
            stderr.WriteLine($"note: {paramsPath} is the guide of path {paths.Best} of a --paths {paths.Count} fit (the highest ELBO); this command uses that guide alone, not the paths' mixture, whose resampled draws are draws.csv (each path's guide: paths/P/params.json)");
        var store = new ParamStore(unchecked((ulong)seed));
        foreach (var p in saved) store.Restore(p.Name, p.Unconstrained, p.Constraint);   // the file read once, above
        return new FittedModel(model, guide, store);
    }

    /// <summary>The guide recorded in <c>fit.json</c> beside <paramref name="paramsPath"/>, if there is one.</summary>
    static string? GuideOfFit(string paramsPath) =>
        FitJson(paramsPath, root => root.TryGetProperty("guide", out var g) && g.ValueKind == JsonValueKind.String ? g.GetString() : null);

    /// <summary>
    /// The number of paths and the best path of the <c>--paths</c> fit whose <c>fit.json</c> is beside
    /// <paramref name="paramsPath"/>; null for a single-path fit or when there is no readable <c>fit.json</c>.
    /// </summary>
    public static (int Count, int Best)? PathsOfFit(string paramsPath) => FitJson<(int, int)?>(paramsPath, root =>
        root.TryGetProperty("mixture", out var m) && m.ValueKind == JsonValueKind.Object
        && m.TryGetProperty("paths", out var k) && k.TryGetInt32(out int count)
        && m.TryGetProperty("best_path", out var b) && b.TryGetInt32(out int best) ? (count, best) : null);

    static T? FitJson<T>(string paramsPath, Func<JsonElement, T?> read)
    {
        string fit = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(paramsPath))!, "fit.json");
        if (!File.Exists(fit)) return default;
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(fit));
            return doc.RootElement.ValueKind == JsonValueKind.Object ? read(doc.RootElement) : default;
        }
        catch (JsonException) { return default; }
    }
}
