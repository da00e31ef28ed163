using Ppl.Language.Text;

namespace Ppl.Language.Emit;

/// <summary>A runtime type (and optionally a static member) the generated code needs, with the .ppl place that needs it.</summary>
public sealed record RuntimeRequirement(string TypeName, string? Member, SourceSpan At, string What);

/// <summary>The generated source and what it needs from the runtime.</summary>
/// <param name="Source">The C# text.</param>
/// <param name="SourceHash">SHA-256 of the .ppl text (hex), also in the header.</param>
/// <param name="Classes">Block name → fully qualified generated class name.</param>
/// <param name="Requirements">Runtime types and members the code refers to, for a clear error when the runtime lacks one.</param>
public sealed record GeneratedSource(string Source, string SourceHash, IReadOnlyDictionary<string, string> Classes, IReadOnlyList<RuntimeRequirement> Requirements);
