using System.Text;
using Ppl.Cli.Commands;
using Ppl.Cli.Output;
using SkiaSharp;

namespace Ppl.Cli.Tests.Commands;

/// <summary>
/// <c>ppl sample</c> and <c>ppl eval --reconstructions</c> on a small VAE of 16×16 images (fitted for 30 steps): the PNG
/// grids are written and decode to the expected layout, and the data half of the reconstruction grid shows the data
/// file's own pixels.
/// </summary>
public sealed class ImagePicturesTests : IDisposable
{
    const int Side = 16, Images = 64, Zoom = 2;

    const string Vae = """
        model Squares {
          data N: int
          data x: real[N, 256]
          net decoder = Mlp(2, 32, 256) activation: relu
          plate n in N subsample 16 {
            z[n] ~ Normal(zeros(2), ones(2))
            x[n] / 255 ~ Bernoulli(logits: decoder(z[n]))
          }
        }
        guide SquaresGuide for Squares {
          net encoder = Mlp(256, 32, 4) activation: relu
          plate n in N subsample 16 {
            let h = encoder(x[n] / 255)
            z[n] ~ Normal(h[0:2], softplus(h[2:4]))
          }
        }
        """;

    readonly string dir = Directory.CreateTempSubdirectory("ppl-img-").FullName;
    readonly string model, data;

    public ImagePicturesTests()
    {
        model = Path.Combine(dir, "squares.ppl");
        File.WriteAllText(model, Vae);
        data = Path.Combine(dir, "squares.json");
        File.WriteAllText(data, Json());
        var r = Cli.Run("fit", model, "--data", data, "--steps", "30", "--draws", "1", "--quiet", "--out", Path.Combine(dir, "fit"));
        Assert.True(r.Exit == Program.Ok, r.Err);
    }

    public void Dispose() => Directory.Delete(dir, recursive: true);

    string Params => Path.Combine(dir, "fit", "params.json");

    /// <summary>Image i is black with a white square of side 4 + i % 8 at the top left: 0 or 255 per pixel, known exactly.</summary>
    static int Pixel(int image, int row, int col) => row < 4 + image % 8 && col < 4 + image % 8 ? 255 : 0;

    static string Json()
    {
        var sb = new StringBuilder("{\"x\": [");
        for (int i = 0; i < Images; i++)
        {
            if (i > 0) sb.Append(',');
            sb.Append('[').Append(string.Join(",", Enumerable.Range(0, Side * Side).Select(p => Pixel(i, p / Side, p % Side)))).Append(']');
        }
        return sb.Append("]}").ToString();
    }

    static int Tile(int count) => count * (Side * Zoom + ImageGrid.Gutter) + ImageGrid.Gutter;

    [Fact]
    public void Fit_ModelWithANetAndNoLr_UsesTheNetLearningRate()
    {
        // The fixture's fit gave no --lr: a model declaring a net gets Adam's 1e-3, not the engine's 0.02.
        using var fit = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "fit", "fit.json")));
        Assert.Equal(FitOptions.NetLearningRate, fit.RootElement.GetProperty("lr").GetDouble(), 9);
    }

    [Fact]
    public void Sample_ImageModel_WritesAGridOfGeneratedImagesAndNoCsv()
    {
        string png = Path.Combine(dir, "gen.png");
        var r = Cli.Run("sample", model, "--data", data, "--params", Params, "--draws", "9", "--images", png);
        Assert.True(r.Exit == Program.Ok, r.Err);
        using var bitmap = SKBitmap.Decode(File.ReadAllBytes(png));
        Assert.Equal((Tile(3), Tile(3)), (bitmap.Width, bitmap.Height));
        Assert.False(File.Exists(Path.Combine(dir, "fit", "predictive.csv")));
        // Decoder means are Bernoulli probabilities strictly inside (0, 1): no generated pixel is the gutter's or pure black.
        var c = bitmap.GetPixel(ImageGrid.Gutter + 3, ImageGrid.Gutter + 3);
        Assert.InRange(c.Red, 1, 254);
    }

    [Fact]
    public void Eval_Reconstructions_WritesEachDataImageBesideItsReconstruction()
    {
        string png = Path.Combine(dir, "recon.png");
        var r = Cli.Run("eval", model, "--data", data, "--params", Params, "--iw", "2", "--reconstructions", png);
        Assert.True(r.Exit == Program.Ok, r.Err);
        Assert.StartsWith("elbo: ", r.Out);
        using var bitmap = SKBitmap.Decode(File.ReadAllBytes(png));
        int pairs = EvalCommand.ReconstructedImages;
        Assert.Equal((Tile(16), Tile(2 * pairs / 16)), (bitmap.Width, bitmap.Height));
        for (int i = 0; i < pairs; i++)
        {
            int t = 2 * i, x0 = ImageGrid.Gutter + (t % 16) * (Side * Zoom + ImageGrid.Gutter), y0 = ImageGrid.Gutter + (t / 16) * (Side * Zoom + ImageGrid.Gutter);
            for (int row = 0; row < Side; row++)
                for (int col = 0; col < Side; col++)
                    Assert.Equal(Pixel(i, row, col), bitmap.GetPixel(x0 + Zoom * col, y0 + Zoom * row).Red);
        }
    }

    [Fact]
    public void Sample_ImagesForAModelWithoutImages_IsAUserError()
    {
        string schools = Path.Combine(Cli.Root(), "examples", "eight_schools", "eight_schools.ppl");
        var fit = Cli.Run("fit", schools, "--steps", "20", "--draws", "1", "--quiet", "--out", Path.Combine(dir, "s"));
        Assert.True(fit.Exit == Program.Ok, fit.Err);
        var r = Cli.Run("sample", schools, "--params", Path.Combine(dir, "s", "params.json"), "--images", Path.Combine(dir, "s.png"));
        Assert.Equal(Program.UserError, r.Exit);
        Assert.Contains("observes no images", r.Err);
        Assert.DoesNotContain("   at ", r.Err);
    }
}
