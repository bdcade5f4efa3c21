#!/bin/sh
# Every broken or hostile template of tests/bad/templates/<case>/ through
# the CLI: `render` to all three formats must exit 1 with the case's
# `expected` message (FILE:LINE: what), leak no file contents (XXE,
# /etc/passwd), finish in time (billion laughs, runaway loops) and write
# nothing.  (check_tmpl runs the same cases through the library.)
set -u
: "${GONGKAI:?}" "${TOP:?}" "${WORK:?}"
D="$TOP/tests/templates/small-2023.json"
fail=0 n=0
mkdir -p "$WORK/out"
for dir in "$TOP"/tests/bad/templates/*/; do
    name=$(basename "$dir")
    n=$((n + 1))
    want=$(head -n 1 "$dir/expected")
    timeout 60 "$GONGKAI" render --template "$dir" -f txt,pdf,docx -o "$WORK/out" "$D" \
        >"$WORK/stdout" 2>"$WORK/err"
    rc=$?
    if [ $rc -ne 1 ]; then
        echo "FAIL $name: exit $rc (want 1)"; head -n 5 "$WORK/err" | sed 's/^/    /'; fail=1
    elif ! grep -qF -- "$want" "$WORK/err"; then
        echo "FAIL $name: want: $want"; head -n 5 "$WORK/err" | sed 's/^/    got: /'; fail=1
    fi
    if grep -q "root:x:0:0" "$WORK/err" "$WORK/stdout"; then
        echo "FAIL $name: /etc/passwd leaked"; fail=1
    fi
    if [ -n "$(ls -A "$WORK/out")" ]; then
        echo "FAIL $name: files written: $(ls "$WORK/out")"; fail=1; rm -f "$WORK/out"/*
    fi
done
echo "$n bad templates"
[ "$n" -ge 20 ] || { echo "FAIL: only $n cases"; fail=1; }
exit $fail
