namespace Ppl.Runtime.Sites;

/// <summary>Records every site it sees into <see cref="Trace"/>.</summary>
public sealed class TraceHandler : Handler
{
    /// <summary>The recorded run.</summary>
    public Trace Trace { get; } = new();

    /// <inheritdoc/>
    public override void PostProcess(Site site) => Trace.Add(site);
}
