using Ppl.Language.Build;
using Ppl.Language.Diagnostics;
using Ppl.Language.Text;
using Ppl.Runtime.Models;
using Ppl.Runtime.Params;
using Ppl.Runtime.Random;
using Ppl.Runtime.Sites;
using Ppl.Runtime.Tensors;

namespace Ppl.Language.Tests.Emit;

/// <summary>Compiles .ppl text into a temporary folder and sets a store's parameters to fixed values.</summary>
public sealed class PipelineHarness : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("ppl-pipeline-").FullName;

    /// <summary>The compiled assembly of <paramref name="source"/>; a failed compile fails the test with the diagnostics.</summary>
    public ModelAssembly Compile(string source, string name)
    {
        var file = new SourceFile(name + ".ppl", source);
        var result = Compiler.Compile(file, new CompileOptions(Path.Combine(dir, name + ".g.cs"), Path.Combine(dir, "cache")));
        Assert.True(result.Succeeded, DiagnosticRenderer.RenderAll(file, result.Diagnostics));
        return result.Assembly!;
    }

    /// <summary>
    /// Runs <paramref name="model"/> once to create its parameters and nets, sets them with <see cref="Fill"/>, and
    /// runs it again (conditioned on <paramref name="values"/>) under a tracer: the trace and the parameters in double.
    /// </summary>
    public static (Trace Trace, Dictionary<string, double[]> Parameters) RunWithFixedParameters(
        IModel model, int seed, double range = 0.6, Dictionary<string, Tensor>? values = null)
    {
        var store = new ParamStore(seed: 1);
        model.Run(new ModelContext(new Rng(1), parameters: store));
        var parameters = Fill(store, seed, range);
        var trace = new TraceHandler();
        var ctx = new ModelContext(new Rng(2), parameters: store);
        model.Run((values is null ? ctx : ctx.With(new ConditionHandler(values))).With(trace));
        return (trace.Trace, parameters);
    }

    /// <summary>
    /// Overwrites every parameter in <paramref name="store"/> with values drawn U(−<paramref name="range"/>, <paramref name="range"/>)
    /// from a fixed seed, so zero-initialised biases and output layers take part in the computation being checked,
    /// and returns them by name in double.
    /// </summary>
    static Dictionary<string, double[]> Fill(ParamStore store, int seed, double range = 0.6)
    {
        var rng = new System.Random(seed);
        var values = new Dictionary<string, double[]>();
        foreach (var e in store.Entries)
        {
            var span = e.Unconstrained.Value.Span;
            var v = new double[span.Length];
            for (int i = 0; i < span.Length; i++)
            {
                span[i] = (float)((rng.NextDouble() * 2 - 1) * range);
                v[i] = span[i];
            }
            values[e.Name] = v;
        }
        return values;
    }

    /// <summary>Deletes the temporary folder.</summary>
    public void Dispose() => Directory.Delete(dir, recursive: true);
}
