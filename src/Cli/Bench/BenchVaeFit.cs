using System.Diagnostics;
using System.Globalization;
using Ppl.Inference.Fitting;
using Ppl.Inference.Optimizers;
using Ppl.Language;
using Ppl.Language.Build;
using Ppl.Language.Diagnostics;
using Ppl.Language.Text;
using Ppl.Runtime.Data;
using Ppl.Runtime.Tensors;

namespace Ppl.Cli.Bench;

/// <summary>
/// SVI on <c>examples/vae/vae.ppl</c> through the whole engine — the generated model and guide, their handlers, the
/// trace ELBO and Adam (lr 1e-3) inside <see cref="Svi.Fit(int?)"/> — over real Fashion-MNIST, timed the way
/// ../shared/bench/torch_vae.py times itself: <see cref="WarmupSteps"/> untimed steps, then the mean over a whole epoch
/// of minibatches (469 steps of 128; the plate draws each minibatch from the 60,000 images), data handling (the
/// minibatch gather and the division by 255 in the generated code) included. Beside the throughput it reports on
/// standard error how much one steady step allocates and the process's peak working set.
/// </summary>
public static class BenchVaeFit
{
    /// <summary>Steps before timing starts (tiered JIT, pools, the optimizer's moments).</summary>
    public const int WarmupSteps = 20;

    /// <summary>Steps of one Fashion-MNIST epoch at 128 images per step (⌈60000 / 128⌉).</summary>
    public const int EpochSteps = 469;

    /// <summary>Images per step (the plate's subsample size in vae.ppl).</summary>
    public const int Batch = 128;

    /// <summary>The training images; <c>PPL_FASHION_MNIST</c> overrides the folder.</summary>
    public static string TrainImages => Path.Combine(
        Environment.GetEnvironmentVariable("PPL_FASHION_MNIST") ?? "/usr/share/datasets/fashion-mnist", "train-images-idx3-ubyte.gz");

    /// <summary>Timed steps (<c>ppl bench vae-fit --steps N</c> for a quick run); a whole epoch by default.</summary>
    public static int Steps { get; set; } = EpochSteps;

    /// <summary>The variants of examples/vae/ timed beside the reference VAE: benchmark suffix, file, model, guide.</summary>
    public static readonly (string Name, string File, string Model, string Guide)[] Variants =
    [
        ("planar", "vae_planar.ppl", "VaePlanar", "VaePlanarGuide"),
        ("iaf", "vae_iaf.ppl", "VaeIaf", "VaeIafGuide"),
        ("discrete", "vae_discrete.ppl", "VaeDiscrete", "VaeDiscreteGuide"),
        ("gumbel", "vae_gumbel.ppl", "VaeGumbel", "VaeGumbelGuide"),
    ];

    /// <summary>
    /// Training throughput in images per second with products on at most <paramref name="threads"/> threads, of
    /// examples/vae/vae.ppl or of the variant <paramref name="file"/> (its model and guide named).
    /// </summary>
    public static double ImagesPerSecond(int threads, string file = "vae.ppl", string model = "Vae", string guide = "VaeGuide")
    {
        using var fit = VaeFit.Load(ExamplePath(file), model, guide, TrainImages);
        int saved = Gemm.MaxThreads;
        Gemm.MaxThreads = threads;
        try
        {
            fit.Svi.Fit(stopAt: WarmupSteps);
            long allocated = GC.GetTotalAllocatedBytes(precise: true);
            long start = Stopwatch.GetTimestamp();
            fit.Svi.Fit(stopAt: WarmupSteps + Steps);
            double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
            double perStep = (GC.GetTotalAllocatedBytes(precise: true) - allocated) / (double)Steps;
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"vae-fit {file}: {Steps} steps after {WarmupSteps} warm-up, {seconds:0.00} s, ELBO {fit.Svi.LastElbo / fit.Images:0.0} nats/image, " +
                $"{perStep / 1024:0.0} KiB allocated per step, peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / (1 << 20)} MiB"));
            return Steps * (double)Batch / seconds;
        }
        finally
        {
            Gemm.MaxThreads = saved;
        }
    }

    /// <summary>
    /// examples/vae/NAME found from the current folder or the tool's own folder upwards (the repository root), so the
    /// benchmark runs from a checkout wherever it is started.
    /// </summary>
    public static string ExamplePath(string name)
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                string candidate = Path.Combine(dir.FullName, "examples", "vae", name);
                if (File.Exists(candidate)) return candidate;
            }
        throw new UsageException($"examples/vae/{name} not found above {Directory.GetCurrentDirectory()}: run the benchmark from the repository");
    }
}

/// <summary>A compiled VAE example, its data and an <see cref="Svi"/> ready to step (Adam 1e-3, no stopping rule).</summary>
public sealed class VaeFit : IDisposable
{
    readonly ModelAssembly assembly;

    VaeFit(ModelAssembly assembly, Svi svi, int images)
    {
        this.assembly = assembly;
        Svi = svi;
        Images = images;
    }

    /// <summary>How many images the data holds (N): each step's ELBO estimate is of all of them.</summary>
    public int Images { get; }

    /// <summary>The fit.</summary>
    public Svi Svi { get; }

    /// <summary>Compiles <paramref name="path"/> and binds the IDX images at <paramref name="images"/> to its data item <c>x</c>.</summary>
    public static VaeFit Load(string path, string model, string guide, string images, ulong seed = 1)
    {
        if (!File.Exists(images))
            throw new UsageException($"{images}: no such file (apt-get install dataset-fashion-mnist, or set PPL_FASHION_MNIST)");
        var data = new DataSet();
        DataFiles.Bind("x=" + images, data);
        return Load(path, model, guide, data, new SviOptions { LearningRate = 1e-3f, Optimizer = lr => new Adam(lr), Seed = seed });
    }

    /// <summary>
    /// Compiles <paramref name="path"/> and sets up a fit of its <paramref name="guide"/> to its <paramref name="model"/>
    /// on <paramref name="data"/>; the options' step budget and convergence rule are lifted, so the caller decides when
    /// to stop (<c>Svi.Fit(stopAt)</c>).
    /// </summary>
    public static VaeFit Load(string path, string model, string guide, DataSet data, SviOptions options)
    {
        var file = SourceFile.Load(path);
        var compiled = Compiler.Compile(file, CompileOptions.Beside(path));
        if (!compiled.Succeeded) throw new UsageException(DiagnosticRenderer.RenderAll(file, compiled.Diagnostics));
        var a = compiled.Assembly!;
        var unbounded = options with { Steps = int.MaxValue, MinSteps = int.MaxValue };
        return new VaeFit(a, new Svi(a.Create(model, data), a.Create(guide, data), unbounded), data.ShapeOf("x")[0]);
    }

    /// <inheritdoc/>
    public void Dispose() => assembly.Dispose();
}
