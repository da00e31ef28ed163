#!/usr/bin/env python3
"""Share of a gmm fit's draws in each configuration, as gmm_modes.R sorts the NUTS draws.

    python3 examples/accuracy/gmm_modes.py out/gmm [out/gmm2 ...]

Each draw's components are sorted by mu (the reference's `ordered` labelling), then each component is placed on the
cluster of the data its mu sits on (L: mu < -2.2, M: -2.2..2.5, R: above 2.5), as gmm_modes.R does. NUTS
(20,000 draws, 4 chains, gmm_modes.R): LMR 0.806 of the draws; the rest merge the two left clusters and split or
strand another component.
"""
import collections
import csv
import sys


def where(m):
    return "L" if m < -2.2 else ("M" if m < 2.5 else "R")


def shares(fit_dir):
    with open(f"{fit_dir}/draws.csv", newline="") as f:
        rows = list(csv.reader(line for line in f if not line.startswith("#")))
    header = rows[0]
    mu = [c for c, h in enumerate(header) if h.startswith("mu.")]
    count = collections.Counter("".join(where(m) for m in sorted(float(r[c]) for c in mu)) for r in rows[2:])
    n = sum(count.values())
    return {k: v / n for k, v in count.most_common()}


for d in sys.argv[1:]:
    print(d + ": " + ", ".join(f"{k} {v:.3f}" for k, v in shares(d).items()))
