namespace Ppl.Runtime.Data;

/// <summary>
/// A data item that is missing, of the wrong shape or type, not finite, or out of its declared bounds. The message
/// names the file the item came from (when known), the item, the element and the rule, e.g.
/// <c>d.json: data 'sigma'[3] = -1 is below its lower bound 0</c>.
/// </summary>
public sealed class DataException(string item, string message) : Exception(message)
{
    /// <summary>The data item's name.</summary>
    public string Item { get; } = item;
}
