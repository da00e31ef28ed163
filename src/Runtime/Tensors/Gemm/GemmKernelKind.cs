namespace Ppl.Runtime.Tensors;

/// <summary>Which micro-kernel a product runs; <see cref="Auto"/> picks the widest the CPU supports.</summary>
internal enum GemmKernelKind
{
    Auto,
    Vector512,
    Vector256,
    Scalar,
}
