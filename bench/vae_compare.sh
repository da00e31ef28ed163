#!/usr/bin/env bash
# vae_compare.sh — training throughput of examples/vae/vae.ppl through the whole engine (`ppl bench vae-fit`)
# beside PyTorch running the same network and optimizer (../shared/bench/torch_vae.py), alternating the two so
# both see the same machine load, then the ratio of the means. ppl runs without tiered JIT, as the installed tool does.
#
# usage: bench/vae_compare.sh [--rounds R] [--steps S] [--threads 1|2|both] [--torch PATH/torch_vae.py]
#   --rounds R   alternations per thread setting (default 2)
#   --steps S    timed ppl steps (default 469, one Fashion-MNIST epoch); torch then trains on S*128 images
#   --threads    2: ppl on all cores against torch's best setting (--threads 1, OpenBLAS free to use both cores);
#                1: one core each (ppl vae-fit-t1; torch --threads 1 with OPENBLAS_NUM_THREADS=1); both (default)
#   --torch      the peer script (default: ../shared/bench/torch_vae.py beside the repository, else /work/shared/bench/)
# Needs: dotnet build src/Cli -c Release; apt-get install -y python3-torch libopenblas0-pthread dataset-fashion-mnist
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
rounds=2 steps=469 threads=both torch=""
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) rounds="$2"; shift 2 ;;
    --steps) steps="$2"; shift 2 ;;
    --threads) threads="$2"; shift 2 ;;
    --torch) torch="$2"; shift 2 ;;
    *) echo "vae_compare.sh: unknown argument '$1'" >&2; exit 2 ;;
  esac
done
if [ -z "$torch" ]; then
  for candidate in "$root/../shared/bench/torch_vae.py" "$(git -C "$root" rev-parse --path-format=absolute --git-common-dir 2>/dev/null)/../../shared/bench/torch_vae.py" /work/shared/bench/torch_vae.py; do
    if [ -f "$candidate" ]; then torch="$candidate"; break; fi
  done
fi
[ -f "$torch" ] || { echo "vae_compare.sh: torch_vae.py not found; pass --torch PATH" >&2; exit 2; }
ppl="$root/src/Cli/bin/Release/net10.0/ppl.dll"
[ -f "$ppl" ] || { echo "vae_compare.sh: build first: dotnet build src/Cli -c Release" >&2; exit 2; }
limit=$((steps * 128 < 60000 ? steps * 128 : 60000))

mean() { awk '{ s += $1; n++ } END { if (n) printf "%.1f", s / n }'; }

compare() {   # $1: 1 or 2 (threads)
  local bench=vae-fit ppls=() torches=()
  [ "$1" = 1 ] && bench=vae-fit-t1
  for ((r = 1; r <= rounds; r++)); do
    # As the installed tool runs (src/Cli/Ppl.Cli.csproj: no tiered JIT in the precompiled tool).
    p=$(cd "$root" && DOTNET_TieredCompilation=0 dotnet "$ppl" bench "$bench" --steps "$steps" | awk -v b="$bench:" '$1 == b { print $2 }')
    if [ "$1" = 1 ]; then
      t=$(OPENBLAS_NUM_THREADS=1 /usr/bin/python3 "$torch" --threads 1 --limit "$limit" | awk '/^epoch/ { print $5 }')
    else
      t=$(/usr/bin/python3 "$torch" --threads 1 --limit "$limit" | awk '/^epoch/ { print $5 }')
    fi
    echo "round $r, $1 thread(s): ppl $bench $p images/s, torch $t images/s"
    ppls+=("$p") torches+=("$t")
  done
  local pm tm
  pm=$(printf '%s\n' "${ppls[@]}" | mean)
  tm=$(printf '%s\n' "${torches[@]}" | mean)
  echo "$bench: $pm images/s, torch: $tm images/s, ratio $(awk -v a="$pm" -v b="$tm" 'BEGIN { printf "%.2f", a / b }')x"
  eval "ppl_t$1=$pm torch_t$1=$tm"
}

case "$threads" in
  1) compare 1 ;;
  2) compare 2 ;;
  both)
    compare 2; compare 1
    # Two threads against one, for both: on these VMs the second vCPU's worth swings with the host (at 10:41 and
    # 10:57 on 2026-12-01 the same build gave ppl 1.78x and 1.24x, torch 1.31x and 1.09x), so read ppl's beside torch's.
    awk -v a="$ppl_t2" -v b="$ppl_t1" -v c="$torch_t2" -v d="$torch_t1" \
      'BEGIN { printf "two threads against one: ppl %.2fx, torch %.2fx\n", a / b, c / d }' ;;
  *) echo "vae_compare.sh: --threads takes 1, 2 or both" >&2; exit 2 ;;
esac
