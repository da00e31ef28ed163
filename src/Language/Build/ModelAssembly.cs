using System.Reflection;
using System.Runtime.Loader;
using Ppl.Runtime.Data;
using Ppl.Runtime.Models;

namespace Ppl.Language.Build;

/// <summary>
/// A compiled model assembly, loaded into its own collectible <see cref="AssemblyLoadContext"/> so a long-lived
/// process (a notebook, a test run) can compile and drop many models. The runtime assembly is shared with the
/// host (the context resolves nothing itself), so <see cref="IModel"/> and the site API are the host's types.
/// <para>This is the public entry point for running a compiled model from plain C#:</para>
/// <code>
/// using var models = ModelAssembly.Load("eight_schools.dll");
/// IModel model = models.Create("EightSchools", DataFiles.Read("eight_schools.data.json"));
/// </code>
/// </summary>
public sealed class ModelAssembly : IDisposable
{
    readonly Context context;
    readonly Dictionary<string, Type> types;

    sealed class Context(string name) : AssemblyLoadContext(name, isCollectible: true)
    {
        // Returning null defers to the default context, so Ppl.Runtime is the host's copy.
        protected override Assembly? Load(AssemblyName assemblyName) => null;
    }

    ModelAssembly(Context context, Assembly assembly, string? dllPath, bool fromCache)
    {
        this.context = context;
        Assembly = assembly;
        DllPath = dllPath;
        FromCache = fromCache;
        types = assembly.GetTypes().Where(t => typeof(IModel).IsAssignableFrom(t) && !t.IsAbstract).ToDictionary(t => t.Name, StringComparer.Ordinal);
    }

    /// <summary>The loaded assembly.</summary>
    public Assembly Assembly { get; }

    /// <summary>Where the assembly is on disk (the cache, or the file it was loaded from), if anywhere.</summary>
    public string? DllPath { get; }

    /// <summary>True when the build was skipped because the cache held this exact source.</summary>
    public bool FromCache { get; }

    /// <summary>The models and guides in the assembly, by .ppl name.</summary>
    public IReadOnlyCollection<string> Names => types.Keys;

    /// <summary>The guides written for model <paramref name="model"/> (<c>guide G for M</c>), by .ppl name, in name order.</summary>
    public IReadOnlyList<string> GuidesFor(string model) => types
        .Where(t => t.Value.GetCustomAttribute<GuideForAttribute>() is { } g && g.Model == model)
        .Select(t => t.Key).Order(StringComparer.Ordinal).ToArray();

    /// <summary>The model a guide was written for, or null when <paramref name="name"/> is a model (or unknown).</summary>
    public string? ModelOf(string name) =>
        types.TryGetValue(name, out var t) ? t.GetCustomAttribute<GuideForAttribute>()?.Model : null;

    /// <summary>Instantiates a model or guide, reading and checking its data (throws <see cref="DataException"/> naming a bad item).</summary>
    public IModel Create(string name, DataSet data)
    {
        if (!types.TryGetValue(name, out var type))
            throw new KeyNotFoundException($"no model or guide '{name}' in {Assembly.GetName().Name} (it has {string.Join(", ", types.Keys)})");
        try
        {
            return (IModel)Activator.CreateInstance(type, data)!;
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerException).Throw();
            throw;
        }
    }

    /// <summary>Loads a compiled model assembly (and its .pdb beside it, if present) from disk.</summary>
    public static ModelAssembly Load(string dllPath, bool fromCache = false)
    {
        var context = new Context(Path.GetFileNameWithoutExtension(dllPath));
        using var dll = File.OpenRead(dllPath);
        string pdbPath = Path.ChangeExtension(dllPath, ".pdb");
        using var pdb = File.Exists(pdbPath) ? File.OpenRead(pdbPath) : null;
        return new ModelAssembly(context, context.LoadFromStream(dll, pdb), Path.GetFullPath(dllPath), fromCache);
    }

    /// <summary>Loads an assembly image built in memory.</summary>
    internal static ModelAssembly FromImage(string name, byte[] dll, byte[]? pdb, string? dllPath)
    {
        var context = new Context(name);
        using var d = new MemoryStream(dll);
        using var p = pdb is null ? null : new MemoryStream(pdb);
        return new ModelAssembly(context, context.LoadFromStream(d, p), dllPath, fromCache: false);
    }

    /// <summary>Unloads the assembly once nothing refers to its types any more.</summary>
    public void Dispose() => context.Unload();
}
