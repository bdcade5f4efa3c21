#!/bin/sh
# Seed 002 (2023 北京市西城区新街口街道办事处 部门决算): render the example
# as text and check that every number-bearing sentence of
# tests/expected/seed002-sentences.txt appears in it verbatim (with the
# seed's arithmetic errors corrected, examples/NOTES.md lists them), that
# the seed's wrong figures and template leftovers do not, and that the
# sections seed 002 adds to the 决算 layout (基本情况 sub-headings, charts,
# 各类民生支出情况, 第三部分 with its 自评表) are there, in order.
set -u
: "${GONGKAI:?}" "${TOP:?}" "${WORK:?}"
data="$TOP/examples/xinjiekou-2023-juesuan.json"
want="$TOP/tests/expected/seed002-sentences.txt"

"$GONGKAI" check "$data" || { echo "check failed"; exit 1; }

# The seed's own wrong shares, stated as printed, must fail the check.
sed -e 's/"project": "73"/"project": "73", "basic": "26.99"/' \
    -e 's/"small_micro": "51.55"/"small_micro": "51.55", "sme": "65.16"/' "$data" >"$WORK/seedpct.json"
if "$GONGKAI" check "$WORK/seedpct.json" >"$WORK/seedpct.out" 2>&1; then
    echo "check accepted the seed's 26.99% and 65.16%"; exit 1
fi
for w in '26.99%' '27.00%' '65.16%' '65.17%'; do
    grep -F -q -- "$w" "$WORK/seedpct.out" || { echo "check output lacks $w:"; cat "$WORK/seedpct.out"; exit 1; }
done
"$GONGKAI" render -f txt -o "$WORK" "$data" || { echo "render failed"; exit 1; }
txt="$WORK/xinjiekou-2023-juesuan.txt"
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

# The seed's wrong figures, misplaced items and template leftovers.
for bad in '增加（减少）' '增长（下降）' '{{' '}}' 'null' '0.00%' \
           '26.99%' '减少4.63万元' '65.16%' '占本年财政拨款支出0.71%' '下降7.94%' \
           '161.4%' '增加0万元' '国有资本经营预算支出18万元，占' \
           '其他支出2.22万元，占本年财政拨款支出' '占本年财政拨款支出0.005%' \
           '此处插入图表' '图1：收入预算' '需公开内设机构' '各单位需根据自身业务职能' \
           '人大事务（款）' '自评等分' '包括绩效目标设立依据' '包括项目背景' \
           '包括总体目标和阶段性目标' '附表说明' '减少5.17万元，' '取表方式'; do
    if grep -F -q -- "$bad" "$txt"; then
        echo "unexpected text: $bad"
        grep -F -n -- "$bad" "$txt" | head -3
        fail=1
    fi
done

# Last line holding $1 (the body, not the table of contents), or 0.
at() { l=$(grep -n -F -- "$1" "$txt" | tail -1 | cut -d: -f1); echo "${l:-0}"; }

# In this order: the parts, and the sections seed 002 adds.
prev=0
for p in '第一部分' '（一）机构职责' '（二）机构设置' '图1：收入决算' '图2：基本支出和项目支出情况' \
         '第二部分' '政府购买服务支出说明' '各类民生支出情况' '专业名词解释' \
         '第三部分' '部门整体绩效报告' '社区党组织服务群众经费项目绩效评价报告' \
         '项目支出绩效自评表' '第四部分'; do
    line=$(at "$p")
    if [ "$line" -le "$prev" ]; then
        echo "missing or out of order: $p (line $line, after line $prev)"; fail=1
    else
        prev=$line
    fi
done

# The nine 公开表.
for t in '公开01表' '公开02表' '公开03表' '公开04表' '公开05表' '公开06表' '公开07表' '公开08表' '公开09表'; do
    grep -F -q -- "$t" "$txt" || { echo "table $t missing"; fail=1; }
done

# The glossary (11 entries of the seed) and the 自评表's cells.
for g in '财政拨款收入：指单位从同级财政部门取得的财政预算资金。' \
         '政府购买服务：是指各级国家机关将属于自身职责范围' \
         '社区党组织服务群众经费' '党群工作办公室-党建组' '92.66%' '3891817.18' '社区群众满意率'; do
    grep -F -q -- "$g" "$txt" || { echo "missing: $g"; fail=1; }
done

exit $fail
