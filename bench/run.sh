#!/bin/sh
# `make bench`: grow the examples that have 项 rows 10x and 100x
# (bench/scale.py; each grown file must pass `gongkai check`), then run
# build/bench/bench on the examples and the grown files.  Writes
# bench/results.json; scratch goes to build/bench/work/.
#   BENCH_ARGS   extra options for build/bench/bench (see bench/bench.c)
#   SOFFICE      LibreOffice program ("" skips the comparison)
set -eu
cd "$(dirname "$0")/.."
BB=build/bench
W=$BB/work
PY=/usr/bin/python3           # a pyenv python3 may come first on PATH
SOFFICE=${SOFFICE-soffice}
command -v "$SOFFICE" >/dev/null 2>&1 || SOFFICE=""

rm -rf "$W"
mkdir -p "$W/scaled-in"
echo "machine: $(nproc) CPUs; $(uptime)"

scaled=""
for f in examples/*.json; do
    stem=$(basename "$f" .json)
    grown=""
    for k in 10 100; do
        out="$W/scaled-in/$stem-x$k.json"
        if "$PY" bench/scale.py "$k" "$f" "$out" >/dev/null 2>"$W/scale.err"; then
            "$BB/gongkai" check "$out" >/dev/null 2>>"$W/scale.err" || {
                echo "bench: $out does not pass gongkai check:" >&2
                cat "$W/scale.err" >&2
                exit 1
            }
            grown="$grown --scaled $out"
        elif [ $? -eq 3 ]; then
            break   # no 项 rows to split
        else
            cat "$W/scale.err" >&2
            exit 1
        fi
    done
    [ -n "$grown" ] && scaled="$scaled --scaled $f $grown"
done

# shellcheck disable=SC2086
exec "$BB/bench" --gongkai "$BB/gongkai" --soffice "$SOFFICE" --work "$W" \
    -o bench/results.json $scaled ${BENCH_ARGS:-} examples/*.json
