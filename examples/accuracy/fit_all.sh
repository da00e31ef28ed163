#!/bin/sh
# fit_all.sh — fits every example that has a NUTS reference with `ppl fit`'s default settings (no flags) and with
# --guide mvn, into OUT/default/NAME and OUT/mvn/NAME (OUT: out/accuracy), gmm also with --guide mvn --paths 8
# (its multimodal posterior needs several paths, examples/README.md) into OUT/paths/gmm, then prints compare.py's table.
#   sh examples/accuracy/fit_all.sh            (from the repository root, after dotnet build -c Release)
#   ARGS="--seed 2 --average 500" OUT=out/accuracy-s2 sh examples/accuracy/fit_all.sh     (other settings, elsewhere)
# PPL overrides the command (default: the Release build's ppl.dll).
set -e
PPL=${PPL:-"dotnet src/Cli/bin/Release/net10.0/ppl.dll"}
OUT=${OUT:-out/accuracy}
names=$(ls examples/accuracy/reference | sed 's/\.csv$//')
for name in $names; do
  $PPL fit "examples/$name/$name.ppl" --quiet $ARGS --out "$OUT/default/$name" > /dev/null
  $PPL fit "examples/$name/$name.ppl" --quiet $ARGS --guide mvn --out "$OUT/mvn/$name" > /dev/null
done
# --paths needs the resampling: with ARGS="--resample off" gmm's multi-path fit is left out.
case "$ARGS" in *"--resample off"*) ;; *) $PPL fit examples/gmm/gmm.ppl --quiet $ARGS --guide mvn --paths 8 --out "$OUT/paths/gmm" > /dev/null;; esac
dirs=""
for name in $names; do dirs="$dirs $OUT/default/$name $OUT/mvn/$name"; done
[ -d "$OUT/paths/gmm" ] && dirs="$dirs $OUT/paths/gmm"
python3 examples/accuracy/compare.py $dirs --brief || true
