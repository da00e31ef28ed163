using Ppl.Language;
using Ppl.Language.Build;
using Ppl.Language.Diagnostics;
using Ppl.Runtime.Data;
using Ppl.Runtime.Models;

namespace Ppl.Cli;

/// <summary>
/// What <c>fit</c>, <c>sample</c> and <c>eval</c> start from: a model file (a <c>.ppl</c>, compiled through the
/// cache, or an assembly from <c>ppl compile</c>), the model chosen in it, its data bound and checked, and the
/// guide (a block of the file or a built-in name). Everything here is validated before the first step, so a bad
/// input ends with a located message and exit 1 rather than a failure mid-fit.
/// </summary>
public sealed class LoadedModel : IDisposable
{
    /// <summary>The guides <c>--guide</c> may name besides a guide block of the file (docs/language.md §1).</summary>
    public static readonly IReadOnlyList<string> BuiltInGuides = ["normal", "mvn", "lowrank", "delta", "iaf", "planar"];

    LoadedModel(string path, ModelAssembly assembly, string modelName, ModelOutline? outline)
    {
        Path = path;
        Assembly = assembly;
        ModelName = modelName;
        Outline = outline;
        Declared = outline?.FindModel(modelName);
    }

    /// <summary>The model file as given.</summary>
    public string Path { get; }

    /// <summary>The compiled models and guides of the file.</summary>
    public ModelAssembly Assembly { get; }

    /// <summary>The chosen model's name.</summary>
    public string ModelName { get; }

    /// <summary>The models and guides of the source file (null when the file is an assembly: then no source is at hand).</summary>
    public ModelOutline? Outline { get; }

    /// <summary>Whether the chosen model or a guide of the file for it declares a network (unknown for an assembly: false).</summary>
    public bool DeclaresNet => Outline?.DeclaresNet(ModelName) ?? false;

    /// <summary>The chosen model's declarations (null for an assembly).</summary>
    OutlineModel? Declared { get; }

    /// <summary>Loads <paramref name="path"/> and picks the model named <paramref name="modelName"/> (or the file's first);
    /// returns null after printing the file's errors to <paramref name="stderr"/>.</summary>
    public static LoadedModel? Load(string path, string? modelName, TextWriter stderr)
    {
        if (path.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)) return LoadAssembly(path, modelName);
        if (SourceLoader.Load(path, stderr) is not { } file) return null;
        var options = CompileOptions.Beside(path);
        if (Compiler.FromCache(file, options) is { } cached) return Choose(path, cached.Assembly, cached.Outline, modelName);
        var result = Compiler.Compile(file, options);
        if (!result.Succeeded)
        {
            stderr.Write(DiagnosticRenderer.RenderAll(file, result.Diagnostics));
            int n = result.Diagnostics.Count;
            stderr.WriteLine($"{n} error{(n == 1 ? "" : "s")}");
            if (result.Diagnostics.Any(d => d.IsInternal)) throw new InvalidOperationException("the compiler failed on generated code (see above)");
            return null;
        }
        return Choose(path, result.Assembly!, ModelOutline.Of(result.Checked!), modelName);
    }

    static LoadedModel Choose(string path, ModelAssembly assembly, ModelOutline outline, string? modelName)
    {
        if (outline.FindModel(modelName) is { } model) return new LoadedModel(path, assembly, model.Name, outline);
        assembly.Dispose();
        throw new UserException(modelName is null
            ? $"{path}: the file has no model block"
            : $"{path}: no model named '{modelName}' (the file has {string.Join(", ", outline.Models.Select(m => m.Name))})");
    }

    static LoadedModel LoadAssembly(string path, string? modelName)
    {
        if (!File.Exists(path)) throw new UserException($"{path}: no such file");
        ModelAssembly assembly;
        try { assembly = ModelAssembly.Load(path); }
        catch (BadImageFormatException) { throw new UserException($"{path}: not a .NET assembly (expected one written by 'ppl compile')"); }
        var names = assembly.Names.Order(StringComparer.Ordinal).ToArray();
        if (modelName is null && names.Length != 1)
        {
            assembly.Dispose();
            throw new UserException($"{path}: the assembly holds {string.Join(", ", names)}; choose the model with --model");
        }
        string name = modelName ?? names[0];
        if (!names.Contains(name))
        {
            assembly.Dispose();
            throw new UserException($"{path}: no model named '{name}' (the assembly holds {string.Join(", ", names)})");
        }
        return new LoadedModel(path, assembly, name, null);
    }

    /// <summary>
    /// Binds the <c>--data</c> arguments (<c>name=path</c> or <c>path</c>), or <c>NAME.data.json</c> beside the model
    /// when there are none; warns on <paramref name="stderr"/> about items the model does not declare.
    /// </summary>
    public DataSet BindData(IReadOnlyList<string> arguments, TextWriter stderr)
    {
        var data = new DataSet();
        if (arguments.Count == 0)
        {
            string beside = DefaultDataPath(Path);
            if (File.Exists(beside)) DataFiles.Bind(beside, data);
            else if (Declared is { Data.Count: > 0 })
                throw new UserException($"{Path}: model {ModelName} declares data ({string.Join(", ", Declared.Data)}) but no --data was given and {beside} does not exist");
        }
        foreach (var a in arguments) DataFiles.Bind(a, data);
        if (Declared is not null)
            foreach (var name in data.Undeclared(Declared.Data))
                stderr.WriteLine($"{data.SourceOf(name)}: warning: data '{name}' is not declared by model {ModelName}; it is ignored");
        return data;
    }

    /// <summary><c>m.data.json</c> beside <c>m.ppl</c> (or <c>m.dll</c>).</summary>
    public static string DefaultDataPath(string modelPath) =>
        System.IO.Path.Combine(System.IO.Path.GetDirectoryName(modelPath) ?? "", System.IO.Path.GetFileNameWithoutExtension(modelPath) + ".data.json");

    /// <summary>Instantiates the model on <paramref name="data"/>: reads and checks every declared item (type, shape, bounds).</summary>
    public IModel Instantiate(DataSet data) => Assembly.Create(ModelName, data);

    /// <summary>
    /// The guide <c>--guide</c> asks for: a built-in name, or a guide block of the file for this model; without
    /// the option, the file's guide for the model, else the mean-field <c>normal</c>.
    /// </summary>
    public GuideChoice ChooseGuide(string? requested)
    {
        var fileGuides = Outline is null ? Assembly.GuidesFor(ModelName).ToArray() : Outline.GuidesFor(ModelName).ToArray();
        if (requested is null)
            return fileGuides.Length > 0 ? new(fileGuides[0], false) : new("normal", true);
        if (BuiltInGuides.Contains(requested)) return new(requested, true);
        if (fileGuides.Contains(requested) || (Outline is null && Assembly.Names.Contains(requested))) return new(requested, false);
        string known = string.Join(", ", BuiltInGuides.Concat(fileGuides));
        throw new UserException($"{Path}: no guide named '{requested}' for model {ModelName} (choose one of {known})");
    }

    /// <summary>Unloads the compiled assembly.</summary>
    public void Dispose() => Assembly.Dispose();
}

/// <summary>The guide a fit uses: a built-in family (<c>normal</c>, <c>mvn</c>, ...) or a guide block compiled with the model.</summary>
public sealed record GuideChoice(string Name, bool IsBuiltIn);
