namespace Ppl.Runtime.Sites;

/// <summary>
/// An effect handler (Pyro's "messenger"): sees every site a model run declares. <see cref="Process"/> runs from
/// the innermost handler outwards before the value is drawn (so it can supply one); <see cref="PostProcess"/> runs
/// from the outermost inwards once the value exists (so it can record it). Handlers are stacked on a
/// <see cref="ModelContext"/>, never held in a global.
/// </summary>
public abstract class Handler
{
    /// <summary>Before the default action: may set the value, scale, mask or options.</summary>
    public virtual void Process(Site site) { }

    /// <summary>After the value is known.</summary>
    public virtual void PostProcess(Site site) { }

    /// <summary>Whether outer handlers should not see this site (block).</summary>
    public virtual bool Hides(Site site) => false;
}
