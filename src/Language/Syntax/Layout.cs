using System.Text;
using Ppl.Language.Diagnostics;
using Ppl.Language.Text;

namespace Ppl.Language.Syntax;

/// <summary>
/// The lexical pass before the grammar. Statements end at a newline except inside <c>( )</c> and <c>[ ]</c>,
/// which is a property of bracket nesting, not of any one grammar rule; doing it here keeps every grammar
/// rule single-purpose. The pass returns a copy of the text of the same length in which comments and the
/// newlines inside brackets are blanks, so the grammar only ever sees one logical statement per line and
/// offsets (spans) still point into the original file. Bracket mistakes and foreign characters are found
/// here too, where the opening bracket is still known, which gives better messages than "expected ')'".
/// </summary>
public static class Layout
{
    const string Allowed = "()[]{}+-*/^@<>=!&|~:;,._";

    /// <summary>Deepest bracket nesting accepted; the recursive-descent grammar needs stack per level, and no model needs more.</summary>
    public const int MaxNesting = 64;

    /// <summary>The parser's view of <paramref name="file"/> and any bracket/character errors.</summary>
    public static (string Text, List<Diagnostic> Errors) Apply(SourceFile file)
    {
        string src = file.Text;
        var text = new StringBuilder(src);
        var errors = new List<Diagnostic>();
        var open = new Stack<(char Bracket, int Offset)>();
        for (int i = 0; i < src.Length; i++)
        {
            char c = src[i];
            if (c == '/' && i + 1 < src.Length && src[i + 1] == '/')
            {
                while (i < src.Length && src[i] != '\n') text[i++] = ' ';
                i--;
                continue;
            }
            switch (c)
            {
                case '\n':
                    if (open.Count > 0 && open.Peek().Bracket != '{') text[i] = ' ';
                    break;
                case '\r' or '\t' or ' ':
                    break;
                case '(' or '[':
                    if (open.Count >= MaxNesting) return TooDeep(text, errors, i);
                    open.Push((c, i));
                    break;
                case '{':
                    if (open.Count > 0 && open.Peek().Bracket != '{')
                    {
                        // A block inside a call can only mean the call was never closed: report the call.
                        var (b, at) = open.Peek();
                        errors.Add(new Diagnostic(ErrorCode.UnclosedBracket, $"'{b}' is not closed",
                            new SourceSpan(at, at + 1), $"add '{Closing(b)}' before the '{{' on line {file.Position(i).Line}"));
                        return (text.ToString(), errors);
                    }
                    if (open.Count >= MaxNesting) return TooDeep(text, errors, i);
                    open.Push((c, i));
                    break;
                case ')' or ']' or '}':
                    if (open.Count == 0)
                    {
                        errors.Add(new Diagnostic(ErrorCode.UnmatchedBracket, $"'{c}' has no matching '{Opening(c)}'", new SourceSpan(i, i + 1)));
                        return (text.ToString(), errors);
                    }
                    var (ob, oat) = open.Pop();
                    if (Closing(ob) != c && c == '}')
                    {
                        // A block closes while a call or index is open: the call is what was left unclosed.
                        errors.Add(new Diagnostic(ErrorCode.UnclosedBracket, $"'{ob}' is not closed", new SourceSpan(oat, oat + 1),
                            $"add '{Closing(ob)}' before the '}}' on line {file.Position(i).Line}"));
                        return (text.ToString(), errors);
                    }
                    if (Closing(ob) != c && ob == '{')
                    {
                        errors.Add(new Diagnostic(ErrorCode.UnmatchedBracket, $"'{c}' has no matching '{Opening(c)}'", new SourceSpan(i, i + 1)));
                        return (text.ToString(), errors);
                    }
                    if (Closing(ob) != c)
                    {
                        var (l, col) = file.Position(oat);
                        errors.Add(new Diagnostic(ErrorCode.MismatchedBracket,
                            $"'{c}' does not close the '{ob}' at {l}:{col}", new SourceSpan(i, i + 1), $"expected '{Closing(ob)}'"));
                        return (text.ToString(), errors);
                    }
                    break;
                default:
                    if (char.IsAsciiLetterOrDigit(c) || Allowed.Contains(c)) break;
                    string shown = char.IsControl(c) || char.IsWhiteSpace(c) ? $"U+{(int)c:X4}" : c.ToString();
                    errors.Add(new Diagnostic(ErrorCode.InvalidCharacter, $"invalid character '{shown}'", new SourceSpan(i, i + 1),
                        c > 127 ? "names are ASCII letters, digits and '_'" : null));
                    break;
            }
        }
        if (open.Count > 0)
        {
            // At the end of the file the innermost unclosed bracket is the one most likely lost (a call left
            // open at the last line); a missing '}' mid-file shows up earlier as a mismatch instead.
            var (b, at) = open.Peek();
            errors.Add(new Diagnostic(ErrorCode.UnclosedBracket, $"'{b}' is not closed", new SourceSpan(at, at + 1),
                $"add the matching '{Closing(b)}'"));
        }
        return (text.ToString(), errors);
    }

    static (string, List<Diagnostic>) TooDeep(StringBuilder text, List<Diagnostic> errors, int at)
    {
        errors.Add(new Diagnostic(ErrorCode.TooDeep, $"brackets nest more than {MaxNesting} deep", new SourceSpan(at, at + 1),
            "split the expression with 'let'"));
        return (text.ToString(), errors);
    }

    static char Closing(char open) => open switch { '(' => ')', '[' => ']', _ => '}' };
    static char Opening(char close) => close switch { ')' => '(', ']' => '[', _ => '{' };
}
