using Ppl.Language.Syntax;
using Ppl.Language.Text;

namespace Ppl.Language.Semantics;

/// <summary>
/// One checked model or guide: its symbols and its checked body, in source order. A guide links to the model it
/// is for and shares that model's data symbols.
/// </summary>
public sealed class CheckedModel(BlockSyntax syntax, CheckedModel? model, IReadOnlyList<BoundStatement> body,
    IReadOnlyList<DataSymbol> data, IReadOnlyList<ParamSymbol> parameters, IReadOnlyList<NetSymbol> nets,
    IReadOnlyList<SiteSymbol> latents, IReadOnlyList<BoundSample> observed)
{
    /// <summary>The block's syntax.</summary>
    public BlockSyntax Syntax { get; } = syntax;

    /// <summary>The block's name.</summary>
    public string Name => Syntax.Name.Name;

    /// <summary>True for a guide.</summary>
    public bool IsGuide => Syntax is GuideSyntax;

    /// <summary>For a guide: the model it approximates.</summary>
    public CheckedModel? Model { get; } = model;

    /// <summary>The checked statements.</summary>
    public IReadOnlyList<BoundStatement> Body { get; } = body;

    /// <summary>Data items (a guide's are its model's).</summary>
    public IReadOnlyList<DataSymbol> Data { get; } = data;

    /// <summary>Point parameters declared in this block.</summary>
    public IReadOnlyList<ParamSymbol> Parameters { get; } = parameters;

    /// <summary>Networks declared in this block.</summary>
    public IReadOnlyList<NetSymbol> Nets { get; } = nets;

    /// <summary>Latent sites (families for element-wise ones), in order of first sampling.</summary>
    public IReadOnlyList<SiteSymbol> Latents { get; } = latents;

    /// <summary>Observe statements, in source order.</summary>
    public IReadOnlyList<BoundSample> Observed { get; } = observed;
}

/// <summary>All checked blocks of a file, models before the guides that refer to them in file order.</summary>
public sealed class CheckedProgram(SourceFile file, IReadOnlyList<CheckedModel> blocks)
{
    /// <summary>The source.</summary>
    public SourceFile File { get; } = file;

    /// <summary>Models and guides in file order.</summary>
    public IReadOnlyList<CheckedModel> Blocks { get; } = blocks;

    /// <summary>Models only.</summary>
    public IEnumerable<CheckedModel> Models => Blocks.Where(b => !b.IsGuide);

    /// <summary>Guides only.</summary>
    public IEnumerable<CheckedModel> Guides => Blocks.Where(b => b.IsGuide);

    /// <summary>The model named <paramref name="name"/>, or the file's first model when null.</summary>
    public CheckedModel? FindModel(string? name) => name is null ? Models.FirstOrDefault() : Models.FirstOrDefault(m => m.Name == name);

    /// <summary>The file's first guide for a model, if any.</summary>
    public CheckedModel? GuideFor(CheckedModel model) => Guides.FirstOrDefault(g => g.Model == model);
}
