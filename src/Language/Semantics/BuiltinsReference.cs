using System.Text;

namespace Ppl.Language.Semantics;

/// <summary>
/// The language reference for everything <see cref="Builtins"/> knows, as Markdown. Generated from the same
/// table the checker and emitter use, so the documentation cannot drift from what the compiler accepts
/// (docs/builtins.md is this text, kept current by a golden test; docs/language.md links it).
/// </summary>
public static class BuiltinsReference
{
    /// <summary>The reference page.</summary>
    public static string Markdown()
    {
        var sb = new StringBuilder();
        sb.Append("# Built-in names of the .ppl language\n\n");
        sb.Append("Generated from `src/Language/Semantics/Builtins.cs` (the table the checker and the C# emitter use); do not edit.\n\n");

        sb.Append("## Distributions\n\n");
        sb.Append("Arguments by position or by name; `|` separates alternative parameterisations, chosen by the argument names.\n\n");
        sb.Append("| distribution | arguments | support | values | draws |\n|---|---|---|---|---|\n");
        foreach (var d in Builtins.Distributions.Values.OrderBy(d => d.Name, StringComparer.Ordinal))
        {
            string args = string.Join(" \\| ", d.Signatures.Select(s => "(" + string.Join(", ", s.Params.Select(Param)) + ")"));
            string values = d.ValueKind == ScalarKind.Int ? "int" + (d.ObservesReals ? " (observes reals in [0, 1])" : "") : d.EventRank > 0 ? "real vector" : "real";
            string draws = d.Reparameterized ? "reparameterized (pathwise gradient)" : "discrete (score function or enumeration)";
            sb.Append($"| `{d.Name}` | {args} | {Builtins.Describe(d.Support)} | {values} | {draws} |\n");
        }

        sb.Append("\n## Functions\n\n| function | arguments | result | meaning |\n|---|---|---|---|\n");
        foreach (var f in Builtins.Functions.Values.OrderBy(f => f.Name, StringComparer.Ordinal))
        {
            string arity = f.MinArgs == f.MaxArgs ? $"{f.MinArgs}" : f.Shape == FunctionShape.Fill ? "sizes..." : f.Shape == FunctionShape.Reshape ? "x, sizes..." : $"{f.MinArgs}–{f.MaxArgs}";
            string result = f.Shape switch
            {
                FunctionShape.Elementwise => "elementwise, broadcast",
                FunctionShape.Reduction => "scalar per plate element",
                FunctionShape.LastAxis => "same shape, along the last dimension",
                FunctionShape.Dot => "scalar",
                FunctionShape.Transpose => "matrix, dimensions swapped",
                FunctionShape.Fill => "real tensor of the given shape",
                FunctionShape.Size => "int",
                FunctionShape.Where => "elementwise, broadcast",
                FunctionShape.Reshape => "x's kind, the given shape (per plate element)",
                _ => f.Shape.ToString(),
            };
            sb.Append($"| `{f.Name}` | {arity} | {result} | {f.Summary} |\n");
        }

        sb.Append("\n## Flows (after `then`)\n\n| flow | arguments | what |\n|---|---|---|\n");
        foreach (var f in Builtins.Flows.Values.OrderBy(f => f.Name, StringComparer.Ordinal))
            sb.Append($"| `{f.Name}` | (layers{string.Concat(f.Options.Select(o => $", {o}: ..."))}) | {f.Summary} |\n");

        sb.Append("\n## Networks\n\n");
        sb.Append($"`net NAME = {string.Join(" | ", Builtins.NetKinds)}(IN, H1, ..., OUT) [activation: {string.Join(" | ", Builtins.Activations)}]` (default {Builtins.Activations[0]}).\n");
        sb.Append("\n## Types\n\n");
        sb.Append(string.Join(", ", Builtins.TypeNames.Select(t => $"`{t}`")));
        sb.Append("; bounds `<lower=A, upper=B>` on `int` and `real`; sizes in brackets (`real[N, D]`, `simplex[K]`, `cov_matrix[K]`).\n");
        return sb.ToString();
    }

    static string Param(ParamInfo p) => p.EventRank switch { 1 => p.Name + " (vector)", 2 => p.Name + " (matrix)", _ => p.Name };
}
