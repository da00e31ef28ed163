#!/usr/bin/env python3
"""Compare `ppl fit` posteriors with long NUTS references (examples/accuracy/reference/NAME.csv).

    python3 examples/accuracy/compare.py out/eight_schools [out/linear_regression ...] [--brief]
    python3 examples/accuracy/compare.py out/gmm --ref examples/accuracy/reference/gmm.csv --order mu

Each argument is a `ppl fit` output folder; its summary.csv (name,mean,sd,...) is compared with the reference of
the same name (the folder's last component) for every parameter both hold. Per parameter it prints the mean error
in reference posterior sds, |mean_fit - mean_ref| / sd_ref, and the sd ratio sd_fit / sd_ref; per fit the largest
mean error, the largest sd error |sd_fit / sd_ref - 1| and the smallest sd ratio, each with its parameter, and
whether the goal (every mean within 0.3 posterior sd) is met.

Models whose prior is exchangeable in their components (gmm, hmm) have one mode per labelling; their Stan
references keep the labelling with increasing `mu` (`ordered`). For an exchangeable posterior that is exactly the law
of the draws with their components sorted by `mu`, draw by draw, so the fit's draws.csv is relabelled the same way:
in every draw the components are sorted by `mu` (--order, default for those models in ORDER), every vector with as
many elements as `mu` is permuted alike, and the label sites (LABELS: assignments, states) are renamed to the new
component numbers; mean and sd are then taken over the relabelled draws. This is the fair comparison for fits whose
draws mix labellings (a `--paths` fit whose paths found the same mode under different labels). Without draws.csv,
or with --by-mean, the components are instead sorted once by the mean of `mu` in summary.csv and the label sites
are not compared (the figures of earlier notes).

Label sites count for the mean error only (a label's sd adds nothing: for two states it is sqrt(p(1-p)), p the
mean). Those whose reference sd is below 0.05 (a state almost certain a posteriori) are shown but left out of the largest error:
one flipped draw in a thousand would count as several sd there; their largest absolute mean error is reported instead.
"""
import argparse
import csv
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ORDER = {"gmm": "mu", "hmm": "mu"}
LABELS = {"gmm": ["z"], "hmm": ["z"]}
GOAL = 0.3
TINY_SD = 0.05


def first(pair):
    return pair[0]


def read_csv(path):
    """name -> (mean, sd) from a CSV with a header (lines starting with '#' skipped)."""
    with open(path, newline="") as f:
        rows = csv.DictReader(line for line in f if not line.startswith("#"))
        return {r["name"]: (float(r["mean"]), float(r["sd"])) for r in rows}


def split(name):
    m = re.fullmatch(r"([^\[]+)\[(\d+)\]", name)
    return (m.group(1), int(m.group(2))) if m else (name, None)


def relabel(fit, key, labels):
    """Sorts the fit's components by the mean of `key`; returns the relabelled fit and whether labels moved."""
    comps = sorted((i for n in fit for b, i in [split(n)] if b == key and i is not None))
    perm = sorted(comps, key=lambda i: fit[f"{key}[{i}]"][0])  # new index j takes old component perm[j]
    if perm == comps:
        return fit, False
    k = len(comps)
    vectors = {b for n in fit for b, i in [split(n)] if i is not None and b not in labels}
    vectors = {b for b in vectors if all(f"{b}[{i}]" in fit for i in range(k)) and f"{b}[{k}]" not in fit}
    out = {}
    for n, v in fit.items():
        b, i = split(n)
        if b in labels:
            continue  # label values refer to the old order; summary.csv cannot remap them
        out[n] = fit[f"{b}[{perm[i]}]"] if b in vectors else v
    return out, True


def relabelled_draws(fit_dir, key, labels):
    """name -> (mean, sd) over draws.csv's draws, each draw's components sorted by `key` (see the module's doc)."""
    with open(os.path.join(fit_dir, "draws.csv"), newline="") as f:
        rows = list(csv.reader(line for line in f if not line.startswith("#")))
    header, draws = rows[0], [[float(v) for v in r] for r in rows[2:]]  # rows[1] is the approximation's mean
    cols = {}
    for c, h in enumerate(header):
        parts = h.split(".")
        if parts[0].endswith("__"):
            continue
        cols[parts[0] + ("[" + ", ".join(str(int(i) - 1) for i in parts[1:]) + "]" if len(parts) > 1 else "")] = c
    k = sum(1 for n in cols if split(n)[0] == key)
    vectors = {b for n in cols for b, i in [split(n)] if i is not None and b not in labels}
    vectors = {b for b in vectors if all(f"{b}[{i}]" in cols for i in range(k)) and f"{b}[{k}]" not in cols}
    values = {n: [] for n in cols}
    for d in draws:
        perm = sorted(range(k), key=lambda i: d[cols[f"{key}[{i}]"]])  # new component j is old component perm[j]
        new_of = {old: new for new, old in enumerate(perm)}
        for n, c in cols.items():
            b, i = split(n)
            if b in vectors:
                values[n].append(d[cols[f"{b}[{perm[i]}]"]])
            elif b in labels:
                values[n].append(float(new_of[int(round(d[c]))]))
            else:
                values[n].append(d[c])
    out = {}
    for n, v in values.items():
        m = sum(v) / len(v)
        out[n] = (m, (sum((x - m) ** 2 for x in v) / (len(v) - 1)) ** 0.5 if len(v) > 1 else 0.0)
    return out


def compare(fit_dir, ref_path, order, labels, brief, by_mean=False):
    name = os.path.basename(os.path.normpath(fit_dir))
    ref = read_csv(ref_path)
    fit = read_csv(os.path.join(fit_dir, "summary.csv"))
    note = ""
    if order and not by_mean and os.path.exists(os.path.join(fit_dir, "draws.csv")):
        fit = relabelled_draws(fit_dir, order, labels)
        note = f"each draw's components sorted by {order}"
    elif order:
        fit, moved = relabel(fit, order, labels)
        if moved:
            note = f"components sorted by {order}; label sites {labels} not compared"
    shared = [n for n in ref if n in fit]
    if not shared:
        sys.exit(f"{fit_dir}: no parameter in common with {ref_path}")
    worst_mean, worst_sd, min_ratio, worst_tiny = (0.0, None), (0.0, None), (float("inf"), None), (0.0, None)
    if not brief:
        print(f"\n{fit_dir} vs {ref_path}" + (f" ({note})" if note else ""))
        print(f"  {'name':16s} {'ref mean':>10s} {'ref sd':>9s} {'fit mean':>10s} {'fit sd':>9s} {'|err|/sd':>9s} {'sd ratio':>9s}")
    for n in shared:
        (rm, rs), (fm, fs) = ref[n], fit[n]
        tiny = rs < TINY_SD and split(n)[0] in labels
        err = abs(fm - rm) / rs if rs > 0 else (0.0 if fm == rm else float("inf"))
        ratio = fs / rs if rs > 0 else (1.0 if fs == 0 else float("inf"))
        if not brief:
            flag = "  (near-certain state: |err| %.3f)" % abs(fm - rm) if tiny else ("  <-- over %.1f sd" % GOAL if err > GOAL else "")
            print(f"  {n:16s} {rm:10.4g} {rs:9.4g} {fm:10.4g} {fs:9.4g} {err:9.2f} {ratio:9.2f}{flag}")
        if tiny:
            worst_tiny = max(worst_tiny, (abs(fm - rm), n), key=first)
            continue
        worst_mean = max(worst_mean, (err, n), key=first)
        if split(n)[0] in labels:
            continue  # a discrete state's sd follows from its mean (sqrt(p(1-p)) for two states): no second figure
        worst_sd = max(worst_sd, (abs(ratio - 1), n), key=first)
        min_ratio = min(min_ratio, (ratio, n), key=first)
    missing = [n for n in fit if n not in ref]
    if not brief and missing:
        print(f"  not in the reference: {', '.join(missing[:8])}{' ...' if len(missing) > 8 else ''}")
    if not brief and worst_tiny[1]:
        print(f"  near-certain discrete states: largest |mean error| {worst_tiny[0]:.3f} ({worst_tiny[1]})")
    return dict(name=name, fit_dir=fit_dir, n=len(shared), mean=worst_mean, sd=worst_sd, ratio=min_ratio,
                tiny=worst_tiny, ok=worst_mean[0] <= GOAL, note=note)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("fits", nargs="+", help="ppl fit output folders (out/NAME)")
    ap.add_argument("--ref", help="reference CSV (default: reference/NAME.csv for the folder's NAME)")
    ap.add_argument("--order", help="sort the fit's components by this vector's mean first")
    ap.add_argument("--by-mean", action="store_true", help="sort components once by their mean in summary.csv, not per draw")
    ap.add_argument("--brief", action="store_true", help="only the table of largest errors")
    a = ap.parse_args()
    rows = []
    for d in a.fits:
        name = os.path.basename(os.path.normpath(d))
        ref = a.ref or os.path.join(HERE, "reference", name + ".csv")
        order = a.order if a.order is not None else ORDER.get(name)
        rows.append(compare(d, ref, order, LABELS.get(name, []), a.brief, a.by_mean))
    print(f"\n| fit | params | largest mean error | largest sd error | smallest sd ratio | means within {GOAL} sd |")
    print("|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['fit_dir']} | {r['n']} | {r['mean'][0]:.2f} sd ({r['mean'][1]}) | {100 * r['sd'][0]:.0f}% ({r['sd'][1]}) "
              f"| {r['ratio'][0]:.2f} ({r['ratio'][1]}) | {'yes' if r['ok'] else 'NO'} |")
    return 0 if all(r["ok"] for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
