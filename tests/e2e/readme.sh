#!/bin/sh
# The README's short complete data file: it must pass check and render to
# every format, and its numbers must come out derived (totals, shares,
# changes) as the README promises.
set -u
: "${GONGKAI:?}" "${TOP:?}" "${WORK:?}"
awk '/^```json$/{on=1; next} /^```$/{if (on) exit} on' "$TOP/README.md" >"$WORK/readme-example.json"
[ -s "$WORK/readme-example.json" ] || { echo "no json block in README.md"; exit 1; }
"$GONGKAI" check "$WORK/readme-example.json" || { echo "README example fails check"; exit 1; }
"$GONGKAI" render -f txt,pdf,docx -o "$WORK" "$WORK/readme-example.json" || exit 1
t="$WORK/readme-example.txt"
for want in '2024年度收、支总计125.50万元，比上年增加5.50万元，增长4.58%' \
            '基本支出100万元，占支出合计的79.68%；项目支出25.50万元，占支出合计的20.32%' \
            '行政运行'; do
    grep -F -q -- "$want" "$t" || { echo "README example text lacks: $want"; exit 1; }
done
[ -s "$WORK/readme-example.pdf" ] && [ -s "$WORK/readme-example.docx" ] || exit 1
