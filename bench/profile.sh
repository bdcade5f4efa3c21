#!/bin/sh
# `make bench-profile`: count the instructions of PDF+DOCX for each example
# (or the files given) with valgrind's callgrind, which is exact and
# indifferent to a loaded machine.  The program renders the example twice
# in one process; callgrind dumps after each report, so
#   build/bench/profile/<stem>.cold.txt  process start + the first report
#   build/bench/profile/<stem>.warm.txt  the second report (fonts open)
# are summarised by bench/cgsum.py (stages, deflate callers, top self
# cost).  When bench/results.json has the example, the shares are also
# shown as ms of its measured in-process PDF+DOCX median CPU time.
set -eu
cd "$(dirname "$0")/.."
BB=build/bench
P=$BB/profile
PY=/usr/bin/python3
command -v valgrind >/dev/null 2>&1 || { echo "bench-profile: valgrind is not installed (apt-get install valgrind)" >&2; exit 77; }
[ $# -gt 0 ] || set -- examples/*.json
rm -rf "$P"
mkdir -p "$P/out"
for ex in "$@"; do
    stem=$(basename "$ex" .json)
    cp "$ex" "$P/$stem-again.json"
    valgrind --tool=callgrind --compress-strings=no --compress-pos=no \
        --callgrind-out-file="$P/$stem.callgrind" --dump-after=gk_report_render_file \
        "$BB/gongkai" render -q -f pdf,docx "$ex" "$P/$stem-again.json" -o "$P/out" \
        >"$P/$stem.valgrind.log" 2>&1
    ms=$("$PY" - "$stem" <<'PY' 2>/dev/null || true
import json, sys
r = json.load(open("bench/results.json"))
for e in r["examples"]:
    if e["name"] == sys.argv[1]:
        print(e["in_process"]["pdf+docx"]["cpu_ms"]["median"])
PY
)
    "$PY" bench/cgsum.py "$P/$stem.callgrind.1" > "$P/$stem.cold.txt"
    "$PY" bench/cgsum.py "$P/$stem.callgrind.2" $ms > "$P/$stem.warm.txt"
    echo "== $stem (warm: the second report in the process)"
    sed -n '/== stages/,/== top/p' "$P/$stem.warm.txt" | sed '$d'
done
echo "profiles and summaries in $P/"
