using Ppl.Language.Text;

namespace Ppl.Language.Semantics;

/// <summary>
/// What the checker knows while it checks one model or guide: the nested name scopes, the plates and loops
/// open at the current statement, and the symbols and sites the block has declared so far. Made fresh for each
/// block, so nothing of one block leaks into the next.
/// </summary>
sealed class BlockScope
{
    readonly List<Dictionary<string, Symbol>> scopes = [new()];

    /// <summary>A block scope; a guide starts with its model's data in view.</summary>
    public BlockScope(bool isGuide, IEnumerable<DataSymbol> modelData)
    {
        IsGuide = isGuide;
        foreach (var d in modelData)
        {
            scopes[0][d.Name] = d;
            Data.Add(d);
        }
    }

    /// <summary>True while checking a guide.</summary>
    public bool IsGuide { get; }

    /// <summary>Every name the block declares anywhere, with its place (for "used before its definition").</summary>
    public Dictionary<string, SourceSpan> DeclaredInBlock { get; } = new();

    /// <summary>Every symbol declared so far, visible or not (for "defined inside a block and not visible here").</summary>
    public Dictionary<string, Symbol> EverDeclared { get; } = new();

    /// <summary>Run-time site names taken so far on the current path through the block.</summary>
    public Dictionary<string, SourceSpan> SiteNames { get; set; } = new();

    /// <summary>Plates by name: a plate entered again is the same plate.</summary>
    public Dictionary<string, PlateSymbol> PlatesByName { get; } = new();

    /// <summary>The plates open at the current statement, outermost first.</summary>
    public List<PlateSymbol> Plates { get; } = new();

    /// <summary>The sequential loops open at the current statement, outermost first.</summary>
    public List<IndexSymbol> Loops { get; } = new();

    /// <summary>Latent sites, in order of first sampling.</summary>
    public List<SiteSymbol> Latents { get; } = new();

    /// <summary>Observe statements, in source order.</summary>
    public List<BoundSample> Observed { get; } = new();

    /// <summary>Data items (a guide's are its model's).</summary>
    public List<DataSymbol> Data { get; } = new();

    /// <summary>Point parameters.</summary>
    public List<ParamSymbol> Parameters { get; } = new();

    /// <summary>Networks.</summary>
    public List<NetSymbol> Nets { get; } = new();

    /// <summary>Factors so far (each gets its own site name).</summary>
    public int FactorCount { get; set; }

    /// <summary>How many for, plate and if statements enclose the current one.</summary>
    public int Nesting { get; set; }

    /// <summary>The innermost visible symbol of that name.</summary>
    public Symbol? Lookup(string name)
    {
        for (int k = scopes.Count - 1; k >= 0; k--)
            if (scopes[k].TryGetValue(name, out var s)) return s;
        return null;
    }

    /// <summary>Every visible name (for "did you mean").</summary>
    public IEnumerable<string> VisibleNames() => scopes.SelectMany(s => s.Keys).Distinct();

    /// <summary>Adds a symbol to the innermost scope, or the outermost (element-wise families outlive their loop).</summary>
    public void Add(Symbol symbol, bool outermost)
    {
        (outermost ? scopes[0] : scopes[^1])[symbol.Name] = symbol;
        EverDeclared.TryAdd(symbol.Name, symbol);
    }

    /// <summary>Opens a nested scope (a for, plate or if body).</summary>
    public void Push() => scopes.Add(new Dictionary<string, Symbol>());

    /// <summary>Closes the innermost scope.</summary>
    public void Pop() => scopes.RemoveAt(scopes.Count - 1);

    /// <summary>The open plates among those <paramref name="parts"/> vary over, in nesting order.</summary>
    public List<PlateSymbol> MergePlates(params BoundExpr[] parts) => Plates.Where(p => parts.Any(e => e.Plates.Contains(p))).ToList();
}
