#!/bin/sh
# Seed 000 (2023 中共北京市西城区委办公室 部门决算): render the example as
# text and check that every number-bearing sentence of
# tests/expected/seed000-sentences.txt appears in it verbatim (with the
# seed's arithmetic errors corrected), and that no template leftover or
# wrong figure of the seed does.
set -u
: "${GONGKAI:?}" "${TOP:?}" "${WORK:?}"
data="$TOP/examples/xicheng-quweiban-2023-juesuan.json"
want="$TOP/tests/expected/seed000-sentences.txt"

"$GONGKAI" render -f txt -o "$WORK" "$data" || { echo "render failed"; exit 1; }
txt="$WORK/xicheng-quweiban-2023-juesuan.txt"
[ -s "$txt" ] || { echo "no text output at $txt"; ls -l "$WORK"; exit 1; }

fail=0 n=0
while IFS= read -r s; do
    [ -n "$s" ] || continue
    n=$((n + 1))
    if ! grep -F -q -- "$s" "$txt"; then
        echo "missing sentence: $s"
        fail=1
    fi
done <"$want"
[ "$n" -ge 30 ] || { echo "only $n expected sentences"; fail=1; }

# Template leftovers and the seed's wrong percentages must not appear.
for bad in '增加（减少）' '增长（下降）' '{{' '}}' 'null' '下降6.50%' '下降1.58%' \
           '增长15.07%' '增长10.72%' '政府性性基金' '不汲及' '0.00%'; do
    if grep -F -q -- "$bad" "$txt"; then
        echo "unexpected text: $bad"
        grep -F -n -- "$bad" "$txt" | head -3
        fail=1
    fi
done

# The four parts, in order.
prev=0
for p in '第一部分' '第二部分' '第三部分' '第四部分'; do
    line=$(grep -n -F -- "$p" "$txt" | grep -v '目录' | tail -1 | cut -d: -f1)
    if [ -z "$line" ] || [ "$line" -le "$prev" ]; then
        echo "part $p missing or out of order"; fail=1
    else
        prev=$line
    fi
done

# The nine 公开表, each with its title.
for t in '公开01表' '公开02表' '公开03表' '公开04表' '公开05表' '公开06表' '公开07表' '公开08表' '公开09表'; do
    grep -F -q -- "$t" "$txt" || { echo "table $t missing"; fail=1; }
done

# Charts: captions numbered in order; no 上年/本年 bar for a unit without a
# previous year.
prev=0
for c in '图1：收入决算' '图2：基本支出和项目支出情况' '图3：一般公共预算财政拨款支出年初预算与决算对比'; do
    line=$(grep -n -F -- "$c" "$txt" | head -1 | cut -d: -f1)
    if [ -z "$line" ] || [ "$line" -le "$prev" ]; then
        echo "chart caption missing or out of order: $c"; fail=1
    else
        prev=$line
    fi
done
if grep -F -q -- '图4' "$txt" || grep -F -q -- '收、支总计变动情况' "$txt"; then
    echo "unexpected chart (no previous year in the data)"; fail=1
fi

# Table rows that carry the seed's figures (table text: cells between '|').
row_has() { # code, then the figures the row must show
    code=$1; shift
    line=$(grep -E "^\| $code +\|" "$txt" | grep -F -- "$1" | head -1)
    for f in "$@"; do
        case "$line" in *" $f "*) ;; *) echo "row $code lacks $f: $line"; fail=1 ;; esac
    done
}
row_has 2013101 1796.67 1687.07        # 05: 年初预算, 决算
row_has 2080501 172.04 169.37
row_has 2101101 165.68 195.08
row_has 2210201 179.06 200.57
row_has 201 3021.92
row_has 208 520.42
row_has 302 86.05                      # 06: 公用经费 = 机关运行经费
grep -E '^\| +合计 +\| +2719\.36 \| +86\.05 \|' "$txt" >/dev/null || { echo "06 合计 人员/公用经费 missing"; fail=1; }
grep -E '^\| 决算数 +\| +10\.47 \| +10\.47 \|' "$txt" >/dev/null || { echo "07 决算数 row missing"; fail=1; }
grep -F -q '本部门本年度无政府性基金预算财政拨款收入、支出及结转结余，故本表为空表。' "$txt" || { echo "08 empty note missing"; fail=1; }

exit $fail
