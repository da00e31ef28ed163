using Ppl.Inference.Elbo;
using Ppl.Language;
using Ppl.Language.Build;
using Ppl.Language.Text;
using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Data;
using Ppl.Runtime.Distributions;
using Ppl.Runtime.Distributions.Constraints;
using Ppl.Runtime.Models;
using Ppl.Runtime.Params;
using Ppl.Runtime.Random;
using Ppl.Runtime.Sites;
using Ppl.Runtime.Tensors;

namespace Ppl.Cli.Bench;

/// <summary>
/// Exact enumeration on the compiled examples (the generated code, not a hand-written copy), each with a mean-field
/// guide for the continuous latents and nothing for the discrete ones, so the ELBO sums them out.
/// <para><b>enum-hmm</b>: ELBO steps per second (forward, contraction of the 50-step chain, backward) on
/// examples/hmm with its data. <b>enum-hmm-memory</b> and <b>enum-mixture-10k-memory</b>: managed bytes held by the
/// first step before the tape is reset (GC.GetTotalMemory after a full collection, minus the same before the step: the
/// tape, its pooled buffers, the traces and the parameters; the compiled model and its data are loaded before), the
/// latter on examples/gmm (K = 3) with 10,000 simulated points.</para>
/// </summary>
public static class BenchEnumeration
{
    static readonly SiteLocation At = SiteLocation.None;

    static Var Vec(ModelContext c, string name, float[] init, Constraint constraint) => c.Param(name, () => Tensor.FromArray(init, init.Length), constraint, At);
    static Var Scalar(ModelContext c, string name, float init, Constraint constraint) => c.Param(name, () => Tensor.Scalar(init), constraint, At);

    static (IModel Model, IModel Guide) Hmm()
    {
        var model = Load("hmm", "Hmm", DataFiles.Read(Example("hmm", "hmm.data.json")));
        var guide = new DelegateModel("hmm_guide", c =>
        {
            c.Sample("mu", new Normal(Vec(c, "m", [-2f, 2f], Constraint.Real), Vec(c, "s", [0.3f, 0.3f], Constraint.Positive)), At);
            c.Sample("sigma", new LogNormal(Scalar(c, "ls", 0f, Constraint.Real), Scalar(c, "ss", 0.2f, Constraint.Positive)), At);
            c.Sample("stay", new Beta(Scalar(c, "a", 8f, Constraint.Positive), Scalar(c, "b", 2f, Constraint.Positive)), At);
        });
        return (model, guide);
    }

    static (IModel Model, IModel Guide) Mixture(int n)
    {
        var rng = new Rng(5);
        float[] centres = [-3f, 0f, 3f];
        var xs = new float[n];
        for (int i = 0; i < n; i++) xs[i] = centres[rng.NextInt(3)] + 0.7f * (float)rng.Normal();
        var data = new DataSet().Add("N", n).Add("x", Tensor.FromArray(xs, n));
        var model = Load("gmm", "Gmm", data);
        var guide = new DelegateModel("gmm_guide", c =>
        {
            c.Sample("weights", new Dirichlet(Vec(c, "alpha", [5f, 5f, 5f], Constraint.Positive)), At);
            c.Sample("mu", new Normal(Vec(c, "m", [-2f, 0f, 2f], Constraint.Real), Vec(c, "s", [0.1f, 0.1f, 0.1f], Constraint.Positive)), At);
            c.Sample("sigma", new LogNormal(Vec(c, "ls", [0f, 0f, 0f], Constraint.Real), Vec(c, "ss", [0.1f, 0.1f, 0.1f], Constraint.Positive)), At);
        });
        return (model, guide);
    }

    /// <summary>ELBO steps per second on examples/hmm.</summary>
    public static double HmmStepsPerSecond()
    {
        var (model, guide) = Hmm();
        var elbo = new TraceElbo();
        var store = new ParamStore();
        var tape = new Tape();
        var rng = new Rng(3);
        return 1.0 / BenchTimer.BestSecondsPerCall(() =>
        {
            tape.Reset();
            store.ZeroGrad();
            elbo.Step(model, guide, store, tape, rng);
        });
    }

    /// <summary>Megabytes one ELBO step holds on examples/hmm.</summary>
    public static double HmmMegabytes()
    {
        var (model, guide) = Hmm();
        return StepMegabytes(model, guide);
    }

    /// <summary>Megabytes one ELBO step holds on a 3-component mixture over 10,000 points.</summary>
    public static double MixtureMegabytes()
    {
        var (model, guide) = Mixture(10_000);
        return StepMegabytes(model, guide);
    }

    static double StepMegabytes(IModel model, IModel guide)
    {
        var elbo = new TraceElbo();
        var store = new ParamStore();
        var tape = new Tape();
        var rng = new Rng(3);
        long before = GC.GetTotalMemory(true);
        var step = elbo.Step(model, guide, store, tape, rng);   // the tape, its pooled buffers, the traces and the parameters
        long after = GC.GetTotalMemory(true);
        GC.KeepAlive(step);
        tape.Reset();
        return Math.Max(0, after - before) / 1e6;
    }

    static IModel Load(string folder, string name, DataSet data)
    {
        string path = Example(folder, folder + ".ppl");
        var result = Compiler.Compile(SourceFile.Load(path), CompileOptions.Beside(path));
        if (!result.Succeeded) throw new InvalidOperationException($"{path} does not compile");
        return result.Assembly!.Create(name, data);
    }

    /// <summary>examples/FOLDER/FILE, found from the working directory or the tool's folder upwards.</summary>
    static string Example(string folder, string file)
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            for (var d = new DirectoryInfo(start); d is not null; d = d.Parent)
            {
                string p = Path.Combine(d.FullName, "examples", folder, file);
                if (File.Exists(p)) return p;
            }
        throw new FileNotFoundException($"examples/{folder}/{file} not found above the working directory");
    }
}
