using Ppl.Language.Text;
using Sprache;

namespace Ppl.Language.Syntax;

/// <summary>
/// The grammar of <c>.ppl</c> files (docs/language.md §1) as Sprache parsers, leaf rules first: lexical tokens,
/// expressions by rising precedence, types, statements, blocks, the file. It runs on the text as rewritten
/// by <see cref="Layout"/> (no comments; newlines only where a statement may end).
/// <para>
/// Conventions that make error positions good: a token skips the blanks <em>before</em> it, never after, so
/// node spans end at their last character; a token that does not match fails without consuming input, so
/// <c>XOr</c>/<c>XOptional</c>/<c>XMany</c> commit as soon as a rule has seen its first token and report the
/// deepest failure instead of backtracking to a vague one. Real backtracking is used in exactly one place,
/// the <c>name:</c> prefix of a named argument.
/// </para>
/// </summary>
public static class Grammar
{
    /// <summary>Words that cannot be names.</summary>
    public static readonly IReadOnlySet<string> Keywords = new HashSet<string>(StringComparer.Ordinal)
    {
        "model", "guide", "for", "data", "param", "net", "let", "factor", "plate", "in", "subsample",
        "if", "else", "then", "true", "false",
    };

    // ---- lexical ------------------------------------------------------------------------------------

    static bool IsBlank(char c) => c is ' ' or '\t' or '\r';
    static bool IsWordChar(char c) => char.IsAsciiLetterOrDigit(c) || c == '_';

    /// <summary>Skips spaces and tabs (never a newline: newlines end statements).</summary>
    public static IInput SkipBlanks(IInput i)
    {
        while (!i.AtEnd && IsBlank(i.Current)) i = i.Advance();
        return i;
    }

    static IResult<T> Fail<T>(IInput at, string expected) => Result.Failure<T>(at, $"expected {expected}", [expected]);

    /// <summary>A keyword: the word, not followed by a name character. Example: <c>let</c> (but not <c>letter</c>).</summary>
    static Parser<string> Keyword(string word) => i =>
    {
        var j = SkipBlanks(i);
        foreach (char ch in word)
        {
            if (j.AtEnd || j.Current != ch) return Fail<string>(i, $"'{word}'");
            j = j.Advance();
        }
        return !j.AtEnd && IsWordChar(j.Current) ? Fail<string>(i, $"'{word}'") : Result.Success(word, j);
    };

    /// <summary>A punctuation token, not followed by any of <paramref name="notBefore"/> (so <c>&lt;</c> is not the start of <c>&lt;=</c>).</summary>
    static Parser<string> Sym(string symbol, string notBefore = "") => i =>
    {
        var j = SkipBlanks(i);
        foreach (char ch in symbol)
        {
            if (j.AtEnd || j.Current != ch) return Fail<string>(i, $"'{symbol}'");
            j = j.Advance();
        }
        return !j.AtEnd && notBefore.Contains(j.Current) ? Fail<string>(i, $"'{symbol}'") : Result.Success(symbol, j);
    };

    // example: theta_raw
    /// <summary>A name: an ASCII letter or '_' then letters, digits, '_'; never a keyword.</summary>
    public static readonly Parser<Identifier> Ident = i =>
    {
        var start = SkipBlanks(i);
        if (start.AtEnd || !(char.IsAsciiLetter(start.Current) || start.Current == '_')) return Fail<Identifier>(i, "name");
        var j = start;
        var sb = new System.Text.StringBuilder();
        while (!j.AtEnd && IsWordChar(j.Current)) { sb.Append(j.Current); j = j.Advance(); }
        string word = sb.ToString();
        if (Keywords.Contains(word)) return Fail<Identifier>(i, "name");
        return Result.Success(new Identifier(word) { Span = new SourceSpan(start.Position, j.Position) }, j);
    };

    // example: 42   3.5   1e-3   2.5E+10   (not "0." in "0..N": a point must be followed by a digit)
    /// <summary>A number; int when written without point or exponent.</summary>
    public static readonly Parser<Expr> Number = i =>
    {
        var start = SkipBlanks(i);
        if (start.AtEnd || !char.IsAsciiDigit(start.Current)) return Fail<Expr>(i, "number");
        var sb = new System.Text.StringBuilder();
        var j = start;
        bool isInt = true;
        void Digits() { while (!j.AtEnd && char.IsAsciiDigit(j.Current)) { sb.Append(j.Current); j = j.Advance(); } }
        Digits();
        if (!j.AtEnd && j.Current == '.')
        {
            var k = j.Advance();
            if (!k.AtEnd && char.IsAsciiDigit(k.Current)) { sb.Append('.'); j = k; Digits(); isInt = false; }
        }
        if (!j.AtEnd && (j.Current == 'e' || j.Current == 'E'))
        {
            var k = j.Advance();
            string sign = "";
            if (!k.AtEnd && (k.Current == '+' || k.Current == '-')) { sign = k.Current.ToString(); k = k.Advance(); }
            if (!k.AtEnd && char.IsAsciiDigit(k.Current)) { sb.Append('e').Append(sign); j = k; Digits(); isInt = false; }
        }
        if (!j.AtEnd && IsWordChar(j.Current)) return Fail<Expr>(i, "number");   // 12abc is not a number
        string text = sb.ToString();
        double value = double.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
        return Result.Success<Expr>(new NumberExpr(value, isInt, text) { Span = new SourceSpan(start.Position, j.Position) }, j);
    };

    /// <summary>Sets a node's span to the text its parser consumed (after leading blanks).</summary>
    static Parser<T> Located<T>(this Parser<T> parser) where T : SyntaxNode => i =>
    {
        var start = SkipBlanks(i);
        var r = parser(start);
        if (!r.WasSuccessful)
            return r.Remainder.Equals(start) ? Result.Failure<T>(i, r.Message, r.Expectations) : r;
        var node = (T)((SyntaxNode)r.Value with { Span = new SourceSpan(start.Position, r.Remainder.Position) });
        return Result.Success(node, r.Remainder);
    };

    // example: ";"  or a newline, or nothing before "}"
    /// <summary>The end of a statement: a newline or ';' (consumed), or a following '}' or end of file (not consumed).</summary>
    static readonly Parser<string> EndOfStatement = i =>
    {
        var j = SkipBlanks(i);
        if (j.AtEnd || j.Current == '}') return Result.Success("", j);
        if (j.Current is '\n' or ';') return Result.Success(j.Current.ToString(), j.Advance());
        return Fail<string>(i, "end of line");
    };

    /// <summary>The end of the text (fails without consuming, unlike Sprache's <c>End</c> after a token).</summary>
    static readonly Parser<string> EndOfFile = i => i.AtEnd ? Result.Success("", i) : Fail<string>(i, "end of file");

    /// <summary>Any run of blanks, newlines and ';' between statements and blocks.</summary>
    static readonly Parser<string> Separators = i =>
    {
        while (!i.AtEnd && (IsBlank(i.Current) || i.Current is '\n' or ';')) i = i.Advance();
        return Result.Success("", i);
    };

    // ---- expressions, by rising precedence ----------------------------------------------------------

    /// <summary>Forward reference for recursion (parenthesised expressions, arguments, indices).</summary>
    static readonly Parser<Expr> ExprRef = Parse.Ref(() => Expression);

    // example: Normal(0, 5)   Bernoulli(logits: h)   Mlp(784, 400, 40, activation: relu)
    /// <summary>A call argument, by position or by name; the name prefix is the grammar's one backtracking point.</summary>
    public static readonly Parser<Argument> Arg =
        (from name in (from id in Ident from colon in Sym(":") select id).Optional()
         from value in ExprRef
         select new Argument(name.GetOrDefault(), value)).Located();

    // example: (0, 5)   ()
    /// <summary>A parenthesised argument list.</summary>
    static readonly Parser<IReadOnlyList<Argument>> ArgList =
        from open in Sym("(")
        from args in Sym(")").Return((IReadOnlyList<Argument>)[])
            .XOr(from first in Arg
                 from rest in Sym(",").Then(_ => Arg).XMany()
                 from close in Sym(")")
                 select (IReadOnlyList<Argument>)[first, .. rest])
        select args;

    // example: Normal(theta, sigma)
    /// <summary>A call that must have an argument list (distributions, flows, nets).</summary>
    public static readonly Parser<CallExpr> Call =
        (from callee in Ident
         from args in ArgList
         select new CallExpr(callee, args)).Located();

    // example: mu   exp(x)   decoder(z)
    /// <summary>A name, or a call when '(' follows.</summary>
    static readonly Parser<Expr> NameOrCall =
        (from id in Ident
         from args in ArgList.XOptional()
         select args.IsDefined ? new CallExpr(id, args.Get()) : (Expr)new NameExpr(id.Name)).Located();

    // example: [1, 2, 3]
    /// <summary>A vector literal.</summary>
    static readonly Parser<Expr> Vector =
        (from open in Sym("[")
         from first in ExprRef
         from rest in Sym(",").Then(_ => ExprRef).XMany()
         from close in Sym("]")
         select (Expr)new VectorExpr([first, .. rest])).Located();

    // example: (a + b)
    /// <summary>A parenthesised expression (the node keeps the inner span).</summary>
    static readonly Parser<Expr> Parenthesised =
        from open in Sym("(")
        from e in ExprRef
        from close in Sym(")")
        select e;

    // example: true
    /// <summary><c>true</c> / <c>false</c>.</summary>
    static readonly Parser<Expr> Bool =
        Keyword("true").Return((Expr)new BoolExpr(true)).Located()
            .XOr(Keyword("false").Return((Expr)new BoolExpr(false)).Located());

    /// <summary>An atom: number, bool, name or call, vector literal, parenthesised expression.</summary>
    static readonly Parser<Expr> Primary = Number.XOr(Bool).XOr(NameOrCall).XOr(Vector).XOr(Parenthesised);

    // example: x[n]   h[0:20]   x[i, j]   b[spray]   y[:k]
    /// <summary>One position of an index list: a slice (either end optional) or an index.</summary>
    static readonly Parser<IndexArg> IndexArgument =
        (from colon in Sym(":")
         from to in ExprRef.XOptional()
         select (IndexArg)new SliceIndex(null, to.GetOrDefault())).Located()
        .XOr((from from_ in ExprRef
              from slice in Sym(":").Then(_ => ExprRef.XOptional()).XOptional()
              select slice.IsDefined ? new SliceIndex(from_, slice.Get().GetOrDefault()) : (IndexArg)new PointIndex(from_)).Located());

    /// <summary>A bracketed index list.</summary>
    static readonly Parser<IReadOnlyList<IndexArg>> IndexList =
        from open in Sym("[")
        from first in IndexArgument
        from rest in Sym(",").Then(_ => IndexArgument).XMany()
        from close in Sym("]")
        select (IReadOnlyList<IndexArg>)[first, .. rest];

    // example: x[n][0:2]
    /// <summary>A primary followed by any number of index lists.</summary>
    static readonly Parser<Expr> Postfix = i =>
    {
        var r = Primary(i);
        if (!r.WasSuccessful) return r;
        Expr e = r.Value;
        var rest = r.Remainder;
        while (true)
        {
            var idx = IndexList(rest);
            if (!idx.WasSuccessful)
                return idx.Remainder.Equals(rest) ? Result.Success(e, rest) : Result.Failure<Expr>(idx.Remainder, idx.Message, idx.Expectations);
            e = new IndexExpr(e, idx.Value) { Span = new SourceSpan(e.Span.Start, idx.Remainder.Position) };
            rest = idx.Remainder;
        }
    };

    // example: -x   !flag   (binds looser than ^: -x^2 is -(x^2))
    /// <summary>Prefix minus and not.</summary>
    static readonly Parser<Expr> Unary =
        (from op in Sym("-").Return(UnaryOp.Negate).XOr(Sym("!", "=").Return(UnaryOp.Not))
         from operand in Parse.Ref(() => Unary)
         select (Expr)new UnaryExpr(op, operand)).Located()
        .XOr(Parse.Ref(() => Power)).Named("expression");

    // example: x ^ 2   2 ^ -k   (right associative: a^b^c is a^(b^c))
    /// <summary>Exponentiation; its right operand is a unary so <c>2^-1</c> works.</summary>
    static readonly Parser<Expr> Power =
        from b in Postfix
        from e in Sym("^").Then(_ => Unary).XOptional()
        select e.IsDefined ? new BinaryExpr(BinaryOp.Pow, b, e.Get()) { Span = b.Span.Union(e.Get().Span) } : b;

    /// <summary>Left-associative chain <c>a op b op c</c>; once an operator is read its right operand is required.</summary>
    static Parser<Expr> ChainLeft(Parser<Expr> operand, Parser<BinaryOp> op, bool single = false) => i =>
    {
        var left = operand(i);
        if (!left.WasSuccessful) return left;
        Expr acc = left.Value;
        var rest = left.Remainder;
        do
        {
            var o = op(rest);
            if (!o.WasSuccessful) break;
            var right = operand(o.Remainder);
            if (!right.WasSuccessful) return right;
            acc = new BinaryExpr(o.Value, acc, right.Value) { Span = acc.Span.Union(right.Value.Span) };
            rest = right.Remainder;
        } while (!single);
        return Result.Success(acc, rest);
    };

    // example: a * b   x / 255   W @ x
    /// <summary>Multiplicative operators (<c>@</c> is the matrix product).</summary>
    static readonly Parser<Expr> Multiplicative = ChainLeft(Unary,
        Sym("*").Return(BinaryOp.Mul).XOr(Sym("/").Return(BinaryOp.Div)).XOr(Sym("@").Return(BinaryOp.MatMul)));

    // example: mu + tau * theta_raw
    /// <summary>Additive operators; also the level used for type bounds, where '&gt;' closes the bounds.</summary>
    public static readonly Parser<Expr> Additive = ChainLeft(Multiplicative,
        Sym("+").Return(BinaryOp.Add).XOr(Sym("-").Return(BinaryOp.Sub)));

    // example: x <= 3   (not associative: a < b < c is an error)
    /// <summary>Comparisons.</summary>
    static readonly Parser<Expr> Comparison = ChainLeft(Additive,
        Sym("==").Return(BinaryOp.Eq).XOr(Sym("!=").Return(BinaryOp.Ne))
            .XOr(Sym("<=").Return(BinaryOp.Le)).XOr(Sym(">=").Return(BinaryOp.Ge))
            .XOr(Sym("<", "=").Return(BinaryOp.Lt)).XOr(Sym(">", "=").Return(BinaryOp.Gt)), single: true);

    // example: a && b
    /// <summary>Logical and.</summary>
    static readonly Parser<Expr> Conjunction = ChainLeft(Comparison, Sym("&&").Return(BinaryOp.And));

    // example: a || !b
    /// <summary>Any expression (logical or is the loosest operator).</summary>
    public static readonly Parser<Expr> Expression = ChainLeft(Conjunction, Sym("||").Return(BinaryOp.Or)).Named("expression");

    // ---- types --------------------------------------------------------------------------------------

    // example: lower=0
    /// <summary>One bound of a type; its value stops before comparisons so '&gt;' can close the list.</summary>
    static readonly Parser<Argument> Bound =
        (from name in Ident
         from eq in Sym("=", "=")
         from value in Additive
         select new Argument(name, value)).Located();

    // example: <lower=0, upper=1>
    /// <summary>A bound list.</summary>
    static readonly Parser<IReadOnlyList<Argument>> Bounds =
        from open in Sym("<", "=")
        from first in Bound
        from rest in Sym(",").Then(_ => Bound).XMany()
        from close in Sym(">")
        select (IReadOnlyList<Argument>)[first, .. rest];

    // example: [N, 2 * K]
    /// <summary>A size list.</summary>
    static readonly Parser<IReadOnlyList<Expr>> Dims =
        from open in Sym("[")
        from first in Expression
        from rest in Sym(",").Then(_ => Expression).XMany()
        from close in Sym("]")
        select (IReadOnlyList<Expr>)[first, .. rest];

    // example: real<lower=0>[J]   int   simplex[K]   cov_matrix[D]
    /// <summary>A type.</summary>
    public static readonly Parser<TypeSyntax> Type =
        (from name in Ident.Named("type")
         from bounds in Bounds.XOptional()
         from dims in Dims.XOptional()
         select new TypeSyntax(name, bounds.GetOrElse([]), dims.GetOrElse([]))).Located();

    // ---- statements ---------------------------------------------------------------------------------

    /// <summary>Forward reference to a braced block (blocks nest).</summary>
    static readonly Parser<IReadOnlyList<Statement>> BlockRef = Parse.Ref(() => Block);

    // example: data sigma: real<lower=0>[J]
    /// <summary>A data declaration with an optional default.</summary>
    static readonly Parser<Statement> DataDeclaration =
        (from kw in Keyword("data")
         from name in Ident
         from colon in Sym(":")
         from type in Type
         from value in Sym("=", "=").Then(_ => Expression).XOptional()
         select (Statement)new DataDecl(name, type, value.GetOrDefault())).Located();

    // example: param w: real[D] = zeros(D)
    /// <summary>A point-parameter declaration with an optional initial value.</summary>
    static readonly Parser<Statement> ParamDeclaration =
        (from kw in Keyword("param")
         from name in Ident
         from colon in Sym(":")
         from type in Type
         from value in Sym("=", "=").Then(_ => Expression).XOptional()
         select (Statement)new ParamDecl(name, type, value.GetOrDefault())).Located();

    // example: activation: tanh
    /// <summary>A trailing <c>name: value</c> option of a net declaration.</summary>
    static readonly Parser<Argument> Option =
        (from name in Ident
         from colon in Sym(":")
         from value in Expression
         select new Argument(name, value)).Located();

    // example: net decoder = Mlp(20, 400, 784) activation: relu
    /// <summary>A neural network declaration.</summary>
    static readonly Parser<Statement> NetDeclaration =
        (from kw in Keyword("net")
         from name in Ident
         from eq in Sym("=", "=")
         from ctor in Call
         from options in Option.XMany()
         select (Statement)new NetDecl(name, ctor, options.ToList())).Located();

    // example: let theta = mu + tau * theta_raw
    /// <summary>A deterministic value.</summary>
    static readonly Parser<Statement> LetStatement =
        (from kw in Keyword("let")
         from name in Ident
         from eq in Sym("=", "=")
         from value in Expression
         select (Statement)new LetStmt(name, value)).Located();

    // example: factor -0.5 * dot(x, x)
    /// <summary>An extra log-density term.</summary>
    static readonly Parser<Statement> FactorStatement =
        (from kw in Keyword("factor")
         from value in Expression
         select (Statement)new FactorStmt(value)).Located();

    // example: for t in 1..T { z[t] ~ Normal(z[t - 1], s) }
    /// <summary>A sequential loop over <c>from..to</c> (to excluded).</summary>
    static readonly Parser<Statement> ForStatement =
        (from kw in Keyword("for")
         from variable in Ident
         from in_ in Keyword("in")
         from lo in Expression
         from dots in Sym("..")
         from hi in Expression
         from body in BlockRef
         select (Statement)new ForStmt(variable, lo, hi, body)).Located();

    // example: plate n in N subsample 128 { x[n] ~ Bernoulli(logits: decoder(z[n])) }
    /// <summary>A plate of conditionally independent copies, optionally subsampled.</summary>
    static readonly Parser<Statement> PlateStatement =
        (from kw in Keyword("plate")
         from variable in Ident
         from in_ in Keyword("in")
         from size in Expression
         from sub in Keyword("subsample").Then(_ => Expression).XOptional()
         from body in BlockRef
         select (Statement)new PlateStmt(variable, size, sub.GetOrDefault(), body)).Located();

    // example: else   (may start the line after the closing brace)
    /// <summary>The <c>else</c> keyword, possibly on a later line; backtracks over the newlines when absent.</summary>
    static readonly Parser<string> ElseKeyword = (from gap in Separators from kw in Keyword("else") select kw).Optional()
        .Select(o => o.GetOrDefault() ?? "");

    // example: if K > 1 { ... } else if K == 1 { ... } else { ... }
    /// <summary>Branching; <c>else if</c> nests.</summary>
    static readonly Parser<Statement> IfStatement =
        (from kw in Keyword("if")
         from cond in Expression
         from then in BlockRef
         from els in ElseKeyword
         from elseBody in els.Length == 0
             ? Parse.Return<IReadOnlyList<Statement>?>(null)
             : Parse.Ref(() => IfStatement).Select(s => (IReadOnlyList<Statement>?)[s]).XOr(BlockRef.Select(b => (IReadOnlyList<Statement>?)b))
         select (Statement)new IfStmt(cond, then, elseBody)).Located();

    // example: then Iaf(2, hidden: 64)
    /// <summary>One flow of a <c>then</c> chain.</summary>
    static readonly Parser<CallExpr> Flow = Keyword("then").Then(_ => Call);

    // example: theta_raw: real[J] ~ Normal(0, 1)     x[n] / 255 ~ Bernoulli(logits: h)
    /// <summary>A sample or observe statement.</summary>
    static readonly Parser<Statement> SampleStatement =
        (from target in Expression
         from type in Sym(":").Then(_ => Type).XOptional()
         from tilde in Sym("~")
         from dist in Call.Named("distribution")
         from flows in Flow.XMany()
         select (Statement)new SampleStmt(target, type.GetOrDefault(), dist, flows.ToList())).Located();

    /// <summary>Any statement; a keyword decides which, everything else is a sample statement.</summary>
    public static readonly Parser<Statement> Statement =
        DataDeclaration.XOr(ParamDeclaration).XOr(NetDeclaration).XOr(LetStatement).XOr(FactorStatement)
            .XOr(ForStatement).XOr(PlateStatement).XOr(IfStatement).XOr(SampleStatement).Named("statement");

    /// <summary>
    /// Items up to a closing token, as a loop rather than recursion so long files cannot exhaust the stack.
    /// At each step the closing token is tried first; otherwise the item must parse (its failure is the error).
    /// </summary>
    static Parser<IReadOnlyList<T>> Until<T>(Parser<T> item, Parser<string> close) => i =>
    {
        var list = new List<T>();
        while (true)
        {
            var c = close(i);
            if (c.WasSuccessful) return Result.Success((IReadOnlyList<T>)list, c.Remainder);
            var r = item(i);
            if (!r.WasSuccessful)
                return r.Remainder.Equals(i)
                    ? Result.Failure<IReadOnlyList<T>>(i, r.Message, c.Expectations.Concat(r.Expectations))
                    : Result.Failure<IReadOnlyList<T>>(r.Remainder, r.Message, r.Expectations);
            list.Add(r.Value);
            i = r.Remainder;
        }
    };

    /// <summary>A statement with its terminator and the blank lines after it.</summary>
    static readonly Parser<Statement> TerminatedStatement =
        from s in Statement
        from end in EndOfStatement
        from gap in Separators
        select s;

    /// <summary>Statements up to and including the closing brace.</summary>
    static readonly Parser<IReadOnlyList<Statement>> StatementsToClose = Until(TerminatedStatement, Sym("}"));

    // example: { mu ~ Normal(0, 5) }
    /// <summary>A braced statement list.</summary>
    public static readonly Parser<IReadOnlyList<Statement>> Block =
        from open in Sym("{")
        from gap in Separators
        from body in StatementsToClose
        select body;

    // ---- blocks and the file ------------------------------------------------------------------------

    // example: model Coin { ... }
    /// <summary>A model block.</summary>
    static readonly Parser<BlockSyntax> ModelBlock =
        (from kw in Keyword("model")
         from name in Ident
         from body in Block
         select (BlockSyntax)new ModelSyntax(name, body)).Located();

    // example: guide CoinGuide for Coin { ... }
    /// <summary>A guide block.</summary>
    static readonly Parser<BlockSyntax> GuideBlock =
        (from kw in Keyword("guide")
         from name in Ident
         from for_ in Keyword("for")
         from model in Ident
         from body in Block
         select (BlockSyntax)new GuideSyntax(name, model, body)).Located();

    /// <summary>A model or guide block with the blank lines after it.</summary>
    static readonly Parser<BlockSyntax> SeparatedBlock =
        from b in ModelBlock.XOr(GuideBlock).Named("'model' or 'guide'")
        from gap in Separators
        select b;

    /// <summary>Blocks up to the end of the file.</summary>
    static readonly Parser<IReadOnlyList<BlockSyntax>> BlocksToEnd = Until(SeparatedBlock, EndOfFile);

    // example: a whole file
    /// <summary>The top rule: a file of model and guide blocks, to the end of the text.</summary>
    public static readonly Parser<ProgramSyntax> Program =
        (from gap in Separators
         from blocks in BlocksToEnd
         select new ProgramSyntax(blocks)).Located().End();
}
