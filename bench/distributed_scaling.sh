#!/bin/sh
# One VAE epoch (examples/vae/vae.ppl: 469 steps of 128 Fashion-MNIST images, Adam 1e-3) three ways, alternating
# so that a drift in the machine's load hits all three alike, ROUNDS times (default 2):
#   1x1  one process, one thread        DOTNET_PROCESSOR_COUNT=1 ppl fit ...
#   1x2  one process, two threads       DOTNET_PROCESSOR_COUNT=2 ppl fit ...
#   2x1  two MPI ranks, one thread each mpiexec.mpich -n 2 -genv DOTNET_PROCESSOR_COUNT 1 ppl fit ... --distributed
# Threads per process: the GEMM uses Environment.ProcessorCount threads, which .NET reads from DOTNET_PROCESSOR_COUNT.
# images/s = 469 × 128 / the fit loop's wall time (timing.json's wall_seconds: no start-up, compile, data load or draws).
# Usage (from the repository root, after dotnet build -c Release): bench/distributed_scaling.sh [ROUNDS]
set -eu
# As the installed tool runs (src/Cli/Ppl.Cli.csproj: no tiered JIT in the precompiled tool); mpiexec passes it on.
export DOTNET_TieredCompilation=0
ROUNDS=${1:-2}
PPL=${PPL:-src/Cli/bin/Release/net10.0/ppl.dll}
DATA=${DATA:-/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz}
OUT=$(mktemp -d)
FIT="fit examples/vae/vae.ppl --data x=$DATA --steps 469 --lr 1e-3 --draws 10 --seed 1 --quiet"
report() {
    wall=$(sed -n 's/.*"wall_seconds": \([0-9.]*\).*/\1/p' "$OUT/$1/timing.json")
    echo "vae-epoch-$1-round$2: $(echo "469 * 128 / $wall" | bc) images/s ($wall s; load $(cut -d' ' -f1-3 /proc/loadavg))"
}
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
for r in $(seq "$ROUNDS"); do
    DOTNET_PROCESSOR_COUNT=1 dotnet "$PPL" $FIT --out "$OUT/1x1" && report 1x1 "$r"
    DOTNET_PROCESSOR_COUNT=2 dotnet "$PPL" $FIT --out "$OUT/1x2" && report 1x2 "$r"
    mpiexec.mpich -disable-auto-cleanup -n 2 -genv DOTNET_PROCESSOR_COUNT 1 dotnet "$PPL" $FIT --distributed --out "$OUT/2x1" 2>/dev/null && report 2x1 "$r"
done
rm -rf "$OUT"
