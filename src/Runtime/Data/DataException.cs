namespace Ppl.Runtime.Data;

/// <summary>A data item that is missing, of the wrong shape or type, or out of its declared bounds.</summary>
public sealed class DataException(string item, string message) : Exception($"data item '{item}': {message}")
{
    /// <summary>The data item's name.</summary>
    public string Item { get; } = item;
}
