using Ppl.Language.Diagnostics;
using Ppl.Language.Emit;
using Ppl.Runtime.Data;
using Ppl.Runtime.Models;

namespace Ppl.Language.Build;

/// <summary>
/// Checks that the runtime this compiler runs against has every type and factory the generated code names.
/// The language knows the whole distribution table of docs/language.md (§1.7) before the runtime implements all of it; a
/// model using a missing piece gets one clear internal error at its .ppl line instead of a page of C# errors.
/// </summary>
public static class RuntimeSupport
{
    /// <summary>The generated source when the runtime has all it needs; else PPL3003 for each missing type or member (once each).</summary>
    public static StageResult<GeneratedSource> Check(GeneratedSource generated)
    {
        var requirements = generated.Requirements;
        var runtime = typeof(IModel).Assembly;
        var diagnostics = new List<Diagnostic>();
        var seen = new HashSet<string>();
        foreach (var r in requirements)
        {
            string key = r.TypeName + "." + r.Member;
            if (!seen.Add(key)) continue;
            var type = runtime.GetType(r.TypeName);
            bool ok = type is not null && (r.Member is null || type.GetMember(r.Member).Length > 0);
            if (!ok)
                diagnostics.Add(new Diagnostic(ErrorCode.RuntimeMissing,
                    $"{r.What} is not available in this build of the runtime ({r.TypeName}{(r.Member is null ? "" : "." + r.Member)} is missing)",
                    r.At, "the language accepts it, but Ppl.Runtime does not implement it yet"));
        }
        return diagnostics.Count == 0 ? StageResult<GeneratedSource>.Ok(generated) : new(null, DiagnosticRenderer.InSourceOrder(diagnostics));
    }
}
