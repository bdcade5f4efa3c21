#!/bin/sh
# Every documented limit (docs/LIMITS.md), through the CLI: the input at
# the limit works, one past it is a located error with exit 1 (never a
# crash, a hang or an out-of-memory abort).  The oversized inputs are
# generated here.
set -u
: "${GONGKAI:?}" "${GONGKAI_FAST:?}" "${TOP:?}" "${WORK:?}"
D="$TOP/tests/templates/small-2023.json"
fail=0 n=0
bad() { echo "FAIL: $*"; fail=1; }
mkdir -p "$WORK/out"

# data FILE plus python code that changes `d` (the JSON of small-2023)
gen() { # out-file python-statements
    python3 - "$D" "$1" "$2" <<'PY'
import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
exec(sys.argv[3])
json.dump(d, open(sys.argv[2], "w", encoding="utf-8"), ensure_ascii=False)
PY
}
# tmpl NAME BODY: a template folder $WORK/t/NAME holding report.xml
tmpl() {
    mkdir -p "$WORK/t/$1"
    printf '<report xmlns="urn:gongkai:template:1">\n%s\n</report>\n' "$2" >"$WORK/t/$1/report.xml"
}
# ok NAME cmd...: exit 0 within the time limit
ok() {
    name=$1; shift; n=$((n + 1))
    timeout 120 "$@" >"$WORK/stdout" 2>"$WORK/err"; rc=$?
    [ $rc -eq 0 ] || { bad "$name (at the limit): exit $rc"; head -n 3 "$WORK/err"; }
    rm -f "$WORK/out"/*
}
# over NAME RC PATTERN cmd...: exit RC, message matching PATTERN, nothing written
over() {
    name=$1 want=$2 pat=$3; shift 3; n=$((n + 1))
    timeout 120 "$@" >"$WORK/stdout" 2>"$WORK/err"; rc=$?
    [ $rc -eq "$want" ] || { bad "$name (over): exit $rc, want $want"; head -n 3 "$WORK/err"; }
    grep -qE -- "$pat" "$WORK/err" || { bad "$name (over): message lacks /$pat/"; head -n 3 "$WORK/err" | sed 's/^/    got: /'; }
    grep -q "AddressSanitizer\|runtime error\|BUG at" "$WORK/err" && bad "$name: sanitizer report or abort"
    [ -z "$(ls -A "$WORK/out")" ] || { bad "$name: wrote $(ls "$WORK/out")"; rm -f "$WORK/out"/*; }
}
R="$GONGKAI render -q -f txt,pdf,docx -o $WORK/out"
RT="$GONGKAI render -q -f txt -o $WORK/out"

# ---- data ----
# input size: 64 MiB
head -c $((64 * 1024 * 1024 + 1)) /dev/zero | tr '\0' ' ' >"$WORK/big.json"
over input-size 1 "big\.json: 错误: 文件超过 67108864 字节的上限" $RT "$WORK/big.json"
printf '%s' "$(cat "$D")" >"$WORK/pad.json"
head -c $((64 * 1024 * 1024 - $(wc -c <"$WORK/pad.json"))) /dev/zero | tr '\0' ' ' >>"$WORK/pad.json"
[ "$(wc -c <"$WORK/pad.json")" -eq 67108864 ] || bad "pad.json is not 64 MiB"
ok input-size "$GONGKAI_FAST" check "$WORK/pad.json"
rm -f "$WORK/big.json" "$WORK/pad.json"

# nesting depth: 128 (the root object is level 1)
gen "$WORK/d128.json" 'x = 0
for i in range(127): x = [x]
d["deep"] = x'
ok depth $RT "$WORK/d128.json"
gen "$WORK/d129.json" 'x = 0
for i in range(128): x = [x]
d["deep"] = x'
over depth 1 "d129\.json:[0-9]+:[0-9]+: 错误: 嵌套超过 128 层的上限" $RT "$WORK/d129.json"

# string length: 1 MiB
gen "$WORK/s1.json" 'd["note"] = "x" * (1 << 20)'
ok string $RT "$WORK/s1.json"
gen "$WORK/s2.json" 'd["note"] = "x" * ((1 << 20) + 1)'
over string 1 "s2\.json:[0-9]+:[0-9]+: 错误: 字符串超过 1048576 字节的上限" $RT "$WORK/s2.json"

# items per array or object: 1,000,000
gen "$WORK/i1.json" 'd["many"] = [0] * 1000000'
ok items "$GONGKAI_FAST" check "$WORK/i1.json"
gen "$WORK/i2.json" 'd["many"] = [0] * 1000001'
over items 1 "i2\.json:[0-9]+:[0-9]+: 错误: 数组或对象超过 1000000 项的上限" $RT "$WORK/i2.json"

# rows per table: 100,000 (detail lines of one 项, with different econ)
rows='r = d["tables"]["expenditure"]["rows"]
base = dict(r[-1]); base.pop("basic", None); base.pop("project", None)
extra = []
for i in range(N):
    e = dict(base); e["econ"] = "%07d" % i; e["basic"] = 0; extra.append(e)
d["tables"]["expenditure"]["rows"] = r + extra'
gen "$WORK/r1.json" "N = 100000 - $(python3 -c "import json,sys; print(len(json.load(open(sys.argv[1]))['tables']['expenditure']['rows']))" "$D")
$rows"
ok rows "$GONGKAI_FAST" check "$WORK/r1.json"
gen "$WORK/r2.json" "N = 100001 - $(python3 -c "import json,sys; print(len(json.load(open(sys.argv[1]))['tables']['expenditure']['rows']))" "$D")
$rows"
over rows 1 "r2\.json: \\\$\.tables\.expenditure\.rows: 错误: 表有 100001 行，超过 100000 行的上限" $RT "$WORK/r2.json"

# amount columns per table: 256
cols='d["tables"]["wide"] = {"rows": [dict({"code": "2013101"}, **{"c%d" % i: 1 for i in range(N)})]}'
gen "$WORK/c1.json" "N = 256
$cols"
ok columns "$GONGKAI_FAST" check "$WORK/c1.json"
gen "$WORK/c2.json" "N = 257
$cols"
over columns 1 "c2\.json: \\\$\.tables\.wide.*: 错误: 表有 257 个金额列，超过 256 列的上限" $RT "$WORK/c2.json"

# ---- templates ----
# template file size: 16 MiB
tmpl tsize '<p>x</p>'
python3 -c "import sys; sys.stdout.write('<!--' + ' ' * (16 * 1024 * 1024) + '-->')" >>"$WORK/t/tsize/report.xml"
over template-size 1 "tsize/report\.xml: 错误: 文件超过 16777216 字节的上限" $R --template "$WORK/t/tsize" "$D"

# include depth: 16 nested includes (report -> f1 -> ... -> f16)
mkdir -p "$WORK/t/inc"
i=1; while [ $i -le 16 ]; do
    printf '<fragment xmlns="urn:gongkai:template:1"><p>%d</p><include href="f%d.xml"/></fragment>\n' $i $((i + 1)) >"$WORK/t/inc/f$i.xml"
    i=$((i + 1))
done
printf '<fragment xmlns="urn:gongkai:template:1"><p>end</p></fragment>\n' >"$WORK/t/inc/f17.xml"
cp -r "$WORK/t/inc" "$WORK/t/inc16"
printf '<fragment xmlns="urn:gongkai:template:1"><p>end</p></fragment>\n' >"$WORK/t/inc16/f16.xml"
printf '<report xmlns="urn:gongkai:template:1"><include href="f1.xml"/></report>\n' >"$WORK/t/inc/report.xml"
cp "$WORK/t/inc/report.xml" "$WORK/t/inc16/report.xml"
ok include-depth $R --template "$WORK/t/inc16" "$D"
over include-depth 1 "inc/f16\.xml:1: 错误: .*16" $R --template "$WORK/t/inc" "$D"

# XML nesting depth of a template: 256 (libxml2)
python3 -c "print('<report xmlns=\"urn:gongkai:template:1\">' + '<section>' * 250 + '<p>x</p>' + '</section>' * 250 + '</report>')" >"$WORK/t/tmp.xml"
mkdir -p "$WORK/t/xdeep"; mv "$WORK/t/tmp.xml" "$WORK/t/xdeep/report.xml"
ok xml-depth $R --template "$WORK/t/xdeep" "$D"
python3 -c "print('<report xmlns=\"urn:gongkai:template:1\">' + '<section>' * 300 + '<p>x</p>' + '</section>' * 300 + '</report>')" >"$WORK/t/xdeep/report.xml"
over xml-depth 1 "xdeep/report\.xml:1:[0-9]+: 错误: XML 格式错误：Excessive depth" $R --template "$WORK/t/xdeep" "$D"

# expression nesting: 64
e64=$(python3 -c "print('(' * 63 + '1' + ')' * 63)")
e65=$(python3 -c "print('(' * 70 + '1' + ')' * 70)")
tmpl enest "<p>{{ $e64 }}</p>"
ok expr-nesting $R --template "$WORK/t/enest" "$D"
tmpl enest "<p>{{ $e65 }}</p>"
over expr-nesting 1 "enest/report\.xml:2: 错误: 表达式“\(+1\)+”第 [0-9]+ 列：表达式嵌套过深" $R --template "$WORK/t/enest" "$D"

# items per <each>: 100,000; expression steps per document: 1,000,000
gen "$WORK/e1.json" 'd["list"] = list(range(100000))'
gen "$WORK/e2.json" 'd["list"] = list(range(100001))'
tmpl each '<p><each in="data.list" as="x" sep=",">{{ x }}</each></p>'
ok each-items $R --template "$WORK/t/each" "$WORK/e1.json"
over each-items 1 "each/report\.xml:2: 错误: <each in=\"data\.list\"> 有 100001 项，超过上限 100000" $R --template "$WORK/t/each" "$WORK/e2.json"
tmpl steps '<each in="data.list" as="x"><p><each in="data.list" as="y" limit="12">{{ x + y }}</each></p></each>'
over steps 1 "steps/report\.xml:[0-9]+: 错误: (表达式“.*”：)?求值步数超过上限 1000000" $R --template "$WORK/t/steps" "$WORK/e1.json"

# blocks per document: 200,000
tmpl blocks '<each in="data.list" as="x"><p>{{ x }}</p><p>{{ x }}</p><p>{{ x }}</p></each>'
over blocks 1 "blocks/report\.xml:2: 错误: 文档超过 200000 个块" $R --template "$WORK/t/blocks" "$WORK/e1.json"

# a string an expression joins: 1 MiB
gen "$WORK/half.json" 'd["half"] = "x" * (1 << 19)'
tmpl join '<let name="a" value="data.half + data.half"/><p>{{ len(a) }}</p>'
ok string-join $R --template "$WORK/t/join" "$WORK/half.json"
tmpl join '<let name="a" value="data.half + data.half"/><let name="b" value="a + &quot;x&quot;"/><p>{{ len(b) }}</p>'
over string-join 1 "join/report\.xml:2: 错误: 表达式“a \+ \"x\"”：拼接的字符串有 1048577 字节，超过 1048576 字节的上限" $R --template "$WORK/t/join" "$WORK/half.json"
# doubling 40 times would need a terabyte: stopped at the first join past 1 MiB
tmpl double "<let name=\"a0\" value=\"department.name\"/>$(i=1; while [ $i -le 40 ]; do printf '<let name="a%d" value="a%d + a%d"/>' $i $((i - 1)) $((i - 1)); i=$((i + 1)); done)<p>{{ len(a40) }}</p>"
over string-doubling 1 "double/report\.xml:2: 错误: .*拼接的字符串有 [0-9]+ 字节，超过 1048576 字节的上限" $R --template "$WORK/t/double" "$D"

# the document built: 64 MiB (a long string printed again and again)
gen "$WORK/long.json" 'd["long"] = "中" * 340000; d["list"] = list(range(1000))'
tmpl docsize '<each in="data.list" as="x"><p>{{ data.long }}</p></each>'
over document-size 1 "docsize/report\.xml:2: 错误: 生成的文档超过 64 MiB 的上限" $R --template "$WORK/t/docsize" "$WORK/long.json"

# a paragraph of 100,000 pieces: linear (it once needed memory quadratic in the pieces)
tmpl pieces '<p><each in="data.list" as="x">{{ x }}</each></p>'
n=$((n + 1))
( ulimit -v 4000000; exec timeout 120 "$GONGKAI_FAST" render -q -f txt,pdf,docx -o "$WORK/out" --template "$WORK/t/pieces" "$WORK/e1.json" ) >/dev/null 2>"$WORK/err" ||
    { bad "100,000 pieces in one paragraph: exit $?"; head -n 3 "$WORK/err"; }
rm -f "$WORK/out"/*

# pages of a PDF: 10,000 (about 12 MiB of text; text and DOCX have no page limit)
gen "$WORK/pages.json" 'd["long"] = "中" * 340000; d["list"] = list(range(20))'
tmpl pages '<each in="data.list" as="x"><p>{{ data.long }}</p></each>'
over pages 1 "pages/report\.xml:2: 错误: 排版超过 10000 页的上限" "$GONGKAI_FAST" render -q -f pdf -o "$WORK/out" --template "$WORK/t/pages" "$WORK/pages.json"
ok pages-docx "$GONGKAI_FAST" render -q -f txt,docx -o "$WORK/out" --template "$WORK/t/pages" "$WORK/pages.json"

echo "$n limit cases"
exit $fail
