using Ppl.Language.Text;

namespace Ppl.Language.Diagnostics;

/// <summary>
/// One error found in a <c>.ppl</c> file: a stable code (<see cref="ErrorCode"/>), a message, where it is, and
/// an optional <c>help:</c> line (a "did you mean", or how to fix it). Every stage reports these instead of
/// throwing, so a run can list all its errors and never shows a stack trace for bad input.
/// </summary>
public sealed record Diagnostic(string Code, string Message, SourceSpan Span, string? Help = null)
{
    /// <summary>Syntax errors are PPL1xxx, semantic PPL2xxx, internal PPL3xxx, data/runtime PPL4xxx.</summary>
    public bool IsInternal => Code.StartsWith("PPL3", StringComparison.Ordinal);
}
