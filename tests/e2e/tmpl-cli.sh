#!/bin/sh
# gongkai render: options, exit codes, stdout, broken templates located,
# inconsistent data refused, nothing written on failure.
set -u
fail() { echo "FAIL: $*"; exit 1; }
G="$GONGKAI"
T="$TOP/tests/templates"
D="$T/small-2023.json"

# help: Chinese by default, English with --lang en (before or after the command)
"$G" render --help >"$WORK/h1" 2>&1 || fail "help exit"
grep -q "用法：gongkai render" "$WORK/h1" || fail "Chinese help"
"$G" render --lang en --help >"$WORK/h2" 2>&1 || fail "help en exit"
grep -q "usage: gongkai render" "$WORK/h2" || fail "English help"
"$G" --lang en render -h | grep -q "^usage: gongkai render" || fail "global --lang"

# usage errors: exit 2
"$G" render >/dev/null 2>&1; [ $? -eq 2 ] || fail "no file: want 2"
"$G" render -f xls "$D" >/dev/null 2>&1; [ $? -eq 2 ] || fail "bad format: want 2"
"$G" render --bogus "$D" >/dev/null 2>&1; [ $? -eq 2 ] || fail "bad option: want 2"
"$G" render -o - "$D" >/dev/null 2>&1; [ $? -eq 2 ] || fail "-o - with three formats: want 2"

# missing input: exit 3
"$G" render -f txt -o "$WORK" "$WORK/none.json" >/dev/null 2>&1; [ $? -eq 3 ] || fail "missing file: want 3"

# stdout
"$G" render --template "$T" -f txt -o - "$D" >"$WORK/out.txt" 2>"$WORK/err.txt" || fail "stdout render"
grep -q "^一、收入支出决算总体情况说明$" "$WORK/out.txt" || fail "stdout text"
[ ! -s "$WORK/err.txt" ] || { cat "$WORK/err.txt"; fail "noise on stderr"; }

# a broken template: exit 1, FILE:LINE message, nothing written
mkdir "$WORK/out"
"$G" render --template "$TOP/tests/bad/templates/division-by-zero" -f txt -o "$WORK/out" "$D" \
    >/dev/null 2>"$WORK/err.txt"; rc=$?
[ $rc -eq 1 ] || fail "broken template: exit $rc, want 1"
grep -q "division-by-zero/report.xml:4: 错误: 表达式“money(ledger_total(tables.expenditure) / 0)”：除数为零" "$WORK/err.txt" \
    || { cat "$WORK/err.txt"; fail "message"; }
[ -z "$(ls "$WORK/out")" ] || fail "files written despite the error"
"$G" render --template "$TOP/tests/bad/templates/xxe/report.xml" -f txt -o "$WORK/out" "$D" \
    >/dev/null 2>"$WORK/err.txt"; [ $? -eq 1 ] || fail "xxe exit"
grep -q "xxe/report.xml:2: 错误: 模板不得含有 DOCTYPE" "$WORK/err.txt" || fail "xxe message"
grep -q "root:" "$WORK/err.txt" && fail "xxe leaked a file"
"$G" --lang en render --template "$TOP/tests/bad/templates/unknown-element" -f txt -o "$WORK/out" "$D" \
    >/dev/null 2>"$WORK/err.txt"; [ $? -eq 1 ] || fail "unknown element exit"
grep -q "unknown-element/report.xml:4: error: unknown element <foo>" "$WORK/err.txt" || { cat "$WORK/err.txt"; fail "english message"; }

# inconsistent data is refused: a stated total that misses its rows
sed 's/"fiscal": 49.75 }/"fiscal": 49.75 } ], "total": { "fiscal": 999 }, "x": [/' "$D" >"$WORK/bad.json"
"$G" render --template "$T" -f txt -o "$WORK/out" "$WORK/bad.json" >/dev/null 2>"$WORK/err.txt"; rc=$?
[ $rc -eq 1 ] || { cat "$WORK/err.txt"; fail "inconsistent data: exit $rc, want 1"; }
[ -z "$(ls "$WORK/out")" ] || fail "files written for inconsistent data"

# warnings are printed, the report is still written; --quiet silences both
"$G" render --template "$T" -f txt -o "$WORK/out" "$T/growth-2024.json" >"$WORK/o.txt" 2>"$WORK/err.txt" || fail "growth render"
grep -q "警告" "$WORK/err.txt" || fail "warning not printed"
grep -q "growth-2024.txt" "$WORK/o.txt" || fail "written file not listed"
[ -s "$WORK/out/growth-2024.txt" ] || fail "no output file"
"$G" render -q --template "$T" -f txt -o "$WORK/out" "$T/growth-2024.json" >"$WORK/o.txt" 2>"$WORK/err.txt" || fail "quiet"
[ ! -s "$WORK/o.txt" ] && [ ! -s "$WORK/err.txt" ] || fail "--quiet printed something"
exit 0
