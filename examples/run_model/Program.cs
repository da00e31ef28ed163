// Runs a .ppl model from plain C#: compile it (or load a compiled dll), read its data, fix the latent sites
// at given values, trace one run, and print every site and the log joint.
//
//   dotnet run -c Release --project examples/run_model -- MODEL.ppl|MODEL.dll DATA.json [NAME=V1,V2,...]...
using System.Globalization;
using Ppl.Language;
using Ppl.Language.Build;
using Ppl.Language.Diagnostics;
using Ppl.Language.Text;
using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Data;
using Ppl.Runtime.Random;
using Ppl.Runtime.Sites;
using Ppl.Runtime.Tensors;

if (args.Length < 2)
{
    Console.Error.WriteLine("usage: run_model MODEL.ppl|MODEL.dll DATA.json [NAME=V1,V2,...]...");
    return 2;
}

ModelAssembly models;
string modelName;
if (args[0].EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
{
    models = ModelAssembly.Load(args[0]);
    modelName = models.Names.First();
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
    var model = models.Create(modelName, DataFiles.Read(args[1]));

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
