#!/bin/sh
# The small layout of tests/templates/ (written from README.md (Writing a template)
# alone) renders its data files with no C change, and the text says what
# the data says: numbering, shares, change wording, charts, tables.
set -u
fail() { echo "FAIL: $*"; exit 1; }
has() { grep -qF -- "$2" "$1" || fail "$1: missing: $2"; }
hasnt() { ! grep -qF -- "$2" "$1" || fail "$1: unexpected: $2"; }

"$GONGKAI" render --template "$TOP/tests/templates" -f txt -o "$WORK" \
    "$TOP/tests/templates/small-2023.json" "$TOP/tests/templates/growth-2024.json" \
    >"$WORK/out.log" 2>&1 || { cat "$WORK/out.log"; fail "render failed"; }
A="$WORK/small-2023.txt"
B="$WORK/growth-2024.txt"
[ -s "$A" ] && [ -s "$B" ] || fail "no output"

# title page, TOC (levels="1": parts and 一、 only)
has "$A" "2023年度测试区文化馆"
has "$A" "2024年8月19日"
has "$A" "  一、收入支出决算总体情况说明"
hasnt "$A" "  （一）支出结构"
# headings: automatic numbers, restart by part, narrative sub-headings
has "$A" "第一部分 部门概况"
has "$A" "（一）主要职责"
grep -qx "内设机构" "$A" || fail "unnumbered narrative heading"
has "$A" "二、一般公共预算财政拨款支出决算情况说明"
has "$A" "（一）三公经费"
has "$A" "1.因公出国（境）费"
has "$A" "（2）人数"
has "$A" "2.公务接待费"
# sentences: exact money, shares, wording picked by sign, no leftovers
has "$A" "2023年度本年支出合计350.00万元，上年无可比数据。主要原因：本年为新设单位。"
has "$A" "其中：基本支出300.00万元，占85.71%；项目支出50.00万元，占14.29%。"
has "$A" "按科目：文化旅游体育与传媒支出 300.25万元、社会保障和就业支出 49.75万元（共2类）。"
has "$A" "1.文化旅游体育与传媒支出300.25万元，占85.79%；2.社会保障和就业支出49.75万元，占14.21%。"
has "$A" "1、文化旅游体育与传媒支出（类）文化和旅游（款）群众文化（项）"
has "$A" "2023年度决算300.25万元，比年初预算320.00万元减少19.75万元，下降6.17%。主要原因：压缩了日常经费。"
has "$A" "2023年度决算49.75万元，比年初预算45.00万元增加4.75万元，增长10.56%。"
has "$A" "“三公”经费决算数1.50万元，国内公务接待3批次、20人次。"
has "$A" "国内公务接待3批次、20人次。"
has "$A" "2、基本支出：指为保障机构正常运转"
hasnt "$A" "增加（减少）"
hasnt "$A" "{{"
# charts: numbered, zero points and all-zero charts left out
has "$A" "图1：支出结构"
has "$A" "图2：一般公共预算财政拨款支出按类"
hasnt "$A" "经营支出  "
hasnt "$A" "全为零"
hasnt "$A" "图3"
# tables: header spans, money right-aligned, zero="" blank, sep and decimals, empty note, narrative table
has "$A" "| 科目编码 |"
grep -q "^| 合计  *|  *350.00 |  *300.00 |  *50.00 |  *0.0 |$" "$A" || \
grep -q "|  *350.00 |  *300.00 |  *50.00 |  *0.0 |$" "$A" || fail "total row"
grep -q "| 2080505  |     机关事业单位基本养老保险缴费支出 |  *49.75 |  *49.75 |  *|  *0.0 |$" "$A" || fail "项 row with blank zero"
has "$A" "注：本单位无政府性基金预算财政拨款收入支出，故本表为空表。"
has "$A" "注：本表反映部门本年度各项支出情况。"
has "$A" "人员情况表"
has "$A" "| 事业编制 | 12   | 11   |"

# second file: a previous year, a zero budget, a grouped bar
has "$B" "2024年度本年支出合计1250.00万元，比上年增加150.00万元，增长13.64%。"
has "$B" "其中：基本支出937.50万元，占75%；项目支出312.50万元，占25%。"
has "$B" "文化旅游体育与传媒支出 1,212.50万元"
has "$B" "2024年度决算1200.00万元，与年初预算1200.00万元一致。"
has "$B" "2024年度决算37.50万元，年初预算为0，增加37.50万元。"
has "$B" "图2：支出合计变动情况"
grep -q "^本年支出合计  1100.00  1250.00$" "$B" || fail "grouped bar line"
has "$B" "图3：一般公共预算财政拨款支出按类"

# deterministic: a second run gives the same bytes
"$GONGKAI_FAST" render --template "$TOP/tests/templates/report.xml" -f txt -o - \
    "$TOP/tests/templates/small-2023.json" >"$WORK/again.txt" 2>/dev/null || fail "stdout render"
cmp -s "$A" "$WORK/again.txt" || fail "output differs between runs"
exit 0
