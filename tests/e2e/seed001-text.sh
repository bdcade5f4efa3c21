#!/bin/sh
# Seed 001 (2023 北京市西城区人民政府办公室 部门预算): render the example as
# text and check
#  - every row of the 14 tables (tests/expected/seed001-tables.txt): under
#    "# 表N title" the rows of that table, cells separated by " | ", in
#    order (lines the renderer adds for multi-line cells are skipped);
#    a line "! text" is a note the table prints instead of rows;
#  - every number-bearing sentence of 第一部分 (seed001-sentences.txt),
#    verbatim;
#  - that the seed's wrong totals and wordings are not printed.
# Cells are compared after trimming; "|" and the box lines are the text
# renderer's separators (src/doc), so the test is about cells and numbers,
# not column widths.  examples/NOTES.md (seed 001 section) lists the corrections.
set -u
: "${GONGKAI:?}" "${TOP:?}" "${WORK:?}"
data="$TOP/examples/xicheng-zhengfuban-2023-yusuan.json"
tables="$TOP/tests/expected/seed001-tables.txt"
sentences="$TOP/tests/expected/seed001-sentences.txt"

"$GONGKAI" check "$data" || { echo "check failed"; exit 1; }

# The seed's own 表七 合计 (人员经费 2678.604705, 公用经费 288.297477: it moves
# 30239 其他交通费用 64.656 to 公用经费 although the line prints it under
# 人员经费) must fail check, naming both numbers.
sed 's/"total": { "personnel": 2743.260705, "public": 223.641477 }/"total": { "personnel": 2678.604705, "public": 288.297477 }/' \
    "$data" >"$WORK/seed-table7.json"
if ! grep -q '2678.604705' "$WORK/seed-table7.json"; then
    echo "could not build the seed's 表七 variant"; exit 1
fi
if "$GONGKAI" check "$WORK/seed-table7.json" >"$WORK/t7.out" 2>&1; then
    echo "check accepted the seed's wrong 表七 合计"; exit 1
fi
for n in 2678.604705 2743.260705 288.297477 223.641477 'general_basic.total.personnel'; do
    grep -F -q -- "$n" "$WORK/t7.out" || { echo "check's message lacks $n:"; cat "$WORK/t7.out"; exit 1; }
done
"$GONGKAI" render -f txt -o "$WORK" "$data" || { echo "render failed"; exit 1; }
txt="$WORK/xicheng-zhengfuban-2023-yusuan.txt"
[ -s "$txt" ] || { echo "no text output at $txt"; ls -l "$WORK"; exit 1; }

fail=0

# ---- tables, row by row
awk -v want="$tables" '
function trim(s) { gsub(/^[ \t]+|[ \t]+$/, "", s); return s }
# "| a | b |" -> "a | b"; anything else -> "" (not a table row)
function cells(line,   n, i, a, out) {
    if (line !~ /^\|/) return ""
    line = substr(line, 2); sub(/\|[ \t]*$/, "", line)
    n = split(line, a, "|"); out = ""
    for (i = 1; i <= n; i++) out = out (i > 1 ? " | " : "") trim(a[i])
    return out
}
function norm(line,   n, i, a, out) {
    n = split(line, a, " [|] ?"); out = ""
    for (i = 1; i <= n; i++) out = out (i > 1 ? " | " : "") trim(a[i])
    return out
}
BEGIN { ntab = 0 }
# pass 1: the rendered text, split into tables at their number lines
FNR == NR {
    if ($0 ~ /^表[一二三四五六七八九十]+( .*)?$/) {
        cur = $0; t1 = ""
        if (index(cur, " ")) { t1 = substr(cur, index(cur, " ") + 1); cur = substr(cur, 1, index(cur, " ") - 1) }
        start[cur] = FNR; title[cur] = t1; nl[cur] = 0; next
    }
    if (cur != "" && title[cur] == "") { title[cur] = $0; next }
    if (cur != "") { nl[cur]++; L[cur, nl[cur]] = ($0 ~ /^\|/) ? cells($0) : trim($0) }
    next
}
END {
    fail = 0; rows = 0
    while ((getline w < want) > 0) {
        if (w ~ /^# /) {
            split(substr(w, 3), h, " "); t = h[1]; tt = substr(w, 3 + length(t) + 1)
            ntab++; pos = 0
            if (!(t in start)) { print "table missing: " t; fail = 1; t = ""; continue }
            if (title[t] != tt) { print t ": title \"" title[t] "\", want \"" tt "\""; fail = 1 }
            continue
        }
        if (t == "" || w ~ /^[ \t]*$/) continue
        note = (w ~ /^! /); e = note ? trim(substr(w, 3)) : norm(w); rows++
        found = 0
        for (i = pos + 1; i <= nl[t]; i++) if (L[t, i] == e) { found = i; break }
        if (!found) {
            print t ": row not found (in order): " e
            fail = 1
        } else pos = found
    }
    if (ntab != 14) { print "expected 14 tables in the fixture, got " ntab; fail = 1 }
    if (rows < 250) { print "only " rows " expected rows"; fail = 1 }
    printf "%d tables, %d rows checked\n", ntab, rows
    exit fail
}' "$txt" || fail=1

# ---- sentences of 第一部分
n=0
while IFS= read -r s; do
    [ -n "$s" ] || continue
    n=$((n + 1))
    if ! grep -F -q -- "$s" "$txt"; then
        echo "missing sentence: $s"
        fail=1
    fi
done <"$sentences"
[ "$n" -ge 15 ] || { echo "only $n expected sentences"; fail=1; }

# ---- the seed's wrong figures and wordings, and template leftovers
for bad in '2678.604705' '2,678.604705' '288.297477' '3,819.05 ' '减少16.69%' '增加15.29%' \
           '名称解释' '年府采购' '159.25285万元' '{{' '}}' 'null' '增加（减少）' '增长（下降）' \
           '0.000000万元' '无 无 无'; do
    if grep -F -q -- "$bad" "$txt"; then
        echo "unexpected text: $bad"
        grep -F -n -- "$bad" "$txt" | head -3
        fail=1
    fi
done

# ---- structure: the parts, the six sections of 第一部分 and the 14 tables in order
at() { l=$(grep -n -x -F -- "$1" "$txt" | tail -1 | cut -d: -f1); echo "${l:-0}"; }
prev=0
for p in '第一部分 2023年部门预算情况说明' '一、部门主要职责及机构设置情况' \
         '二、2023年部门预算收支及增减变化情况说明' '三、主要支出情况' \
         '四、部门“三公”经费财政拨款预算说明' '五、其他情况说明' '六、名词解释' \
         '第二部分 2023年部门预算报表' '表一' '表二' '表三' '表四' '表五' '表六' '表七' \
         '表八' '表九' '表十' '表十一' '表十二' '表十三' '表十四'; do
    line=$(at "$p")
    if [ "$line" -le "$prev" ]; then
        echo "missing or out of order: $p (line $line, after line $prev)"; fail=1
    else
        prev=$line
    fi
done

# ---- glossary
for g in '1、行政运行经费：指各部门的公用经费' '2、三公经费：指单位通过财政拨款资金安排的因公出国（境）费'; do
    grep -F -q -- "$g" "$txt" || { echo "missing glossary entry: $g"; fail=1; }
done

exit $fail
