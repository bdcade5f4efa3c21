#!/bin/sh
# The DOCX of every example is a document real clients read:
#  - python-docx opens it (package, relationships, paragraphs, tables);
#  - two renders are byte-identical: one rendered with the PDF (its TOC page
#    numbers from the PDF's layout) and one alone (its own layout);
#  - the TOC field's cached entries carry the page numbers our PDF's TOC
#    prints, entry for entry;
#  - LibreOffice converts it to PDF (one soffice start for all examples), and
#    that PDF's text holds every sentence and every table cell of the text
#    rendering of the same example, so the DOCX says what the text says, and
#    shows a page number after every TOC entry.
set -u
ls "$TOP"/examples/*.json >/dev/null 2>&1 || { echo "no examples"; exit 77; }
command -v soffice >/dev/null 2>&1 || { echo "LibreOffice not installed"; exit 77; }
command -v pdftotext >/dev/null 2>&1 || { echo "pdftotext not installed"; exit 77; }
PY=/usr/bin/python3   # a pyenv python3 may come first on PATH
"$PY" -c 'import docx' 2>/dev/null || { echo "python3-docx not installed"; exit 77; }

fail=0
mkdir -p "$WORK/out" "$WORK/again" "$WORK/pdf"
for ex in "$TOP"/examples/*.json; do
    name=$(basename "$ex" .json)
    if ! "$GONGKAI" render -q -f txt,pdf,docx -o "$WORK/out" "$ex"; then
        echo "FAIL $name: render"
        fail=1
        continue
    fi
    "$GONGKAI_FAST" render -q -f docx -o "$WORK/again" "$ex" || fail=1
    if ! cmp -s "$WORK/out/$name.docx" "$WORK/again/$name.docx"; then
        echo "FAIL $name: two renders differ"
        fail=1
    fi
    "$PY" - "$WORK/out/$name.docx" <<'EOF' || { echo "FAIL $name: python-docx"; fail=1; }
import sys, docx
d = docx.Document(sys.argv[1])
styles = {p.style.name for p in d.paragraphs}
assert len(d.paragraphs) > 20, len(d.paragraphs)
assert len(d.tables) > 0
assert "heading 1" in {s.lower() for s in styles} or "Heading 1" in styles, styles
for t in d.tables:
    assert len(t.rows) > 0 and len(t.columns) > 0
EOF
    pdftotext -layout -enc UTF-8 "$WORK/out/$name.pdf" "$WORK/out/$name.pdf.txt"
    "$PY" - "$WORK/out/$name.docx" "$WORK/out/$name.pdf.txt" >"$WORK/out/$name.toc" <<'EOF' || { echo "FAIL $name: TOC page numbers"; cat "$WORK/out/$name.toc"; fail=1; }
import re, sys, zipfile
import xml.etree.ElementTree as ET
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
root = ET.fromstring(zipfile.ZipFile(sys.argv[1]).read("word/document.xml"))
entries = []
for p in root.iter(W + "p"):
    st = p.find(W + "pPr/" + W + "pStyle")
    if st is None or not re.match(r"TOC\d$", st.get(W + "val")):
        continue
    link = p.find(W + "hyperlink")
    runs = list(link.iter(W + "r"))
    text = "".join(t.text or "" for t in runs[0].iter(W + "t"))
    # the PAGEREF field's cached result: the run after its separator
    sep = [i for i, r in enumerate(runs)
           if any(f.get(W + "fldCharType") == "separate" for f in r.iter(W + "fldChar"))]
    assert sep, "no page number: " + text
    number = "".join(t.text or "" for t in runs[sep[0] + 1].iter(W + "t"))
    entries.append((text, number))
pdf = re.sub(r"\s+", "", open(sys.argv[2], encoding="utf-8").read())
bad, at = 0, 0
for text, number in entries:
    # the first place the entry stands in our PDF is its TOC, in order
    m = re.compile(re.escape(re.sub(r"\s+", "", text)) + r"(\d+)").search(pdf, at)
    ours = m.group(1) if m else None
    print("%s\t%s" % (text, number))
    if ours != number:
        print("  the PDF's TOC says %s" % ours)
        bad += 1
    if m:
        at = m.end()
assert len(entries) >= 15, entries
sys.exit(1 if bad else 0)
EOF
done

# One LibreOffice start converts them all (~6 s).
TIMEOUT=""
command -v timeout >/dev/null 2>&1 && TIMEOUT="timeout 600"
$TIMEOUT soffice --headless --norestore "-env:UserInstallation=file://$WORK/lo" \
    --convert-to pdf --outdir "$WORK/pdf" "$WORK"/out/*.docx >"$WORK/lo.log" 2>&1

for ex in "$TOP"/examples/*.json; do
    name=$(basename "$ex" .json)
    [ -f "$WORK/out/$name.docx" ] || continue
    if [ ! -s "$WORK/pdf/$name.pdf" ]; then
        echo "FAIL $name: LibreOffice did not convert it"
        cat "$WORK/lo.log"
        fail=1
        continue
    fi
    pdftotext -enc UTF-8 "$WORK/pdf/$name.pdf" "$WORK/pdf/$name.txt"
    "$PY" - "$WORK/out/$name.txt" "$WORK/pdf/$name.txt" "$WORK/out/$name.toc" <<'EOF' || { echo "FAIL $name: text differs"; fail=1; }
import re, sys
txt = open(sys.argv[1], encoding="utf-8").read()
pdf = open(sys.argv[2], encoding="utf-8").read()

def norm(s):
    return re.sub(r"\s+", "", s)

pdf = re.sub(r"(?m)^\s*— *\d+ *—\s*$", "", pdf)  # page numbers in the footers
P = norm(pdf)

def wrapped(p):
    """A table cell LibreOffice wrapped: pdftotext interleaves its lines
    with the neighbouring cells' lines.  Accept the cell's characters in
    order, close together, starting where its first character is."""
    start = P.find(p[0])
    while start >= 0:
        end = min(len(P), start + 40 * len(p) + 3000)
        i = start
        for ch in p:
            i = P.find(ch, i, end)
            if i < 0:
                break
            i += 1
        else:
            return True
        start = P.find(p[0], start + 1)
    return False

missing, n, chart = [], 0, False
for line in txt.split("\n"):
    s = line.strip()
    if not s:
        chart = False
        continue
    if chart:          # the chart's data, drawn in the picture
        continue
    if re.match(r"^图\d+[：:]", s):
        chart = True
        pieces = [s]
    elif s.startswith("+"):
        continue
    elif s.startswith("|"):
        pieces = s.strip("|").split("|")
    else:
        pieces = re.split(r"(?<=[。；！？])", s)
    cell = s.startswith("|")
    for p in pieces:
        p = norm(p)
        if not p:
            continue
        n += 1
        if p not in P and not (cell and wrapped(p)):
            missing.append(p)
# every TOC entry shows a page number in LibreOffice (its cached one: LO
# does not update the field on opening, and would count its own pages)
shown, same = 0, 0
toc = [l.rsplit("\t", 1) for l in open(sys.argv[3], encoding="utf-8").read().splitlines()
       if "\t" in l]
at = 0
for text, number in toc:
    m = re.compile(re.escape(norm(text)) + r"[.·…]*(\d+)").search(P, at)
    if m:
        shown += 1
        same += m.group(1) == number
        at = m.end()
    else:
        missing.append("TOC page number: " + text)
print("%s: TOC %d entries, %d with a page number in LibreOffice, %d as ours"
      % (sys.argv[1].rsplit("/", 1)[-1], len(toc), shown, same))
print("%s: %d pieces, %d missing" % (sys.argv[1].rsplit("/", 1)[-1], n, len(missing)))
for m in missing[:20]:
    print("  missing:", m)
assert n > 100
sys.exit(1 if missing else 0)
EOF
done
exit $fail
