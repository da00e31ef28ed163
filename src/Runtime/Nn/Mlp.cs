using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Random;

namespace Ppl.Runtime.Nn;

/// <summary>
/// A multilayer perceptron <c>Mlp(IN, H1, ..., OUT)</c>: linear layers with the activation between them and a
/// linear final layer (a net's output is usually a location, a log-scale or logits, which should be unbounded).
/// Hidden layers use the initialization suited to the activation (<see cref="Activations.DefaultInit"/>), the final
/// layer after them <see cref="InitScheme.UniformFanIn"/> (small outputs at the start: it beat Xavier there on the
/// VAEs' test ELBO, see that scheme), every bias zero. A net of one layer, <c>Mlp(IN, OUT)</c>, is a plain linear
/// map, often a feature layer whose nonlinearity the program applies (vae_iaf.ppl's <c>relu(hidden(x))</c>): it keeps
/// Xavier's variance-preserving scale (the small head cost vae_iaf.ppl 0.8 nats after one epoch, seeds 1 and 2).
/// Parameters are named <c>layers.i.weight</c> and <c>layers.i.bias</c>.
/// </summary>
public sealed class Mlp : Module
{
    readonly Linear[] layers;

    /// <summary>An MLP with layer sizes <paramref name="sizes"/> (at least input and output).</summary>
    public Mlp(int[] sizes, Activation activation, Rng rng)
    {
        if (sizes.Length < 2) throw new ArgumentException("an MLP needs at least an input and an output size");
        Sizes = (int[])sizes.Clone();
        Activation = activation;
        layers = new Linear[sizes.Length - 1];
        for (int i = 0; i < layers.Length; i++)
        {
            var init = i < layers.Length - 1 ? activation.DefaultInit() : layers.Length > 1 ? InitScheme.UniformFanIn : InitScheme.Xavier;
            layers[i] = new Linear(sizes[i], sizes[i + 1], rng, init);
        }
    }

    /// <summary>Layer sizes, input first.</summary>
    public IReadOnlyList<int> Sizes { get; }
    /// <summary>The hidden nonlinearity.</summary>
    public Activation Activation { get; }
    /// <summary>The linear layers in order.</summary>
    public IReadOnlyList<Linear> Layers => layers;

    /// <inheritdoc/>
    public override IEnumerable<(string Name, Var Parameter)> NamedParameters()
    {
        for (int i = 0; i < layers.Length; i++)
            foreach (var (name, p) in layers[i].NamedParameters()) yield return ($"layers.{i}.{name}", p);
    }

    /// <inheritdoc/>
    public override Var Forward(Var input)
    {
        var h = input;
        for (int i = 0; i < layers.Length; i++)
        {
            h = layers[i].Forward(h);
            if (i < layers.Length - 1) h = Activation.Apply(h);
        }
        return h;
    }
}
