using System.CommandLine;

namespace Ppl.Cli.Commands;

/// <summary>
/// <c>ppl eval FILE --params DIR/params.json [--data ...] [--iw K]</c> (LANGUAGE.md §3): the ELBO and the
/// importance-weighted bound on held-out data, per data point, as lines <c>elbo: VALUE</c> and <c>iwae[K]: VALUE</c>.
/// </summary>
public static class EvalCommand
{
    /// <summary>The command's syntax.</summary>
    public static Command Definition()
    {
        var file = CommonOptions.ModelFile();
        var parameters = CommonOptions.Params();
        var data = CommonOptions.Data();
        var model = CommonOptions.Model();
        var seed = CommonOptions.Seed();
        var iw = CommonOptions.AtLeast(new Option<int>("--iw") { Description = "importance samples for the IWAE bound", HelpName = "K", DefaultValueFactory = _ => 100 }, 1);
        var c = PplCommand.Command("eval", "ELBO and importance-weighted log-likelihood on data",
            "ppl eval examples/vae/vae.ppl --params out/vae/params.json --data x=t10k-images-idx3-ubyte.gz --iw 500");
        c.Add(file);
        foreach (var o in new Option[] { parameters, data, model, seed, iw }) c.Add(o);
        c.SetAction(r => Run(r.GetValue(file)!, r.GetValue(model), r.GetValue(data) ?? [], r.GetValue(parameters)!, r.GetValue(iw), r.GetValue(seed),
            r.InvocationConfiguration.Error));
        return c;
    }

    /// <summary>Runs the command; returns the process exit code.</summary>
    public static int Run(string file, string? modelName, IReadOnlyList<string> dataArgs, string paramsPath, int iw, int seed, TextWriter stderr)
    {
        using var model = LoadedModel.Load(file, modelName, stderr);
        if (model is null) return Program.UserError;
        model.Instantiate(model.BindData(dataArgs, stderr));
        ParamsFile.Read(paramsPath);
        stderr.WriteLine("ppl eval: the model, its data and the parameters are valid, but evaluation is not implemented yet");
        return Program.InternalError;
    }
}
