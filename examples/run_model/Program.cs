// Runs a .ppl model from plain C#: compile it (or load a compiled dll), read its data, fix the latent sites
// at given values, trace one run, and print every site and the log joint. With --fit it fits the model instead
// (its written guide if the file has one, else the automatic guide --guide KIND, default normal) and prints the
// posterior summary and the Pareto k-hat of the guide.
//
//   dotnet run -c Release --project examples/run_model -- MODEL.ppl|MODEL.dll DATA.json [NAME=V1,V2,...]...
//   dotnet run -c Release --project examples/run_model -- MODEL.ppl|MODEL.dll DATA.json --fit [--guide KIND]
using System.Globalization;
using Ppl.Inference.Fitting;
using Ppl.Inference.Guides;
using Ppl.Inference.Posterior;
using Ppl.Language;
using Ppl.Language.Build;
using Ppl.Language.Diagnostics;
using Ppl.Language.Text;
using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Data;
using Ppl.Runtime.Models;
using Ppl.Runtime.Params;
using Ppl.Runtime.Random;
using Ppl.Runtime.Sites;
using Ppl.Runtime.Tensors;

if (args.Length < 2)
{
    Console.Error.WriteLine("usage: run_model MODEL.ppl|MODEL.dll DATA.json [NAME=V1,V2,...]... | --fit [--guide KIND]");
    return 2;
}

ModelAssembly models;
string modelName;
if (args[0].EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
{
    models = ModelAssembly.Load(args[0]);
    modelName = models.Names.First(n => models.ModelOf(n) is null);
}
else
{
    var file = SourceFile.Load(args[0]);
    var compiled = Compiler.Compile(file, CompileOptions.Beside(args[0]));
    if (!compiled.Succeeded)
    {
        Console.Error.Write(DiagnosticRenderer.RenderAll(file, compiled.Diagnostics));
        return 1;
    }
    models = compiled.Assembly!;
    modelName = compiled.Checked!.Models.First().Name;
}

using (models)
{
    var data = DataFiles.Read(args[1]);
    var model = models.Create(modelName, data);
    if (args.Contains("--fit")) return Fit(models, model, data, args);

    // Latent values from the command line: "mu=1.5", "theta_raw=0,0.5,-1".
    var values = new Dictionary<string, Tensor>();
    foreach (var a in args.Skip(2))
    {
        var (name, list) = (a[..a.IndexOf('=')], a[(a.IndexOf('=') + 1)..]);
        var xs = list.Split(',').Select(v => float.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        values[name] = xs.Length == 1 ? Tensor.Scalar(xs[0]) : Tensor.Vector(xs);
    }

    // Condition fixes the given sites (unfixed latents are drawn); Trace records every site of the run.
    var trace = new TraceHandler();
    model.Run(new ModelContext(new Rng(1)).With(new ConditionHandler(values)).With(trace));

    foreach (var site in trace.Trace.Sites)
    {
        string logp = site.Kind == SiteKind.Sample ? $"  log p = {Ops.Sum(site.LogProb).ToScalar(),10:F4}" : "";
        Console.WriteLine($"{site.Kind,-13} {site.Name,-10} shape {Shapes.Format(site.Value!.Shape),-6}{logp}   ({site.Location})");
    }
    Console.WriteLine($"log joint = {trace.Trace.LogJoint().ToScalar():F4}");
}
return 0;

// Fits the model with Svi's defaults, then summarises 2000 posterior draws and checks the guide with PSIS.
static int Fit(ModelAssembly models, IModel model, DataSet data, string[] args)
{
    int g = Array.IndexOf(args, "--guide");
    IModel guide = g >= 0 && g + 1 < args.Length ? AutoGuide.Create(args[g + 1], model)
        : models.GuidesFor(model.Name) is [var written, ..] ? models.Create(written, data)
        : AutoGuide.Create(GuideKind.Normal, model);
    var store = new ParamStore();
    var clock = System.Diagnostics.Stopwatch.StartNew();
    var result = Svi.Fit(model, guide, new SviOptions(), store);
    Console.WriteLine($"guide {guide.Name}: {result.Message}");
    Console.WriteLine($"ELBO {result.Elbo:F3} after {result.Steps} steps in {clock.Elapsed.TotalSeconds:F2} s ({result.Skipped} skipped)");
    foreach (var e in result.Estimators) Console.WriteLine($"  {e.Site}: {e.Kind} ({e.Reason})");
    Console.WriteLine();
    Console.Write(ScalarSummary.Table(PosteriorSampler.Sample(model, guide, store, 2000, seed: 1).Summarize()));
    var k = GuideDiagnostics.Of(model, guide, store, 1000, seed: 2);
    Console.WriteLine();
    Console.WriteLine(k.Warning ?? $"Pareto k-hat {k.K:F2} (<= 0.7: the guide covers the posterior)");
    return result.Reason == StopReason.NonFinite ? 1 : 0;
}
