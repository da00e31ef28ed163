#!/usr/bin/env bash
# Runs `ppl bench` beside its peers on this machine, in one run, and prints the ratios.
#
#   bench/compare.sh [gemm] [vae]        (default: everything)
#
# GEMM peer: numpy's float32 `a @ b` through Debian's OpenBLAS (shared/bench/numpy_gemm.py) on 1 and 2
# threads, with OPENBLAS_CORETYPE/OPENBLAS_L2_SIZE unset for the command as the env note asks. OpenBLAS 0.3.21
# does not recognise every recent Xeon and then falls back to a generic SSE3 ("Prescott") kernel, so the
# script also runs it forced to its AVX-512 kernel (SkylakeX), the strongest it has; the kernel each run used
# is printed (threadpoolctl). Needs: apt-get install -y python3-numpy libopenblas0-pthread python3-threadpoolctl
set -euo pipefail
cd "$(dirname "$0")/.."
shared="${PPL_SHARED:-$(cd .. && pwd)/shared}/bench"
py=/usr/bin/python3
what=("$@"); [ ${#what[@]} -eq 0 ] && what=(gemm)

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build src/Cli -c Release -v q --nologo >/dev/null
ppl() { dotnet src/Cli/bin/Release/net10.0/ppl.dll "$@"; }
value() { awk '{print $2}'; }   # "NAME: VALUE UNIT" -> VALUE
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

openblas() { # THREADS CORETYPE M K N -> GFLOP/s
  local threads=$1 core=$2; shift 2
  if [ "$core" = auto ]; then
    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OPENBLAS_NUM_THREADS="$threads" $py "$shared/numpy_gemm.py" "$@" | value
  else
    env -u OPENBLAS_L2_SIZE OPENBLAS_CORETYPE="$core" OPENBLAS_NUM_THREADS="$threads" $py "$shared/numpy_gemm.py" "$@" | value
  fi
}

kernel() { # CORETYPE -> the kernel OpenBLAS runs
  local core=$1
  if [ "$core" = auto ]; then set -- env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE; else set -- env -u OPENBLAS_L2_SIZE OPENBLAS_CORETYPE="$core"; fi
  "$@" $py -c 'import numpy, threadpoolctl; print(threadpoolctl.threadpool_info()[0].get("architecture", "?"))' 2>/dev/null || echo "?"
}

for w in "${what[@]}"; do
  case $w in
  gemm)
    auto=$(kernel auto); skx=$(kernel SkylakeX)
    echo "# $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), $(nproc) cores; $(date -u +%FT%TZ)"
    printf '%-18s %3s %9s %17s %6s %17s %6s\n' shape thr "ppl" "OpenBLAS($auto)" ratio "OpenBLAS($skx)" ratio
    for shape in "128 784 400" "400 128 784" "1024 1024 1024"; do
      set -- $shape
      name="gemm-${1}x${2}x${3}"; [ "$1 $2 $3" = "1024 1024 1024" ] && name=gemm-1024
      for t in 1 2; do
        suffix=""; [ "$t" = 1 ] && suffix="-t1"
        ob=$(openblas "$t" auto "$@")
        ox=$(openblas "$t" SkylakeX "$@")
        if [ "$t" = 1 ]; then ours=$(ppl bench "$name-t1" | value); else ours=$(ppl bench "$name" | value); fi
        printf '%-18s %3s %9s %17s %6s %17s %6s\n' "$name" "$t" "$ours" "$ob" "$(ratio "$ours" "$ob")" "$ox" "$(ratio "$ours" "$ox")"
      done
    done
    ;;
  *) echo "unknown benchmark group '$w' (gemm)" >&2; exit 2 ;;
  esac
done
