#!/usr/bin/env bash
# The test ELBO of a VAE example after each of E epochs, from one fit continued epoch by epoch (--resume continues
# bit for bit, so epoch e's parameters are those of a single fit of 469·e steps):
#   bench/vae_epochs.sh MODEL [SEED] [EPOCHS] [PPL_DLL]
# e.g. bench/vae_epochs.sh vae 1 3  prints  "vae seed=1: -260.1 -253.9 -250.9" (nats per image, epochs 1, 2, 3).
# MODEL is a file of examples/vae/ without .ppl; PPL_DLL defaults to this checkout's Release build. Fits run at
# nice 10 (the ELBO does not depend on load); outputs go to ${TMPDIR:-/tmp}/vae_epochs.MODEL.sSEED.eN/.
set -euo pipefail
M=$1; S=${2:-1}; E=${3:-3}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
P=${4:-$ROOT/src/Cli/bin/Release/net10.0/ppl.dll}
D=${PPL_FASHION_MNIST:-/usr/share/datasets/fashion-mnist}
O=${TMPDIR:-/tmp}/vae_epochs.$M.s$S
cd "$ROOT"
res=""
for e in $(seq 1 "$E"); do
  resume=(); [ "$e" -gt 1 ] && resume=(--resume "$O.e$((e - 1))")
  nice -n 10 dotnet "$P" fit "examples/vae/$M.ppl" --data "x=$D/train-images-idx3-ubyte.gz" --steps $((469 * e)) \
    --tol 1e-9 --seed "$S" --quiet "${resume[@]}" --out "$O.e$e" > "$O.e$e.log" 2>&1
  v=$(nice -n 10 dotnet "$P" eval "examples/vae/$M.ppl" --params "$O.e$e/params.json" --data "x=$D/t10k-images-idx3-ubyte.gz" | awk '/^elbo/ {print $2}')
  res="$res $v"
done
echo "$M seed=$S:$res"
