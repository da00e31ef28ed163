using System.Runtime.Intrinsics.X86;

namespace Ppl.Runtime.Tensors;

/// <summary>Resolving <see cref="GemmKernelKind.Auto"/> against the running CPU.</summary>
internal static class GemmKernels
{
    /// <summary>The widest kernel this CPU runs: AVX-512F, else AVX2 with FMA, else scalar.</summary>
    public static readonly GemmKernelKind Best =
        Avx512F.IsSupported ? GemmKernelKind.Vector512
        : Fma.IsSupported && Avx.IsSupported ? GemmKernelKind.Vector256
        : GemmKernelKind.Scalar;

    /// <summary>Whether <paramref name="kind"/> can run here.</summary>
    public static bool IsSupported(GemmKernelKind kind) => kind switch
    {
        GemmKernelKind.Auto or GemmKernelKind.Scalar => true,
        GemmKernelKind.Vector256 => Fma.IsSupported && Avx.IsSupported,
        GemmKernelKind.Vector512 => Avx512F.IsSupported,
        _ => false,
    };

    /// <summary>The instructions <paramref name="kind"/> needs, for messages.</summary>
    public static string Requires(GemmKernelKind kind) => kind switch
    {
        GemmKernelKind.Vector512 => "AVX-512F",
        GemmKernelKind.Vector256 => "AVX and FMA",
        _ => "no special instructions",
    };

    /// <summary><paramref name="kind"/> with Auto resolved; throws when the CPU cannot run it.</summary>
    public static GemmKernelKind Resolve(GemmKernelKind kind) =>
        kind == GemmKernelKind.Auto ? Best
        : IsSupported(kind) ? kind
        : throw new PlatformNotSupportedException($"the {kind} GEMM kernel needs {Requires(kind)}, which this CPU lacks");

    /// <summary>The register tile (MR, NR) of a resolved kernel.</summary>
    public static (int MR, int NR) Tile(GemmKernelKind kind) => kind switch
    {
        GemmKernelKind.Vector512 => (GemmKernel512.MR, GemmKernel512.NR),
        GemmKernelKind.Vector256 => (GemmKernel256.MR, GemmKernel256.NR),
        _ => (GemmKernelScalar.MR, GemmKernelScalar.NR),
    };
}
