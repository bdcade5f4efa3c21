#!/bin/sh
# gongkai check on the shipped examples and on broken copies of them;
# exit codes, options, stdin.
set -u
: "${GONGKAI:?}" "${TOP:?}" "${WORK:?}"
Q="$TOP/examples/xicheng-quweiban-2023-juesuan.json"
[ -f "$Q" ] || { echo "no $Q yet"; exit 77; }
fail=0
die() { echo "FAIL: $*"; sed 's/^/    /' "$WORK/out" | head -20; fail=1; }

# Every example passes.
timeout 20 "$GONGKAI" check "$TOP"/examples/*.json >"$WORK/out" 2>&1
rc=$?
[ $rc -eq 0 ] || die "check examples/*.json exit $rc"
for f in "$TOP"/examples/*.json; do
    grep -qF "$f: 通过检查" "$WORK/out" || die "no pass line for $f"
done

# One figure changed: the first 2805.41 becomes 2805.42.
awk '!done && sub(/2805\.41/, "2805.42") { done = 1 } { print }' "$Q" >"$WORK/changed.json"
cmp -s "$Q" "$WORK/changed.json" && die "sed changed nothing"
timeout 10 "$GONGKAI" check "$WORK/changed.json" >"$WORK/out" 2>&1
rc=$?
[ $rc -eq 1 ] || die "changed figure: exit $rc (want 1)"
grep -q 'changed\.json: \$\.tables\.[^ ]*: 错误: .*2805\.42' "$WORK/out" ||
    die "changed figure: no message with a JSON path and 2805.42"
grep -qF "（差 0.01 万元）" "$WORK/out" || die "changed figure: the difference is not named"

# Cut at byte 700: a syntax error with line:col.
head -c 700 "$Q" >"$WORK/cut.json"
timeout 10 "$GONGKAI" check "$WORK/cut.json" >"$WORK/out" 2>&1
rc=$?
[ $rc -eq 1 ] || die "cut file: exit $rc (want 1)"
grep -q "cut.json:[0-9][0-9]*:[0-9][0-9]*: 错误: " "$WORK/out" || die "cut file: no FILE:LINE:COL message"

# The same from standard input.
timeout 10 "$GONGKAI" check - <"$WORK/cut.json" >"$WORK/out" 2>&1
rc=$?
[ $rc -eq 1 ] || die "stdin: exit $rc (want 1)"
grep -q "<stdin>:[0-9][0-9]*:[0-9][0-9]*: 错误: " "$WORK/out" || die "stdin: no located message"
timeout 10 "$GONGKAI" check - <"$Q" >"$WORK/out" 2>&1 || die "stdin: a good file fails"

# Every problem of every file is reported; --max-errors caps the list.
timeout 10 "$GONGKAI" check "$WORK/changed.json" "$WORK/cut.json" "$Q" >"$WORK/out" 2>&1
rc=$?
[ $rc -eq 1 ] || die "three files: exit $rc"
grep -qF "cut.json:" "$WORK/out" && grep -qF "changed.json: \$" "$WORK/out" && grep -qF "$Q: 通过检查" "$WORK/out" ||
    die "three files: not every file reported"
timeout 10 "$GONGKAI" check --max-errors 1 "$WORK/changed.json" >"$WORK/out" 2>&1
grep -q "……还有 [0-9][0-9]* 条" "$WORK/out" || die "--max-errors 1: no '……还有 N 条'"
[ "$(grep -c ': 错误: ' "$WORK/out")" -eq 1 ] || die "--max-errors 1 shows more than one"

# --strict turns warnings into failure; --lang en.
W="$TOP/examples/xinjiekou-2023-juesuan.json"
if timeout 10 "$GONGKAI" check "$W" 2>&1 | grep -q '警告'; then
    timeout 10 "$GONGKAI" check --strict "$W" >"$WORK/out" 2>&1
    [ $? -eq 1 ] || die "--strict with warnings should exit 1"
fi
timeout 10 "$GONGKAI" check --lang en "$WORK/changed.json" >"$WORK/out" 2>&1
grep -qF ": error: " "$WORK/out" && grep -qF "≠" "$WORK/out" || die "--lang en: no English message"

# Usage and I/O exit codes; help.
timeout 10 "$GONGKAI" check >"$WORK/out" 2>&1
[ $? -eq 2 ] || die "no file: want exit 2"
timeout 10 "$GONGKAI" check --max-errors x "$Q" >"$WORK/out" 2>&1
[ $? -eq 2 ] || die "bad --max-errors: want exit 2"
timeout 10 "$GONGKAI" check --no-such-option "$Q" >"$WORK/out" 2>&1
[ $? -eq 2 ] || die "unknown option: want exit 2"
timeout 10 "$GONGKAI" check "$WORK/does-not-exist.json" >"$WORK/out" 2>&1
[ $? -eq 3 ] || die "missing file: want exit 3"
grep -qF "does-not-exist.json: 错误: 无法打开文件" "$WORK/out" || die "missing file: no message"
timeout 10 "$GONGKAI" check --help >"$WORK/out" 2>&1
[ $? -eq 0 ] && grep -qF "用法：gongkai check" "$WORK/out" || die "--help"
timeout 10 "$GONGKAI" --lang en check --help >"$WORK/out" 2>&1
grep -qF "usage: gongkai check" "$WORK/out" || die "--lang en --help"
exit $fail
