#!/bin/sh
# fit_all.sh — fits every example that has a NUTS reference with `ppl fit`'s default settings (no flags) and with
# --guide mvn, into out/accuracy/default/NAME and out/accuracy/mvn/NAME, then prints compare.py's table.
#   sh examples/accuracy/fit_all.sh            (from the repository root, after dotnet build -c Release)
# PPL overrides the command (default: the Release build's ppl.dll).
set -e
PPL=${PPL:-"dotnet src/Cli/bin/Release/net10.0/ppl.dll"}
names=$(ls examples/accuracy/reference | sed 's/\.csv$//')
for name in $names; do
  $PPL fit "examples/$name/$name.ppl" --quiet --out "out/accuracy/default/$name" > /dev/null
  $PPL fit "examples/$name/$name.ppl" --quiet --guide mvn --out "out/accuracy/mvn/$name" > /dev/null
done
dirs=""
for name in $names; do dirs="$dirs out/accuracy/default/$name out/accuracy/mvn/$name"; done
python3 examples/accuracy/compare.py $dirs --brief || true
