#!/bin/sh
# gongkai diff (issue 8): a consistent correction (an item and every total
# above it) lists the changed numbers in the text, the tables and the
# charts; identical inputs report no change.
set -u
: "${GONGKAI:?}" "${TOP:?}" "${WORK:?}"
ex="$TOP/examples/xicheng-quweiban-2023-juesuan.json"
fail() { echo "FAIL: $*"; exit 1; }

"$GONGKAI" diff "$ex" "$ex" >"$WORK/same.txt" 2>/dev/null
[ $? -eq 0 ] || fail "identical files: exit not 0"
grep -q '报告无变化' "$WORK/same.txt" || fail "identical files: no 'no change' line"

# 住房公积金 200.57 -> 201.57, with 基本支出 and every total above it.
sed 's/200\.57/201.57/g; s/4019\.40/4020.40/g; s/2805\.41/2806.41/g' "$ex" >"$WORK/new.json"
"$GONGKAI" check "$WORK/new.json" >/dev/null 2>&1 || fail "the corrected file does not pass check"
"$GONGKAI" diff "$ex" "$WORK/new.json" >"$WORK/d.txt" 2>/dev/null
[ $? -eq 1 ] || fail "a change must exit 1"
cat "$WORK/d.txt"
for want in '数字：200.57 → 201.57，21.51 → 22.51，12.01% → 12.57%' \
            '2210201 住房公积金 | 本年支出合计: 200.57 → 201.57' \
            '合计 | 基本支出: 2805.41 → 2806.41' \
            '财政拨款收入: 4019.40 → 4020.40' \
            '基本支出: 2805.41 → 2806.41' \
            '住房保障支出 | 决算: 200.57 → 201.57'; do
    grep -F -q -- "$want" "$WORK/d.txt" || fail "diff lacks: $want"
done
grep -E -q '^共 [0-9]+ 处变化：句子 [1-9][0-9]*，表格单元格 [1-9][0-9]*，图表数值 [1-9][0-9]*' "$WORK/d.txt" || fail "summary line"

"$GONGKAI" diff "$ex" >/dev/null 2>&1; [ $? -eq 2 ] || fail "one file is a usage error"
"$GONGKAI" diff "$ex" /no/such.json >/dev/null 2>&1; [ $? -eq 3 ] || fail "a missing file must exit 3"
