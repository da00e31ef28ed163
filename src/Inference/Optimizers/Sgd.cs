namespace Ppl.Inference.Optimizers;

/// <summary>
/// Stochastic gradient descent with heavy-ball momentum (Polyak 1964), PyTorch's convention: v ← μ·v + g, p ← p − lr·v
/// (plain SGD when μ = 0; v starts at the first gradient since it starts at zero).
/// </summary>
public sealed class Sgd(float lr = 1e-2f, float momentum = 0f) : Optimizer(lr)
{
    /// <inheritdoc/>
    protected override int Slots => 1;

    /// <inheritdoc/>
    protected override void Update(Span<float> p, Span<float> g, float[][] slots, int t)
    {
        var v = slots[0];
        float lr = LearningRate;
        for (int i = 0; i < p.Length; i++)
        {
            v[i] = momentum * v[i] + g[i];
            p[i] -= lr * v[i];
        }
    }
}
