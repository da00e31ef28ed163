using System.Globalization;
using System.Text;
using Ppl.Cli.Output;
using Ppl.Inference.Posterior;
using System.CommandLine;

namespace Ppl.Cli.Commands;

/// <summary>
/// <c>ppl sample FILE --params DIR/params.json [--draws D]</c> (docs/language.md §3): posterior predictive draws from
/// fitted parameters, to CSV. The model, data and parameter file are checked before any draw.
/// </summary>
public static class SampleCommand
{
    /// <summary>The command's syntax.</summary>
    public static Command Definition()
    {
        var file = CommonOptions.ModelFile();
        var parameters = CommonOptions.Params();
        var draws = CommonOptions.Draws(1000);
        var data = CommonOptions.Data();
        var model = CommonOptions.Model();
        var seed = CommonOptions.Seed();
        var output = new Option<string>("--out", "-o") { Description = "the CSV file (default: predictive.csv beside the parameters)", HelpName = "PATH" };
        var c = PplCommand.Command("sample", "posterior predictive draws from fitted parameters",
            "ppl sample examples/eight_schools/eight_schools.ppl --params out/eight_schools/params.json --draws 200");
        c.Add(file);
        foreach (var o in new Option[] { parameters, draws, data, model, seed, output }) c.Add(o);
        c.SetAction(r =>
        {
            string paramsPath = r.GetValue(parameters)!;
            return Run(r.GetValue(file)!, r.GetValue(model), r.GetValue(data) ?? [], paramsPath, r.GetValue(draws), r.GetValue(seed),
                r.GetValue(output) ?? Path.Combine(Path.GetDirectoryName(paramsPath) ?? "", "predictive.csv"), r.InvocationConfiguration.Error);
        });
        return c;
    }

    /// <summary>Runs the command; returns the process exit code.</summary>
    public static int Run(string file, string? modelName, IReadOnlyList<string> dataArgs, string paramsPath, int draws, int seed, string output, TextWriter stderr)
    {
        using var loaded = LoadedModel.Load(file, modelName, stderr);
        if (FittedModel.Load(loaded, dataArgs, paramsPath, seed, stderr) is not { } fitted) return Program.UserError;
        var samples = PosteriorSampler.Sample(fitted.Model, fitted.Guide, fitted.Store, draws, unchecked((ulong)seed), predictive: true);
        AtomicFile.WriteAllText(output, Csv(samples));
        stderr.WriteLine($"{draws} posterior predictive draws written to {output}");
        return Program.Ok;
    }

    /// <summary>One row per draw, one column per scalar of every site (latent, deterministic, predicted), named <c>y[3]</c>, 0-based.</summary>
    public static string Csv(PosteriorSamples samples)
    {
        var names = new List<string>();
        var columns = new List<(float[] Data, int Size, int Offset)>();
        foreach (var name in samples.Names)
        {
            var shape = samples.ShapeOf(name);
            var v = new PosteriorVariable(name, shape);
            names.AddRange(v.ScalarNames());
            var data = samples[name];
            for (int e = 0; e < v.Size; e++) columns.Add((data, v.Size, e));
        }
        var sb = new StringBuilder();
        sb.Append(string.Join(",", names.Select(n => n.Contains(',') ? $"\"{n}\"" : n))).Append('\n');
        for (int d = 0; d < samples.Draws; d++)
        {
            for (int c = 0; c < columns.Count; c++)
            {
                if (c > 0) sb.Append(',');
                var (data, size, offset) = columns[c];
                sb.Append(data[d * size + offset].ToString("R", CultureInfo.InvariantCulture));
            }
            sb.Append('\n');
        }
        return sb.ToString();
    }
}
