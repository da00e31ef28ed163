namespace Ppl.Runtime.Sites;

/// <summary>Where a site was written in the .ppl source (1-based), so runtime errors point at the user's line.</summary>
public readonly record struct SiteLocation(string File, int Line, int Column)
{
    /// <summary>No source location (sites created from C#).</summary>
    public static readonly SiteLocation None = new("", 0, 0);

    /// <summary><c>file:line:col</c>, the diagnostic prefix.</summary>
    public override string ToString() => Line == 0 ? "<no location>" : $"{File}:{Line}:{Column}";
}
