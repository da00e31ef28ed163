"""numpy/OpenBLAS float32 GEMM timed exactly like `ppl bench`: one second of warm-up, then the best of 40
repetitions of at least 20 ms each. shared/bench/numpy_gemm.py averages over one second instead, which on
a busy machine charges OpenBLAS for other processes' time; this is the like-for-like figure.
usage: OPENBLAS_NUM_THREADS=T /usr/bin/python3 numpy_gemm_best.py M K N   (prints GFLOP/s)"""
import sys, time
import numpy as np

m, k, n = map(int, sys.argv[1:4])
a = np.random.rand(m, k).astype(np.float32)
b = np.random.rand(k, n).astype(np.float32)
calls, start = 1, time.perf_counter()
while time.perf_counter() - start < 1.0:
    t = time.perf_counter()
    for _ in range(calls):
        a @ b
    if time.perf_counter() - t < 0.02:
        calls *= 2
best = float("inf")
for _ in range(40):
    t = time.perf_counter()
    for _ in range(calls):
        a @ b
    best = min(best, (time.perf_counter() - t) / calls)
print(f"{2 * m * k * n / best / 1e9:.1f}")
