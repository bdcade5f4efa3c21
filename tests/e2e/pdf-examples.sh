#!/bin/sh
# Every example rendered as text and PDF: the PDF's text (pdftotext, in
# content-stream order) holds every line the text renderer writes
# (whitespace and table rules ignored, page footers removed); the PDF is
# under 1 MB, passes qpdf --check, embeds every font as a subset with a
# Unicode map (pdffonts), and two renders are byte-identical.
set -u
: "${GONGKAI:?}" "${TOP:?}" "${WORK:?}"
for tool in pdftotext pdffonts qpdf; do
    command -v "$tool" >/dev/null 2>&1 || { echo "no $tool"; exit 77; }
done
set -- "$TOP"/examples/*.json
[ -e "$1" ] || { echo "no examples"; exit 77; }

fail=0
for data in "$@"; do
    stem=$(basename "$data" .json)
    mkdir -p "$WORK/a" "$WORK/b"
    if ! "$GONGKAI" render -q -f txt,pdf -o "$WORK/a" "$data"; then
        echo "$stem: render failed"; fail=1; continue
    fi
    "$GONGKAI" render -q -f pdf -o "$WORK/b" "$data" || { echo "$stem: second render failed"; fail=1; }
    pdf="$WORK/a/$stem.pdf" txt="$WORK/a/$stem.txt"

    cmp -s "$pdf" "$WORK/b/$stem.pdf" || { echo "$stem: two renders differ"; fail=1; }

    size=$(wc -c <"$pdf")
    [ "$size" -lt 1048576 ] || { echo "$stem: PDF is $size bytes (limit 1 MB)"; fail=1; }

    qpdf --check "$pdf" >"$WORK/qpdf.log" 2>&1 || { echo "$stem: qpdf --check failed"; tail -5 "$WORK/qpdf.log"; fail=1; }

    # pdffonts: two heading lines, then one line per font; columns
    # emb sub uni must all say yes.
    pdffonts "$pdf" >"$WORK/fonts.txt" 2>&1 || { echo "$stem: pdffonts failed"; fail=1; }
    bad=$(awk 'NR > 2 && !/ yes +yes +yes +[0-9]/' "$WORK/fonts.txt")
    if [ -n "$bad" ]; then
        echo "$stem: a font is not embedded as a subset with a Unicode map:"; echo "$bad"; fail=1
    fi
    [ "$(awk 'NR > 2' "$WORK/fonts.txt" | wc -l)" -ge 2 ] || { echo "$stem: too few fonts"; cat "$WORK/fonts.txt"; fail=1; }

    pdftotext -raw -enc UTF-8 "$pdf" "$WORK/pdf.txt" || { echo "$stem: pdftotext failed"; fail=1; continue; }
    # Compare without whitespace (a line break inside Chinese text is no
    # space), without the text renderer's table rules and without the
    # PDF's page footers (— 12 —), which fall inside paragraphs that
    # cross pages.  Paragraph lines must appear whole.
    missing=$(LC_ALL=C awk -v pdffile="$WORK/pdf.txt" '
        function squeeze(s) { gsub(/[ \t\r\f]+/, "", s); return s }
        # Whole, or in a few long pieces: a table cell cut by a page
        # break continues after the next page header.
        function found(p,   lo, hi, mid, cuts) {
            while (p != "") {
                if (index(all, p)) return 1
                lo = 0; hi = length(p)
                while (lo < hi) {
                    mid = int((lo + hi + 1) / 2)
                    if (index(all, substr(p, 1, mid))) lo = mid; else hi = mid - 1
                }
                if (lo < 9 || ++cuts > 6) return 0
                p = substr(p, lo + 1)
            }
            return 1
        }
        BEGIN {
            while ((getline line < pdffile) > 0) {
                line = squeeze(line)
                if (line ~ /^\xe2\x80\x94[0-9]+\xe2\x80\x94$/) continue
                all = all line
            }
        }
        # A table row (cells between |) or aligned columns (two spaces
        # or more) is checked piece by piece: the text renderer wraps a
        # long cell over several lines, the PDF within the cell.
        {
            line = $0
            if (line ~ /^[+-]+$/) next             # table rule
            sub(/^ +/, "", line)
            inrow = line ~ /^\|/
            np = split(line, piece, /\||  +/)
            for (i = 1; i <= np; i++) {
                p = squeeze(piece[i])
                if (p != "" && !(inrow ? found(p) : index(all, p))) { print NR ": " p; n++; break }
            }
        }
        END { exit n > 0 }' "$txt")
    if [ -n "$missing" ]; then
        echo "$stem: lines of the text output not in the PDF text:"
        echo "$missing" | head -20
        fail=1
    fi
    lines=$(wc -l <"$txt")
    echo "$stem: $size bytes, $(awk 'NR > 2' "$WORK/fonts.txt" | wc -l) fonts, $lines text lines checked"
    rm -rf "$WORK/a" "$WORK/b"
done
exit $fail
