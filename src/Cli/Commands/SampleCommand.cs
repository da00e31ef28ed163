using System.Globalization;
using System.Text;
using Ppl.Cli.Output;
using Ppl.Inference.Posterior;
using System.CommandLine;

namespace Ppl.Cli.Commands;

/// <summary>
/// <c>ppl sample FILE --params DIR/params.json [--draws D]</c> (docs/language.md §3): posterior predictive draws from
/// fitted parameters, to CSV. The model, data and parameter file are checked before any draw. A model that observes
/// images (a VAE, see <see cref="ImageShape"/>) gets a PNG grid of images generated from its prior instead, and its CSV
/// only when <c>--out</c> asks for it: one posterior predictive draw of a VAE is a whole minibatch of images.
/// </summary>
public static class SampleCommand
{
    /// <summary>Images in a generated grid when <c>--draws</c> is not given (eight rows of eight).</summary>
    public const int DefaultImages = 64;

    /// <summary>The command's syntax.</summary>
    public static Command Definition()
    {
        var file = CommonOptions.ModelFile();
        var parameters = CommonOptions.Params();
        var draws = CommonOptions.Draws(1000);
        var data = CommonOptions.Data();
        var model = CommonOptions.Model();
        var seed = CommonOptions.Seed();
        var output = new Option<string>("--out", "-o") { Description = "the CSV file (default: predictive.csv beside the parameters; for an image model only when given)", HelpName = "PATH" };
        var images = new Option<string>("--images") { Description = $"for a model that observes images, the PNG grid of images generated from the prior (default: samples.png beside the parameters; {DefaultImages} images unless --draws)", HelpName = "FILE.png" };
        var imageShape = CommonOptions.ImageShape();
        var c = PplCommand.Command("sample", "posterior predictive draws from fitted parameters",
            "ppl sample examples/eight_schools/eight_schools.ppl --params out/eight_schools/params.json --draws 200",
            "ppl sample examples/vae/vae.ppl --params out/vae/params.json --data x=train-images-idx3-ubyte.gz --images vae.png");
        c.Add(file);
        foreach (var o in new Option[] { parameters, draws, data, model, seed, output, images, imageShape }) c.Add(o);
        c.SetAction(r =>
        {
            string paramsPath = r.GetValue(parameters)!;
            string beside = Path.GetDirectoryName(paramsPath) ?? "";
            var request = new SampleRequest(r.GetValue(draws), r.GetResult(draws) is { Implicit: false }, r.GetValue(output), Path.Combine(beside, "predictive.csv"),
                r.GetValue(images), Path.Combine(beside, "samples.png"), r.GetValue(imageShape) is { } shape ? ImageShape.Parse(shape) : null);
            return Run(r.GetValue(file)!, r.GetValue(model), r.GetValue(data) ?? [], paramsPath, r.GetValue(seed), request, r.InvocationConfiguration.Error);
        });
        return c;
    }

    /// <summary>Runs the command; returns the process exit code.</summary>
    public static int Run(string file, string? modelName, IReadOnlyList<string> dataArgs, string paramsPath, int seed, SampleRequest request, TextWriter stderr)
    {
        using var loaded = LoadedModel.Load(file, modelName, stderr);
        if (FittedModel.Load(loaded, dataArgs, paramsPath, seed, stderr) is not { } fitted) return Program.UserError;
        int count = request.DrawsGiven ? request.Draws : DefaultImages;
        var generated = ImagePictures.Generated(fitted.Model, fitted.Store, unchecked((ulong)seed), count, request.ImageShape);
        if (generated is { } g)
        {
            string png = request.Images ?? request.DefaultImages;
            AtomicFile.WriteAllBytes(png, ImageGrid.Png(g.Images, g.Shape, columns: (int)Math.Ceiling(Math.Sqrt(g.Images.Count))));
            stderr.WriteLine($"{g.Images.Count} images of '{g.Site}' ({g.Shape}) generated from the prior written to {png}");
            if (request.Out is null) return Program.Ok;
        }
        else if (request.Images is not null)
            throw ImageShape.NoImages($"--images {request.Images}", fitted.Model.Name);
        string csv = request.Out ?? request.DefaultOut;
        var samples = PosteriorSampler.Sample(fitted.Model, fitted.Guide, fitted.Store, request.Draws, unchecked((ulong)seed), predictive: true);
        AtomicFile.WriteAllText(csv, Csv(samples));
        stderr.WriteLine($"{request.Draws} posterior predictive draws written to {csv}");
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

/// <summary>What <c>ppl sample</c> writes.</summary>
/// <param name="Draws">Predictive draws (CSV rows), and generated images when <paramref name="DrawsGiven"/>.</param>
/// <param name="DrawsGiven">Whether <c>--draws</c> was on the command line.</param>
/// <param name="Out">The CSV path <c>--out</c> gave, or null.</param>
/// <param name="DefaultOut">The CSV path without <c>--out</c>.</param>
/// <param name="Images">The PNG path <c>--images</c> gave, or null.</param>
/// <param name="DefaultImages">The PNG path without <c>--images</c>.</param>
/// <param name="ImageShape">The shape <c>--image-shape</c> gave, or null to recognise square images.</param>
public sealed record SampleRequest(int Draws, bool DrawsGiven, string? Out, string DefaultOut, string? Images, string DefaultImages, ImageShape? ImageShape);
