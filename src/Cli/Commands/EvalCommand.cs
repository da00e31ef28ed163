using System.Globalization;
using Ppl.Inference.Elbo;
using Ppl.Inference.Estimators;
using Ppl.Inference.Posterior;
using Ppl.Runtime.Random;
using System.CommandLine;

namespace Ppl.Cli.Commands;

/// <summary>
/// <c>ppl eval FILE --params DIR/params.json [--data ...] [--iw K]</c> (docs/language.md §3): the ELBO and the
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
            r.InvocationConfiguration.Output, r.InvocationConfiguration.Error));
        return c;
    }

    /// <summary>Runs the command; returns the process exit code.</summary>
    public static int Run(string file, string? modelName, IReadOnlyList<string> dataArgs, string paramsPath, int iw, int seed, TextWriter stderr) =>
        Run(file, modelName, dataArgs, paramsPath, iw, seed, Console.Out, stderr);

    /// <summary>
    /// Runs the command writing the two lines to <paramref name="stdout"/>. The ELBO is averaged over
    /// <paramref name="iw"/> single-draw estimates (the same number of guide draws the bound uses); both figures are
    /// divided by the number of observed scalars, so held-out sets of different sizes compare.
    /// </summary>
    public static int Run(string file, string? modelName, IReadOnlyList<string> dataArgs, string paramsPath, int iw, int seed, TextWriter stdout, TextWriter stderr)
    {
        using var loaded = LoadedModel.Load(file, modelName, stderr);
        if (FittedModel.Load(loaded, dataArgs, paramsPath, seed, stderr) is not { } f) return Program.UserError;
        var rng = new Rng(unchecked((ulong)seed));
        var (_, trace) = PosteriorSampler.Run(f.Model, f.Guide, f.Store, rng);
        double points = trace.Observations.Sum(s => (double)s.Value!.Size * s.Scale);
        if (points <= 0) throw new UserException($"{file}: model {f.Model.Name} observes no data, so there is nothing to evaluate per data point");
        var elbo = new TraceElbo();
        double sum = 0;
        try
        {
            for (int k = 0; k < iw; k++) sum += elbo.Evaluate(f.Model, f.Guide, f.Store, rng);
            double bound = ImportanceWeightedBound.Estimate(f.Model, f.Guide, f.Store, rng, iw).Bound;
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"elbo: {sum / iw / points:G8}"));
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"iwae[{iw}]: {bound / points:G8}"));
        }
        catch (EstimatorException e) { throw new UserException(e.Message); }
        return Program.Ok;
    }
}
