using System.Text.Json;
using Ppl.Language.Semantics;

namespace Ppl.Language.Build;

/// <summary>A model block as the commands need it without its source: its name and its data items, in file order.</summary>
/// <param name="Name">The model's name.</param>
/// <param name="Data">The names of its <c>data</c> declarations.</param>
/// <param name="HasNets">Whether it declares a network.</param>
public sealed record OutlineModel(string Name, IReadOnlyList<string> Data, bool HasNets);

/// <summary>A guide block: its name and the model it is for.</summary>
/// <param name="Name">The guide's name.</param>
/// <param name="Model">The model it was written for.</param>
/// <param name="HasNets">Whether it declares a network.</param>
public sealed record OutlineGuide(string Name, string Model, bool HasNets);

/// <summary>
/// What <c>fit</c>, <c>sample</c> and <c>eval</c> need of a checked file besides its assembly: the models with their
/// data items and the guides with their models. Stored beside a cached build (<see cref="SourceCache"/>) so a cache
/// hit answers without parsing, checking or emitting the file.
/// </summary>
public sealed record ModelOutline(IReadOnlyList<OutlineModel> Models, IReadOnlyList<OutlineGuide> Guides)
{
    /// <summary>The outline of a checked file.</summary>
    public static ModelOutline Of(CheckedProgram program) => new(
        [.. program.Models.Select(m => new OutlineModel(m.Name, [.. m.Data.Select(d => d.Name)], m.Nets.Count > 0))],
        [.. program.Guides.Select(g => new OutlineGuide(g.Name, g.Model!.Name, g.Nets.Count > 0))]);

    /// <summary>The model named <paramref name="name"/>, or the file's first when it is null; null when there is none.</summary>
    public OutlineModel? FindModel(string? name) => name is null ? Models.FirstOrDefault() : Models.FirstOrDefault(m => m.Name == name);

    /// <summary>The guides written for <paramref name="model"/>, in file order.</summary>
    public IReadOnlyList<string> GuidesFor(string model) => [.. Guides.Where(g => g.Model == model).Select(g => g.Name)];

    /// <summary>Whether <paramref name="model"/> or any guide written for it declares a network.</summary>
    public bool DeclaresNet(string model) =>
        Models.Any(m => m.Name == model && m.HasNets) || Guides.Any(g => g.Model == model && g.HasNets);

    /// <summary>Writes the outline as JSON.</summary>
    public void Write(Utf8JsonWriter j)
    {
        j.WriteStartArray("models");
        foreach (var m in Models)
        {
            j.WriteStartObject();
            j.WriteString("name", m.Name);
            j.WriteStartArray("data");
            foreach (var d in m.Data) j.WriteStringValue(d);
            j.WriteEndArray();
            j.WriteBoolean("nets", m.HasNets);
            j.WriteEndObject();
        }
        j.WriteEndArray();
        j.WriteStartArray("guides");
        foreach (var g in Guides)
        {
            j.WriteStartObject();
            j.WriteString("name", g.Name);
            j.WriteString("model", g.Model);
            j.WriteBoolean("nets", g.HasNets);
            j.WriteEndObject();
        }
        j.WriteEndArray();
    }

    /// <summary>Reads an outline written by <see cref="Write"/> from the object holding it.</summary>
    public static ModelOutline Read(JsonElement e) => new(
        [.. e.GetProperty("models").EnumerateArray().Select(m => new OutlineModel(
            m.GetProperty("name").GetString()!, [.. m.GetProperty("data").EnumerateArray().Select(d => d.GetString()!)], m.GetProperty("nets").GetBoolean()))],
        [.. e.GetProperty("guides").EnumerateArray().Select(g => new OutlineGuide(
            g.GetProperty("name").GetString()!, g.GetProperty("model").GetString()!, g.GetProperty("nets").GetBoolean()))]);
}
