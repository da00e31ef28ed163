using Ppl.Runtime.Autodiff;

namespace Ppl.Inference.Optimizers;

/// <summary>Gradient-norm clipping across all parameters (Pascanu, Mikolov &amp; Bengio 2013).</summary>
public static class GradientClipping
{
    /// <summary>‖g‖₂ over every parameter's gradient together (accumulated in double).</summary>
    public static double GlobalNorm(IEnumerable<Var> parameters)
    {
        double sum = 0;
        foreach (var p in parameters)
        {
            if (p.Grad is null) continue;
            foreach (float g in p.Grad.Span) sum += (double)g * g;
        }
        return Math.Sqrt(sum);
    }

    /// <summary>
    /// If the global norm exceeds <paramref name="maxNorm"/>, scales every gradient by maxNorm/‖g‖ (the direction
    /// is kept, the length bounded). Returns the norm before clipping.
    /// </summary>
    public static double ClipGlobalNorm(IEnumerable<Var> parameters, double maxNorm)
    {
        double norm = GlobalNorm(parameters);
        if (norm > maxNorm && double.IsFinite(norm))
        {
            float scale = (float)(maxNorm / norm);
            foreach (var p in parameters)
            {
                if (p.Grad is null) continue;
                var g = p.Grad.Span;
                for (int i = 0; i < g.Length; i++) g[i] *= scale;
            }
        }
        return norm;
    }
}
