using System.CommandLine;

namespace Ppl.Cli.Commands;

/// <summary>
/// <c>ppl sample FILE --params DIR/params.json [--draws D]</c> (LANGUAGE.md §3): posterior predictive draws from
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
        using var model = LoadedModel.Load(file, modelName, stderr);
        if (model is null) return Program.UserError;
        model.Instantiate(model.BindData(dataArgs, stderr));
        ParamsFile.Read(paramsPath);
        stderr.WriteLine("ppl sample: the model, its data and the parameters are valid, but sampling is not implemented yet");
        return Program.InternalError;
    }
}
