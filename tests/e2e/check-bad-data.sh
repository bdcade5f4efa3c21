#!/bin/sh
# Hostile and broken data files: each must give a located message and
# exit 1 (never a crash, a hang or exit 0).  tests/bad/data/NAME.json is
# run with NAME.expect holding substrings (one a line) the output must
# contain.  Cases too big to keep in git are generated here.
set -u
: "${GONGKAI:?}" "${TOP:?}" "${WORK:?}"
fail=0 n=0

run_case() { # name file expect-file
    name=$1 file=$2 expect=$3
    n=$((n + 1))
    timeout 10 "$GONGKAI" check "$file" >"$WORK/out" 2>&1
    rc=$?
    if [ $rc -ne 1 ]; then
        echo "FAIL $name: exit $rc (want 1)"; sed 's/^/    /' "$WORK/out" | head -5; fail=1; return
    fi
    while IFS= read -r want || [ -n "$want" ]; do
        [ -n "$want" ] || continue
        if ! grep -qF -- "$want" "$WORK/out"; then
            echo "FAIL $name: output lacks: $want"; sed 's/^/    /' "$WORK/out" | head -5; fail=1
        fi
    done <"$expect"
}

for f in "$TOP"/tests/bad/data/*.json; do
    name=$(basename "$f" .json)
    run_case "$name" "$f" "$TOP/tests/bad/data/$name.expect"
done

# Generated: 200,000 nested '[' / '{', a 2 MiB string, random bytes, a
# file over the 64 MiB limit.
awk 'BEGIN { for (i = 0; i < 200000; i++) printf "[" }' >"$WORK/deep.json"
echo "1:129: 错误: 嵌套超过 128 层的上限" >"$WORK/deep.expect"
run_case deep-arrays "$WORK/deep.json" "$WORK/deep.expect"

awk 'BEGIN { for (i = 0; i < 200000; i++) printf "{\"a\":" }' >"$WORK/deepo.json"
echo "1:641: 错误: 嵌套超过 128 层的上限" >"$WORK/deepo.expect"
run_case deep-objects "$WORK/deepo.json" "$WORK/deepo.expect"

awk 'BEGIN { printf "{\"name\": \""; for (i = 0; i < 2200000; i++) printf "x"; printf "\"}" }' >"$WORK/huge.json"
echo "1:10: 错误: 字符串超过 1048576 字节的上限" >"$WORK/huge.expect"
run_case huge-string "$WORK/huge.json" "$WORK/huge.expect"

awk 'BEGIN { srand(20231231); for (i = 0; i < 4096; i++) printf "%c", 1 + int(rand() * 255) }' >"$WORK/random.json"
echo "错误: " >"$WORK/random.expect"
run_case random-bytes "$WORK/random.json" "$WORK/random.expect"

head -c 67108865 /dev/zero | tr '\0' ' ' >"$WORK/big.json"
echo "错误: 文件超过 67108864 字节的上限" >"$WORK/big.expect"
run_case over-64MiB "$WORK/big.json" "$WORK/big.expect"
rm -f "$WORK/big.json"

# 100,000 rows (the limit) with one repeated code, then 100,001: the
# first must finish quickly (no quadratic step), the second is refused.
: "${GONGKAI_FAST:=$GONGKAI}"
gen_rows() { # count
    awk -v n="$1" 'BEGIN {
        printf "{\"format\": \"gongkai-report/1\", \"kind\": \"决算\", \"year\": 2023, \"unit\": \"万元\", "
        printf "\"department\": {\"name\": \"x\"}, \"tables\": {\"expenditure\": {\"rows\": ["
        for (i = 0; i < n; i++) printf "%s{\"code\": \"2013101\", \"basic\": 1}", (i ? "," : "")
        printf "]}}}" }'
}
gen_rows 100000 >"$WORK/rows.json"
n=$((n + 1))
timeout 10 "$GONGKAI_FAST" check "$WORK/rows.json" >"$WORK/out" 2>&1
rc=$?
if [ $rc -gt 1 ]; then echo "FAIL 100000 rows: exit $rc"; head -3 "$WORK/out"; fail=1; fi
gen_rows 100001 >"$WORK/rows.json"
echo "错误: 表有 100001 行，超过 100000 行的上限" >"$WORK/rows.expect"
run_case rows-over-limit "$WORK/rows.json" "$WORK/rows.expect"

echo "$n cases"
exit $fail
