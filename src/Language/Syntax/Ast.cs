using Ppl.Language.Text;

namespace Ppl.Language.Syntax;

// The syntax tree of a .ppl file, exactly as written (no names resolved, no types). Every node carries the
// span of the text it came from; the grammar sets it (Grammar.Located), so constructors never take it.

/// <summary>Base of every syntax node: where in the file it was written.</summary>
public abstract record SyntaxNode
{
    /// <summary>The source text this node covers (offsets; see <see cref="SourceFile.Position"/>).</summary>
    public SourceSpan Span { get; init; }
}

/// <summary>A name as written, with its own span (for "unknown name" carets).</summary>
public sealed record Identifier(string Name) : SyntaxNode
{
    /// <inheritdoc/>
    public override string ToString() => Name;
}

/// <summary>A whole file: its model and guide blocks in order.</summary>
public sealed record ProgramSyntax(IReadOnlyList<BlockSyntax> Blocks) : SyntaxNode;

/// <summary>A <c>model</c> or <c>guide</c> block.</summary>
public abstract record BlockSyntax(Identifier Name, IReadOnlyList<Statement> Body) : SyntaxNode;

/// <summary><c>model NAME { ... }</c></summary>
public sealed record ModelSyntax(Identifier Name, IReadOnlyList<Statement> Body) : BlockSyntax(Name, Body);

/// <summary><c>guide NAME for MODEL { ... }</c></summary>
public sealed record GuideSyntax(Identifier Name, Identifier Model, IReadOnlyList<Statement> Body) : BlockSyntax(Name, Body);

/// <summary>
/// A type such as <c>real&lt;lower=0&gt;[N, D]</c> or <c>simplex[K]</c>: a base name, bounds written as
/// <c>lower=A</c>/<c>upper=B</c>, and the bracketed sizes. Names are checked by the checker, not the
/// grammar, so a misspelt <c>reel</c> gets a "did you mean" instead of a bare syntax error.
/// </summary>
public sealed record TypeSyntax(Identifier Base, IReadOnlyList<Argument> Bounds, IReadOnlyList<Expr> Dims) : SyntaxNode;

// ---- statements -------------------------------------------------------------------------------------

/// <summary>Base of statements.</summary>
public abstract record Statement : SyntaxNode;

/// <summary><c>data NAME: TYPE [= DEFAULT]</c></summary>
public sealed record DataDecl(Identifier Name, TypeSyntax Type, Expr? Default) : Statement;

/// <summary><c>param NAME: TYPE [= INIT]</c></summary>
public sealed record ParamDecl(Identifier Name, TypeSyntax Type, Expr? Init) : Statement;

/// <summary><c>net NAME = Mlp(IN, ..., OUT) [activation: relu]</c>; options may also be named arguments of the call.</summary>
public sealed record NetDecl(Identifier Name, CallExpr Constructor, IReadOnlyList<Argument> Options) : Statement;

/// <summary><c>TARGET [: TYPE] ~ DIST [then FLOW ...]</c>: a latent or observed site.</summary>
public sealed record SampleStmt(Expr Target, TypeSyntax? Type, CallExpr Distribution, IReadOnlyList<CallExpr> Flows) : Statement;

/// <summary><c>let NAME = EXPR</c></summary>
public sealed record LetStmt(Identifier Name, Expr Value) : Statement;

/// <summary><c>factor EXPR</c></summary>
public sealed record FactorStmt(Expr Value) : Statement;

/// <summary><c>for VAR in FROM..TO { ... }</c> (TO excluded)</summary>
public sealed record ForStmt(Identifier Variable, Expr From, Expr To, IReadOnlyList<Statement> Body) : Statement;

/// <summary><c>plate VAR in SIZE [subsample M] { ... }</c></summary>
public sealed record PlateStmt(Identifier Variable, Expr Size, Expr? Subsample, IReadOnlyList<Statement> Body) : Statement;

/// <summary><c>if COND { ... } [else { ... } | else if ...]</c>; an <c>else if</c> is an else block holding one <see cref="IfStmt"/>.</summary>
public sealed record IfStmt(Expr Condition, IReadOnlyList<Statement> Then, IReadOnlyList<Statement>? Else) : Statement;

// ---- expressions ------------------------------------------------------------------------------------

/// <summary>Base of expressions.</summary>
public abstract record Expr : SyntaxNode;

/// <summary>A number; <see cref="IsInt"/> when written without a point or exponent.</summary>
public sealed record NumberExpr(double Value, bool IsInt, string Text) : Expr;

/// <summary><c>true</c> or <c>false</c></summary>
public sealed record BoolExpr(bool Value) : Expr;

/// <summary>A name (data, latent, let, loop variable, ...).</summary>
public sealed record NameExpr(string Name) : Expr;

/// <summary>Prefix operators.</summary>
public enum UnaryOp { Negate, Not }

/// <summary><c>-x</c>, <c>!b</c></summary>
public sealed record UnaryExpr(UnaryOp Op, Expr Operand) : Expr;

/// <summary>Infix operators, lowest precedence first.</summary>
public enum BinaryOp { Or, And, Eq, Ne, Lt, Le, Gt, Ge, Add, Sub, Mul, Div, MatMul, Pow }

/// <summary><c>a OP b</c></summary>
public sealed record BinaryExpr(BinaryOp Op, Expr Left, Expr Right) : Expr;

/// <summary><c>f(args)</c>: a function, a distribution, a flow, a network constructor or a net call.</summary>
public sealed record CallExpr(Identifier Callee, IReadOnlyList<Argument> Args) : Expr;

/// <summary>A call argument, by position (<see cref="Name"/> null) or by name (<c>logits: h</c>).</summary>
public sealed record Argument(Identifier? Name, Expr Value) : SyntaxNode;

/// <summary><c>x[i]</c>, <c>x[i, j]</c>, <c>x[a:b]</c></summary>
public sealed record IndexExpr(Expr Target, IReadOnlyList<IndexArg> Indices) : Expr;

/// <summary>One position inside <c>[...]</c>.</summary>
public abstract record IndexArg : SyntaxNode;

/// <summary>An index or an int array of indices (a gather).</summary>
public sealed record PointIndex(Expr Index) : IndexArg;

/// <summary><c>from:to</c>, either end optional (to excluded).</summary>
public sealed record SliceIndex(Expr? From, Expr? To) : IndexArg;

/// <summary><c>[a, b, c]</c></summary>
public sealed record VectorExpr(IReadOnlyList<Expr> Items) : Expr;
