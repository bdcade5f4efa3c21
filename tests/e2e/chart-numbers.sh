#!/bin/sh
# Charts in every example: the numbers a chart shows in the PDF (vector
# text drawn from the chart geometry) are the numbers of the text report;
# every pie label "金额万元，占P%" gives the share the narrative gives for
# that amount; every chart of the report is a picture in the DOCX, and
# each picture is an opaque RGB PNG.
set -u
: "${GONGKAI:?}" "${TOP:?}" "${WORK:?}"
for tool in pdftotext unzip file; do
    command -v "$tool" >/dev/null 2>&1 || { echo "no $tool"; exit 77; }
done

fail=0 charts=0
for data in "$TOP"/examples/*.json; do
    name=$(basename "$data" .json)
    "$GONGKAI" render -f txt,pdf,docx -o "$WORK" "$data" >/dev/null 2>"$WORK/$name.err" ||
        { echo "$name: render failed"; cat "$WORK/$name.err"; fail=1; continue; }
    txt="$WORK/$name.txt"
    pdftotext -layout "$WORK/$name.pdf" "$WORK/$name.pdf.txt" ||
        { echo "$name: pdftotext failed"; fail=1; continue; }
    # The text report lists each chart as its caption "图N：…" and then one
    # line per point: label, two spaces, the value(s).
    awk '/^图[0-9]+：/ { inchart = 1; next }
         inchart && NF == 0 { inchart = 0; next }
         inchart { for (i = 2; i <= NF; i++) if ($i ~ /^-?[0-9][0-9,]*\.?[0-9]*$/) print $i }' \
        "$txt" | sort -u >"$WORK/$name.values"
    ncap=$(grep -c '^图[0-9][0-9]*：' "$txt")
    charts=$((charts + ncap))
    while IFS= read -r v; do
        grep -F -q -- "$v" "$WORK/$name.pdf.txt" ||
            { echo "$name: chart value $v is not in the PDF"; fail=1; }
    done <"$WORK/$name.values"
    # Pie labels: the share must be the narrative's share of that amount
    # ("2805.41万元，占69.80%" in the chart, "2805.41万元，占支出合计的69.80%"
    # in the text).
    grep -o '[0-9][0-9.]*万元，占[0-9][0-9.]*%' "$WORK/$name.pdf.txt" | sort -u |
    while IFS= read -r lab; do
        amount=${lab%%万元*}
        pct=$(printf '%s' "${lab##*占}" | sed 's/\./\\./g')
        amount=$(printf '%s' "$amount" | sed 's/\./\\./g')
        echo x >>"$WORK/pies"
        grep -q -- "$amount万元，占[^；。]*[^0-9.]$pct" "$txt" ||
            { echo "$name: pie label $lab has no matching sentence"; echo x >>"$WORK/fail"; }
    done
    # Every caption under its chart in the PDF too.
    grep '^图[0-9][0-9]*：' "$txt" | while IFS= read -r cap; do
        grep -F -q -- "$cap" "$WORK/$name.pdf.txt" ||
            { echo "$name: caption $cap is not in the PDF"; echo x >>"$WORK/fail"; }
    done
    # DOCX: one PNG per chart, RGB without alpha.
    mkdir -p "$WORK/$name.docx.d"
    (cd "$WORK/$name.docx.d" && unzip -q -o "../$name.docx") ||
        { echo "$name: unzip failed"; fail=1; continue; }
    npng=0
    for png in "$WORK/$name.docx.d"/word/media/*.png; do
        [ -e "$png" ] || continue
        npng=$((npng + 1))
        desc=$(file -b "$png")
        case "$desc" in
        "PNG image data, "*", 8-bit/color RGB, non-interlaced") ;;
        *) echo "$name: $(basename "$png") is $desc"; fail=1 ;;
        esac
    done
    [ "$npng" -eq "$ncap" ] ||
        { echo "$name: $ncap charts in the text, $npng pictures in the DOCX"; fail=1; }
done
[ -e "$WORK/fail" ] && fail=1
npies=$(cat "$WORK/pies" 2>/dev/null | wc -l)
[ "$npies" -ge 3 ] || { echo "only $npies pie labels found in the PDFs"; fail=1; }
[ "$charts" -ge 3 ] || { echo "only $charts charts in all examples"; fail=1; }
echo "$charts charts, $npies pie labels checked"
exit $fail
