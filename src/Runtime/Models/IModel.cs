using Ppl.Runtime.Sites;

namespace Ppl.Runtime.Models;

/// <summary>
/// A compiled model or guide: its program, run against the site API. Generated classes implement this; they read
/// their data once (in the constructor) and are otherwise stateless, so one instance serves every run.
/// </summary>
public interface IModel
{
    /// <summary>The name in the .ppl file.</summary>
    string Name { get; }

    /// <summary>Runs the program once, declaring its sites on <paramref name="context"/>.</summary>
    void Run(ModelContext context);
}
