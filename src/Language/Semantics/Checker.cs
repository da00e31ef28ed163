using Ppl.Language.Diagnostics;
using Ppl.Language.Syntax;
using Ppl.Language.Text;

namespace Ppl.Language.Semantics;

/// <summary>
/// syntax tree → checked program. Resolves every name, infers kinds and shapes symbolically over data sizes,
/// decides for each <c>~</c> whether it is latent or observed, checks calls against <see cref="Builtins"/>,
/// and checks each guide against its model. Every error is reported (in source order by the caller) and
/// an expression that failed becomes a <see cref="BoundError"/> so it causes no further messages.
/// <para>
/// Plates: an expression's <see cref="BoundExpr.Type"/> is its shape per plate element and
/// <see cref="BoundExpr.Plates"/> the plates it varies over. A plate variable may index data (<c>x[n]</c>)
/// and names the site it indexes; values that vary over a plate can only be used inside it.
/// </para>
/// </summary>
public sealed partial class Checker
{
    readonly SourceFile file;
    readonly List<Diagnostic> diagnostics = new();

    // What the block being checked has declared so far; a fresh one per block.
    BlockScope scope = null!;

    Checker(SourceFile file) => this.file = file;

    /// <summary>Checks a parsed file. The program is null when there is any error.</summary>
    public static StageResult<CheckedProgram> Check(ProgramSyntax syntax, SourceFile file)
    {
        var checker = new Checker(file);
        var program = checker.CheckProgram(syntax);
        var sorted = DiagnosticRenderer.InSourceOrder(checker.diagnostics);
        return new(sorted.Count == 0 ? program : null, sorted);
    }

    void Error(string code, SourceSpan span, string message, string? help = null) => diagnostics.Add(new Diagnostic(code, message, span, help));

    int Line(SourceSpan span) => file.Position(span.Start).Line;

    static string? DidYouMean(string name, IEnumerable<string> candidates) =>
        Suggestions.Closest(name, candidates) is { } s ? $"did you mean '{s}'?" : null;

    CheckedProgram CheckProgram(ProgramSyntax syntax)
    {
        var seen = new Dictionary<string, BlockSyntax>();
        foreach (var b in syntax.Blocks)
        {
            if (seen.TryGetValue(b.Name.Name, out var first))
                Error(ErrorCode.DuplicateBlock, b.Name.Span, $"'{b.Name}' is already defined at line {Line(first.Name.Span)}");
            else seen[b.Name.Name] = b;
        }
        if (!syntax.Blocks.OfType<ModelSyntax>().Any())
            Error(ErrorCode.NoModel, syntax.Blocks.Count > 0 ? syntax.Blocks[0].Name.Span : SourceSpan.At(0), "the file has no model",
                "a file needs at least one 'model NAME { ... }' block");

        var checkedBlocks = new Dictionary<BlockSyntax, CheckedModel>();
        var models = new Dictionary<string, CheckedModel>();
        foreach (var m in syntax.Blocks.OfType<ModelSyntax>())
        {
            var cm = CheckBlock(m, null);
            checkedBlocks[m] = cm;
            models.TryAdd(m.Name.Name, cm);
        }
        foreach (var g in syntax.Blocks.OfType<GuideSyntax>())
        {
            if (!models.TryGetValue(g.Model.Name, out var model))
            {
                Error(ErrorCode.UnknownModel, g.Model.Span, $"guide '{g.Name}' is for model '{g.Model}', which is not in this file",
                    DidYouMean(g.Model.Name, models.Keys));
                continue;
            }
            var cg = CheckBlock(g, model);
            checkedBlocks[g] = cg;
            CompareGuide(cg, model);
        }
        return new CheckedProgram(file, syntax.Blocks.Where(checkedBlocks.ContainsKey).Select(b => checkedBlocks[b]).ToList());
    }

    CheckedModel CheckBlock(BlockSyntax block, CheckedModel? model)
    {
        scope = new BlockScope(block is GuideSyntax, model?.Data ?? []);
        CollectDeclarations(block.Body);
        var body = Statements(block.Body);
        return new CheckedModel(block, model, body, scope.Data, scope.Parameters, scope.Nets, scope.Latents, scope.Observed);
    }

    static string Kind(ScalarKind k) => k.ToString().ToLowerInvariant();
}
