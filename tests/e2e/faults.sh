#!/bin/sh
# Faults through the CLI (issue 10): an output folder that is not
# writable, a full disk (a small tmpfs when mount works, and RLIMIT_FSIZE),
# a process killed mid-write, a missing font file, a missing template.
# Each must give a clear message and exit code (3 for I/O, 1 for a data or
# template error), leave no partial file at the destination, and keep an
# earlier good report byte for byte.
set -u
: "${GONGKAI:?}" "${GONGKAI_FAST:?}" "${TOP:?}" "${WORK:?}"
G=$GONGKAI
D="$TOP/examples/xinjiekou-2023-juesuan.json"
fail=0
bad() { echo "FAIL: $*"; fail=1; }
chmod 755 "$WORK"
mkdir -p "$WORK/in"
cp "$D" "$WORK/in/r.json"
chmod -R a+rX "$WORK/in"

# The reference: a good report in every format.
mkdir -p "$WORK/good"
"$GONGKAI_FAST" render -q -o "$WORK/good" "$WORK/in/r.json" || { echo "FAIL: reference render"; exit 1; }
for f in txt pdf docx; do [ -s "$WORK/good/r.$f" ] || { echo "FAIL: no reference r.$f"; exit 1; }; done

# expect NAME RC PATTERN FOLDER: last command's exit and message; FOLDER
# holds exactly the earlier good report (r.*), unchanged, and nothing else
# but what $keep names.
expect() {
    name=$1 want_rc=$2 pat=$3 dir=$4
    [ "$rc" -eq "$want_rc" ] || { bad "$name: exit $rc, want $want_rc"; sed 's/^/    /' "$WORK/err" | head -n 5; }
    grep -qE -- "$pat" "$WORK/err" || { bad "$name: message lacks /$pat/"; sed 's/^/    got: /' "$WORK/err" | head -n 5; }
    grep -q "AddressSanitizer\|runtime error" "$WORK/err" && bad "$name: sanitizer report"
    for f in txt pdf docx; do
        [ -e "$dir/r.$f" ] || continue
        cmp -s "$dir/r.$f" "$WORK/good/r.$f" || bad "$name: the earlier r.$f changed"
    done
    stray=$(ls -A "$dir" | grep -v -x -E "r\.(txt|pdf|docx)${keep:+|$keep}" || true)
    [ -z "$stray" ] || bad "$name: left in the folder: $stray"
}
keep=""

# ---- 1. an output folder that is not writable ----
# As root permissions do not stop us: run as nobody when we are root.
ro="$WORK/ro"
mkdir -p "$ro"; cp "$WORK/good/r.pdf" "$ro/"; chmod 555 "$ro"
as_user=""
if [ "$(id -u)" -eq 0 ]; then
    if command -v setpriv >/dev/null 2>&1 && setpriv --reuid=65534 --regid=65534 --clear-groups true 2>/dev/null; then
        as_user="setpriv --reuid=65534 --regid=65534 --clear-groups"
        # nobody must be able to run the program and read its data folder
        # (a checkout under a private folder is not): else skip
        $as_user "$G" render -q -f txt -o - "$WORK/in/r.json" >/dev/null 2>&1 || as_user=skip
    else
        as_user=skip
    fi
fi
if [ "$as_user" != skip ]; then
    $as_user "$G" render -f txt,pdf,docx -o "$ro" "$WORK/in/r.json" >/dev/null 2>"$WORK/err"; rc=$?
    expect unwritable 3 "ro/r\.(txt|pdf|docx): 错误: 无法在输出目录中创建文件：Permission denied" "$ro"
    [ "$(ls "$ro")" = r.pdf ] || bad "unwritable: folder now holds $(ls "$ro")"
    # English
    $as_user "$G" --lang en render -f pdf -o "$ro" "$WORK/in/r.json" >/dev/null 2>"$WORK/err"; rc=$?
    expect unwritable-en 3 "ro/r\.pdf: error: cannot create a file in the output folder: Permission denied" "$ro"
    # batch into a folder it cannot write: exit 3, nothing half-written
    $as_user "$G" batch -q -j 1 -f pdf -o "$ro" "$WORK/in" >/dev/null 2>"$WORK/err"; rc=$?
    [ $rc -eq 3 ] || [ $rc -eq 1 ] || bad "batch unwritable: exit $rc"
    grep -q "Permission denied\|权限" "$WORK/err" || { bad "batch unwritable: no reason given"; head -n 3 "$WORK/err"; }
    cmp -s "$ro/r.pdf" "$WORK/good/r.pdf" || bad "batch unwritable: r.pdf changed"
else
    echo "note: unwritable folder skipped (root, and nobody cannot run $G)"
fi
chmod 755 "$ro"
# a read-only file system (EROFS), where mount works
mnt_ok=0
if [ "$(id -u)" -eq 0 ] && mkdir -p "$WORK/mnt" && mount -t tmpfs -o size=4m tmpfs "$WORK/mnt" 2>/dev/null; then
    mnt_ok=1
    cp "$WORK/good/r.txt" "$WORK/mnt/"
    mount -o remount,ro "$WORK/mnt" 2>/dev/null && {
        "$G" render -f txt,pdf -o "$WORK/mnt" "$WORK/in/r.json" >/dev/null 2>"$WORK/err"; rc=$?
        expect read-only-fs 3 "mnt/r\.(txt|pdf): 错误: .*Read-only file system" "$WORK/mnt"
    }
    umount "$WORK/mnt"
fi
# an output folder that does not exist, or is a file
"$G" render -f pdf -o "$WORK/none/deeper" "$WORK/in/r.json" >/dev/null 2>"$WORK/err"; rc=$?
[ $rc -eq 3 ] || [ $rc -eq 0 ] || bad "missing output folder: exit $rc"
"$G" render -f pdf -o "$WORK/in/r.json" "$WORK/in/r.json" >/dev/null 2>"$WORK/err"; rc=$?
[ $rc -eq 3 ] || [ $rc -eq 2 ] || { bad "output folder is a file: exit $rc, want 2 or 3"; head -n 3 "$WORK/err"; }
grep -q "不是文件夹\|Not a directory" "$WORK/err" || bad "output folder is a file: no reason given"
cmp -s "$WORK/in/r.json" "$D" || bad "output 'folder' that is a file was overwritten"

# ---- 2. a full disk ----
# (a) a real one: a 1 MiB tmpfs, filled up but for 64 KiB, holding an
# earlier report.  The PDF (~400 KiB) cannot fit: ENOSPC.
if [ $mnt_ok -eq 1 ] && mount -t tmpfs -o size=1m tmpfs "$WORK/mnt" 2>/dev/null; then
    cp "$WORK/good/r.txt" "$WORK/mnt/"
    head -c $((1024 * 1024)) /dev/zero >"$WORK/mnt/filler" 2>/dev/null
    rm -f "$WORK/mnt/filler"
    avail=$(df -k "$WORK/mnt" | awk 'NR == 2 { print $4 }')
    head -c $(( (avail - 64) * 1024 )) /dev/zero >"$WORK/mnt/filler" 2>/dev/null
    keep=filler
    "$G" render -f pdf,txt -o "$WORK/mnt" "$WORK/in/r.json" >/dev/null 2>"$WORK/err"; rc=$?
    expect full-disk 3 "mnt/r\.(pdf|txt): 错误: 写入失败：No space left on device" "$WORK/mnt"
    "$G" batch -q -j 1 -f pdf -o "$WORK/mnt" "$WORK/in" >/dev/null 2>"$WORK/err"; rc=$?
    [ $rc -ne 0 ] || bad "batch on a full disk: exit 0"
    cmp -s "$WORK/mnt/r.txt" "$WORK/good/r.txt" || bad "batch full disk: r.txt changed"
    [ ! -e "$WORK/mnt/r.pdf" ] || bad "batch full disk: a PDF appeared"
    ls -A "$WORK/mnt" | grep -q '\.tmp' && bad "full disk: temporary files left: $(ls -A "$WORK/mnt")"
    keep=""
    umount "$WORK/mnt"
else
    echo "note: tmpfs full-disk case skipped (mount not permitted)"
fi
# (b) RLIMIT_FSIZE (ulimit -f, 512-byte blocks): writes past 32 KiB fail
# with EFBIG.  With SIGXFSZ ignored (as a real full disk sends none) the
# program reports the error; with the default action it is killed, and
# still leaves no partial file.
mkdir -p "$WORK/fs"; cp "$WORK/good/r.pdf" "$WORK/good/r.docx" "$WORK/fs/"
(trap '' XFSZ; ulimit -f 64; exec "$G" render -f docx -o "$WORK/fs" "$WORK/in/r.json") >/dev/null 2>"$WORK/err"; rc=$?
expect fsize 3 "fs/r\.docx: 错误: 写入失败：File too large" "$WORK/fs"
# the PDF writer's font subsets (memory files) count against the limit too
(trap '' XFSZ; ulimit -f 64; exec "$G" render -f pdf -o "$WORK/fs" "$WORK/in/r.json") >/dev/null 2>"$WORK/err"; rc=$?
expect fsize-pdf 3 "(fs/r\.pdf: 错误: 写入失败|错误: 无法创建字体临时文件)：File too large" "$WORK/fs"
(ulimit -f 64; exec "$G" render -f pdf,docx -o "$WORK/fs" "$WORK/in/r.json") >/dev/null 2>"$WORK/err"; rc=$?
[ $rc -gt 128 ] || [ $rc -eq 3 ] || bad "fsize with SIGXFSZ: exit $rc"
rc=3; echo "File too large" >>"$WORK/err"
expect fsize-signal 3 "." "$WORK/fs"

# ---- 3. killed mid-write ----
# A 100-fold grown report (bench/scale.py) rendered to all formats, killed
# with SIGKILL at random moments.  Each output is then either the earlier
# good report or the complete new one, byte for byte; nothing else.
mkdir -p "$WORK/big" "$WORK/kill"
if python3 "$TOP/bench/scale.py" 100 "$TOP/examples/xicheng-quweiban-2023-juesuan.json" "$WORK/big/r.json" >/dev/null 2>&1; then
    "$GONGKAI_FAST" render -q -o "$WORK/big" "$WORK/big/r.json" || bad "render of the grown report"
    start=$(date +%s%N); "$GONGKAI_FAST" render -q -o "$WORK/kill" "$WORK/big/r.json"
    ms=$(( ($(date +%s%N) - start) / 1000000 + 20 ))
    rm -f "$WORK/kill"/*
    i=0 killed=0 newer=0
    while [ $i -lt 24 ]; do
        cp "$WORK/good"/r.* "$WORK/kill/"
        delay=$(awk -v s=$i -v ms=$ms 'BEGIN { srand(4242 + s); printf "%.3f", rand() * ms / 1000 }')
        "$GONGKAI_FAST" render -q -o "$WORK/kill" "$WORK/big/r.json" >/dev/null 2>&1 &
        pid=$!
        sleep "$delay"
        kill -KILL $pid 2>/dev/null && killed=$((killed + 1))
        wait $pid 2>/dev/null
        for f in txt pdf docx; do
            if cmp -s "$WORK/kill/r.$f" "$WORK/big/r.$f"; then newer=$((newer + 1))
            elif ! cmp -s "$WORK/kill/r.$f" "$WORK/good/r.$f"; then
                bad "kill after ${delay}s: r.$f is neither the old nor the new report"
            fi
        done
        stray=$(ls -A "$WORK/kill" | grep -v -x -E 'r\.(txt|pdf|docx)' || true)
        [ -z "$stray" ] || { bad "kill after ${delay}s: left $stray"; rm -f "$WORK/kill"/*.tmp*; }
        rm -f "$WORK/kill"/*
        i=$((i + 1))
    done
    echo "killed $killed of 24 renders (render takes ${ms} ms); $newer outputs had been replaced whole"
    [ $killed -ge 6 ] || bad "too few renders were killed mid-way ($killed)"
else
    echo "note: bench/scale.py unavailable, kill case skipped"
fi

# ---- 4. a missing font file ----
dd="$WORK/datadir"
mkdir -p "$dd"; cp -r "$TOP/templates" "$TOP/fonts" "$dd/"
sed -i -E 's#^([^ #][^ ]*)( +)[^ ]+#\1\2/nonexistent/missing.ttf#' "$dd/fonts/fontmap.conf"
mkdir -p "$WORK/fo"; cp "$WORK/good/r.pdf" "$WORK/fo/"
GONGKAI_DATADIR="$dd" "$G" render -f pdf -o "$WORK/fo" "$WORK/in/r.json" >/dev/null 2>"$WORK/err"; rc=$?
expect missing-font 3 "fontmap\.conf:[0-9]+: 错误: 找不到“宋体”字体：已尝试 /nonexistent/missing\.ttf（不存在）" "$WORK/fo"
# a font file that exists but is not a font
printf 'not a font' >"$dd/fonts/garbage.ttf"
sed -i -E "s#/nonexistent/missing\.ttf#$dd/fonts/garbage.ttf#" "$dd/fonts/fontmap.conf"
GONGKAI_DATADIR="$dd" "$G" render -f pdf -o "$WORK/fo" "$WORK/in/r.json" >/dev/null 2>"$WORK/err"; rc=$?
expect garbage-font 3 "找不到“宋体”字体" "$WORK/fo"
# the font map itself missing
rm -f "$dd/fonts/fontmap.conf"
GONGKAI_DATADIR="$dd" "$G" render -f pdf -o "$WORK/fo" "$WORK/in/r.json" >/dev/null 2>"$WORK/err"; rc=$?
[ $rc -eq 3 ] || [ $rc -eq 0 ] || bad "missing font map: exit $rc"
grep -q "AddressSanitizer" "$WORK/err" && bad "missing font map: sanitizer report"
[ $rc -eq 0 ] || cmp -s "$WORK/fo/r.pdf" "$WORK/good/r.pdf" || bad "missing font map: r.pdf changed"

# ---- input that is not a regular file ----
"$G" render -q -f txt -o "$WORK/out" "$WORK/in" >/dev/null 2>"$WORK/err"; rc=$?
[ $rc -eq 3 ] || bad "input is a folder: exit $rc, want 3"
grep -q "in: 错误: 读取失败：Is a directory" "$WORK/err" || { bad "input is a folder: message"; head -n 3 "$WORK/err"; }
timeout 30 "$G" check /dev/zero >/dev/null 2>"$WORK/err"; rc=$?
[ $rc -eq 1 ] || bad "/dev/zero: exit $rc, want 1"
grep -q "/dev/zero: 错误: 文件超过 67108864 字节的上限" "$WORK/err" || bad "/dev/zero: message"
# standard output that cannot be written
"$G" render -q -f txt -o - "$WORK/in/r.json" >/dev/full 2>"$WORK/err"; rc=$?
[ $rc -eq 3 ] || bad "stdout /dev/full: exit $rc, want 3"
grep -q "写标准输出失败：No space left on device" "$WORK/err" || { bad "stdout /dev/full: message"; head -n 3 "$WORK/err"; }

# ---- 5. a missing template ----
mkdir -p "$WORK/tm"; cp "$WORK/good"/r.* "$WORK/tm/"
"$G" render --template "$WORK/no-such-template" -o "$WORK/tm" "$WORK/in/r.json" >/dev/null 2>"$WORK/err"; rc=$?
expect missing-template 3 "no-such-template: 错误: 无法打开文件：No such file or directory" "$WORK/tm"
mkdir -p "$WORK/emptytmpl"
"$G" render --template "$WORK/emptytmpl" -o "$WORK/tm" "$WORK/in/r.json" >/dev/null 2>"$WORK/err"; rc=$?
expect template-folder-without-report 3 "emptytmpl/report\.xml: 错误: 无法打开文件" "$WORK/tm"
# a template whose include is missing: a template error, located
mkdir -p "$WORK/t1"
printf '<report xmlns="urn:gongkai:template:1">\n<p>x</p>\n<include href="gone.xml"/>\n</report>\n' >"$WORK/t1/report.xml"
"$G" render --template "$WORK/t1" -o "$WORK/tm" "$WORK/in/r.json" >/dev/null 2>"$WORK/err"; rc=$?
[ $rc -eq 1 ] || [ $rc -eq 3 ] || bad "missing include: exit $rc"
rc=1; expect missing-include 1 "t1/report\.xml:3: 错误: 找不到引用的文件“gone\.xml”" "$WORK/tm"
# the shipped layouts missing (GONGKAI_DATADIR without templates/)
mkdir -p "$WORK/dd2/fonts"; cp "$TOP/fonts/fontmap.conf" "$WORK/dd2/fonts/"
GONGKAI_DATADIR="$WORK/dd2" "$G" render -o "$WORK/tm" "$WORK/in/r.json" >/dev/null 2>"$WORK/err"; rc=$?
expect missing-layout 3 "dd2/templates/juesuan/report\.xml: 错误: 无法打开模板：No such file or directory" "$WORK/tm"
# batch: the same missing template, every department fails, nothing written
mkdir -p "$WORK/bt"; cp "$WORK/good/r.pdf" "$WORK/bt/"
"$G" batch -q -j 1 --template "$WORK/no-such-template" -o "$WORK/bt" "$WORK/in" >/dev/null 2>"$WORK/err"; rc=$?
[ $rc -eq 3 ] || [ $rc -eq 1 ] || bad "batch missing template: exit $rc"
grep -q "no-such-template" "$WORK/err" || { bad "batch missing template: not named"; head -n 3 "$WORK/err"; }
cmp -s "$WORK/bt/r.pdf" "$WORK/good/r.pdf" || bad "batch missing template: r.pdf changed"

exit $fail
