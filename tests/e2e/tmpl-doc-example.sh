#!/bin/sh
# The complete example of the README (Writing a template) is a working template.
set -u
fail() { echo "FAIL: $*"; exit 1; }
mkdir "$WORK/t"
awk '/^```xml$/ { on = 1; next } on && /^```$/ { exit } on { print }' "$TOP/README.md" |
    sed 's/ style="style.xml"//' >"$WORK/t/report.xml"
grep -q "</report>" "$WORK/t/report.xml" || fail "example not found"
"$GONGKAI" render --template "$WORK/t" -f txt -o - "$TOP/tests/templates/growth-2024.json" \
    >"$WORK/out.txt" 2>"$WORK/err.txt" || { cat "$WORK/err.txt"; fail "the example does not render"; }
grep -qx "2024年度本年支出合计1250.00万元，比上年增加150.00万元，增长13.64%。" "$WORK/out.txt" || fail "sentence"
grep -qx "图1：支出结构" "$WORK/out.txt" || fail "chart"
grep -q "^| 2210201  |     住房公积金 " "$WORK/out.txt" || fail "table row"
grep -qx "1、项目支出：指在基本支出之外为完成特定行政任务或事业发展目标所发生的支出。" "$WORK/out.txt" || fail "glossary"
exit 0
