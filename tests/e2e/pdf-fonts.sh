#!/bin/sh
# The font map as a user meets it through the command line: a map whose
# files are all missing stops the PDF with an error naming the role, the
# files tried and the map's line, and writes no file; a stand-in font is
# reported once per document, not once per paragraph.
set -u
: "${GONGKAI:?}" "${TOP:?}" "${WORK:?}"
data="$TOP/examples/xinjiekou-2023-juesuan.json"
[ -e "$data" ] || { echo "no example"; exit 77; }
fail=0

cat >"$WORK/bad.conf" <<'EOF'
# every file missing
宋体   /nonexistent/simsun.ttc:0
宋体   no-such-font-file.ttf
仿宋   /nonexistent/simfang.ttf
EOF
if GONGKAI_FONTMAP="$WORK/bad.conf" "$GONGKAI" render -f pdf -o "$WORK/out" "$data" 2>"$WORK/err.txt"; then
    echo "render succeeded without fonts"; fail=1
fi
grep -q '宋体' "$WORK/err.txt" || { echo "error does not name the role:"; cat "$WORK/err.txt"; fail=1; }
grep -q '/nonexistent/simsun.ttc:0' "$WORK/err.txt" || { echo "error does not name the files tried"; cat "$WORK/err.txt"; fail=1; }
grep -q "$WORK/bad.conf:2" "$WORK/err.txt" || { echo "error does not point at the map"; cat "$WORK/err.txt"; fail=1; }
[ ! -e "$WORK/out/xinjiekou-2023-juesuan.pdf" ] || { echo "a PDF was written anyway"; fail=1; }

# Stand-ins: one warning per role per document.
cat >"$WORK/standin.conf" <<EOF
宋体   /usr/share/fonts/truetype/arphic-gbsn00lp/gbsn00lp.ttf
黑体   /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc:0
楷体   /usr/share/fonts/truetype/arphic-gkai00mp/gkai00mp.ttf
仿宋   /nonexistent/simfang.ttf
仿宋   /usr/share/fonts/truetype/arphic-gbsn00lp/gbsn00lp.ttf  as=宋体
小标宋 /usr/share/fonts/truetype/arphic-gbsn00lp/gbsn00lp.ttf  as=宋体 bold
EOF
for f in /usr/share/fonts/truetype/arphic-gbsn00lp/gbsn00lp.ttf /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc \
         /usr/share/fonts/truetype/arphic-gkai00mp/gkai00mp.ttf; do
    [ -e "$f" ] || { echo "no $f"; exit 77; }
done
GONGKAI_FONTMAP="$WORK/standin.conf" "$GONGKAI" render -f pdf -o "$WORK/out" "$data" 2>"$WORK/warn.txt" ||
    { echo "render with stand-ins failed"; cat "$WORK/warn.txt"; fail=1; }
n=$(grep -c '仿宋' "$WORK/warn.txt")
[ "$n" -eq 1 ] || { echo "仿宋 stand-in reported $n times:"; cat "$WORK/warn.txt"; fail=1; }
grep -q "standin.conf:5" "$WORK/warn.txt" || { echo "warning does not point at the map line"; cat "$WORK/warn.txt"; fail=1; }
n=$(grep -c '小标宋' "$WORK/warn.txt")
[ "$n" -eq 1 ] || { echo "小标宋 stand-in reported $n times"; fail=1; }
pdffonts "$WORK/out/xinjiekou-2023-juesuan.pdf" | grep -q 'GB' || { echo "the AR PL font is not used"; fail=1; }
exit $fail
