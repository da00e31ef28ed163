using Ppl.Runtime.Models;
using Ppl.Runtime.Sites;

namespace Ppl.Cli.Bench;

/// <summary>A model or guide written inline as a delegate, for benchmarks that need a hand-written guide.</summary>
sealed class DelegateModel(string name, Action<ModelContext> run) : IModel
{
    public string Name => name;
    public void Run(ModelContext context) => run(context);
}
