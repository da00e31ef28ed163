namespace Ppl.Runtime.Models;

/// <summary>
/// Marks a compiled guide class with the model it was written for (<c>guide G for M</c>), so a compiled assembly carries
/// the pairing and the inference engine can find a model's guide without knowing the language.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class GuideForAttribute(string model) : Attribute
{
    /// <summary>The .ppl name of the model.</summary>
    public string Model { get; } = model;
}
