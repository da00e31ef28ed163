using System.Globalization;
using Ppl.Cli.Output;
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
        var reconstructions = new Option<string>("--reconstructions") { Description = "also write a PNG grid of the data's first images, each beside its reconstruction", HelpName = "FILE.png" };
        var imageShape = CommonOptions.ImageShape();
        var c = PplCommand.Command("eval", "ELBO and importance-weighted log-likelihood on data",
            "ppl eval examples/vae/vae.ppl --params out/vae/params.json --data x=t10k-images-idx3-ubyte.gz --iw 500",
            "ppl eval examples/vae/vae.ppl --params out/vae/params.json --data x=t10k-images-idx3-ubyte.gz --reconstructions recon.png");
        c.Add(file);
        foreach (var o in new Option[] { parameters, data, model, seed, iw, reconstructions, imageShape }) c.Add(o);
        c.SetAction(r => Run(r.GetValue(file)!, r.GetValue(model), r.GetValue(data) ?? [], r.GetValue(parameters)!, r.GetValue(iw), r.GetValue(seed),
            r.GetValue(reconstructions), r.GetValue(imageShape) is { } shape ? ImageShape.Parse(shape) : null,
            r.InvocationConfiguration.Output, r.InvocationConfiguration.Error));
        return c;
    }

    /// <summary>Images in a reconstruction grid (each beside its reconstruction, eight pairs a row).</summary>
    public const int ReconstructedImages = 32;

    /// <summary>
    /// Runs the command writing the two lines to <paramref name="stdout"/> (<see cref="HeldOutEvaluation"/>): with local
    /// latents in a subsampled plate (a VAE) the whole data set is swept, each element evaluated with <paramref name="iw"/>
    /// guide draws; the ELBO is the mean of the single-draw estimates of those same draws. Both figures are divided by
    /// the data points — the elements of the observations' plates (images), else the observed scalars — so held-out
    /// sets of different sizes compare. With <paramref name="reconstructions"/>, a PNG of the data's first images beside
    /// their reconstructions is written there first.
    /// </summary>
    public static int Run(string file, string? modelName, IReadOnlyList<string> dataArgs, string paramsPath, int iw, int seed,
        string? reconstructions, ImageShape? imageShape, TextWriter stdout, TextWriter stderr)
    {
        using var loaded = LoadedModel.Load(file, modelName, stderr);
        if (FittedModel.Load(loaded, dataArgs, paramsPath, seed, stderr) is not { } f) return Program.UserError;
        try
        {
            if (reconstructions is not null) WriteReconstructions(f, reconstructions, imageShape, seed, stderr);
            var figures = HeldOutEvaluation.Run(f.Model, f.Guide, f.Store, new Rng(unchecked((ulong)seed)), iw);
            if (figures.Points <= 0) throw new UserException($"{file}: model {f.Model.Name} observes no data, so there is nothing to evaluate per data point");
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"elbo: {figures.Elbo / figures.Points:G8}"));
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"iwae[{iw}]: {figures.Bound / figures.Points:G8}"));
        }
        catch (EstimatorException e) { throw new UserException(e.Message); }
        return Program.Ok;
    }

    static void WriteReconstructions(FittedModel f, string path, ImageShape? shape, int seed, TextWriter stderr)
    {
        if (ImagePictures.Reconstructions(f.Model, f.Guide, f.Store, unchecked((ulong)seed), ReconstructedImages, shape) is not { } r)
            throw ImageShape.NoImages($"--reconstructions {path}", f.Model.Name);
        AtomicFile.WriteAllBytes(path, ImageGrid.Png(r.Pairs, r.Shape, columns: 16));
        stderr.WriteLine($"{r.Pairs.Count / 2} images of '{r.Site}' ({r.Shape}) beside their reconstructions written to {path}");
    }
}
