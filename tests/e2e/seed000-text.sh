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

exit $fail
