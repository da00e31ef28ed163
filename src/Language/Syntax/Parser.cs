using System.Text;
using Ppl.Language.Diagnostics;
using Ppl.Language.Text;
using Sprache;

namespace Ppl.Language.Syntax;

/// <summary>
/// source → syntax tree. Runs <see cref="Layout"/>, then <see cref="Grammar.Program"/> with <c>TryParse</c>,
/// turning a Sprache failure into a located diagnostic. To report more than the first syntax error it
/// recovers the way line-oriented compilers do: the statement (one logical line after layout) holding the
/// error is blanked and the file parsed again, as long as that line opens and closes no block, so recovery
/// never invents brace errors of its own.
/// </summary>
public static class Parser
{
    const int MaxErrors = 20;

    /// <summary>Parses a file; the tree is null when there is any syntax error.</summary>
    public static StageResult<ProgramSyntax> Parse(SourceFile file)
    {
        var (text, layoutErrors) = Layout.Apply(file);
        if (layoutErrors.Count > 0) return new(null, layoutErrors);

        var errors = new List<Diagnostic>();
        var buffer = new StringBuilder(text);
        while (true)
        {
            var result = Grammar.Program.TryParse(buffer.ToString());
            if (result.WasSuccessful)
            {
                if (errors.Count > 0) return new(null, errors);
                var literalErrors = CheckLiterals(result.Value);
                return literalErrors.Count > 0 ? new(null, literalErrors) : StageResult<ProgramSyntax>.Ok(result.Value);
            }
            var current = buffer.ToString();
            var at = Grammar.SkipBlanks(result.Remainder).Position;
            errors.Add(Describe(current, at, result.Expectations, result.Message));
            if (errors.Count >= MaxErrors || !BlankStatement(buffer, at)) return new(null, errors);
        }
    }

    /// <summary>"expected X, found Y" at the failure, with the span of the offending token.</summary>
    static Diagnostic Describe(string text, int at, IEnumerable<string> expectations, string message)
    {
        var expected = expectations.Distinct().ToList();
        if (expected.Count > 1) expected.Remove("end of file");
        var (found, length) = FoundAt(text, at);
        string what = expected.Count > 0 ? $"expected {string.Join(" or ", expected)}" : message;
        string? help = found == "'='" && expected.Contains("'~'") ? "a value is given a name with 'let NAME = EXPR'" : null;
        return new Diagnostic(ErrorCode.Syntax, $"{what}, found {found}", new SourceSpan(at, at + length), help);
    }

    /// <summary>What the user wrote at the failure: a word, a number, a symbol, end of line or of file.</summary>
    static (string Text, int Length) FoundAt(string text, int at)
    {
        if (at >= text.Length) return ("end of file", 0);
        char c = text[at];
        if (c == '\n') return ("end of line", 0);
        if (char.IsAsciiLetterOrDigit(c) || c == '_')
        {
            int end = at;
            while (end < text.Length && (char.IsAsciiLetterOrDigit(text[end]) || text[end] == '_' || text[end] == '.')) end++;
            string word = text[at..end].TrimEnd('.');
            return (Grammar.Keywords.Contains(word) ? $"keyword '{word}'" : $"'{word}'", word.Length);
        }
        string[] pairs = ["..", "<=", ">=", "==", "!=", "&&", "||"];
        foreach (var p in pairs)
            if (string.CompareOrdinal(text, at, p, 0, 2) == 0) return ($"'{p}'", 2);
        return ($"'{c}'", 1);
    }

    /// <summary>Blanks the logical line holding <paramref name="at"/> unless it opens or closes a block; false when it cannot.</summary>
    static bool BlankStatement(StringBuilder buffer, int at)
    {
        int start = at, end = at;
        while (start > 0 && buffer[start - 1] != '\n') start--;
        while (end < buffer.Length && buffer[end] != '\n') end++;
        bool any = false;
        for (int k = start; k < end; k++)
        {
            if (buffer[k] is '{' or '}') return false;
            if (buffer[k] is not (' ' or '\t' or '\r')) any = true;
        }
        if (!any) return false;
        for (int k = start; k < end; k++) buffer[k] = ' ';
        return true;
    }

    /// <summary>Numbers the grammar accepts but .NET cannot hold.</summary>
    static List<Diagnostic> CheckLiterals(ProgramSyntax program)
    {
        var errors = new List<Diagnostic>();
        foreach (var node in SyntaxNodes.DescendantsAndSelf(program))
            if (node is NumberExpr n)
            {
                if (n.IsInt && n.Value > int.MaxValue)
                    errors.Add(new Diagnostic(ErrorCode.BadNumber, $"integer {n.Text} is too large (the largest int is {int.MaxValue})", n.Span,
                        "write it as a real, e.g. " + n.Text + ".0"));
                else if (Math.Abs(n.Value) > float.MaxValue)
                    errors.Add(new Diagnostic(ErrorCode.BadNumber, $"number {n.Text} is too large for a 32-bit real", n.Span));
            }
        return errors;
    }
}
