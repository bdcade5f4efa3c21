#!/bin/sh
# Confinement through the CLI: a template reads only files under its own
# folder (no XXE, no entity bombs, no /etc/passwd, no ../, no symlink out,
# no XInclude, no network), output names cannot leave the output folder,
# and nothing runs a program or a shell.
set -u
: "${GONGKAI:?}" "${TOP:?}" "${WORK:?}"
D="$TOP/tests/templates/small-2023.json"
fail=0
bad() { echo "FAIL: $*"; fail=1; }
NS='xmlns="urn:gongkai:template:1"'

# A listener on the loopback: any template that makes the program fetch a
# URL shows up as a connection.
PORT_FILE="$WORK/port" HITS="$WORK/hits"
python3 - "$PORT_FILE" "$HITS" <<'PY' &
import socket, sys, time
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(8); s.settimeout(0.5)
open(sys.argv[1], "w").write(str(s.getsockname()[1]))
end = time.time() + 120; hits = 0
while time.time() < end:
    try:
        c, _ = s.accept(); hits += 1; c.close()
        open(sys.argv[2], "w").write(str(hits))
    except socket.timeout:
        pass
PY
LPID=$!
i=0; while [ ! -s "$PORT_FILE" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
PORT=$(cat "$PORT_FILE" 2>/dev/null || echo 9)
URL="http://127.0.0.1:$PORT"

mkdir -p "$WORK/out"
case_() { # name want-substring  (template in $WORK/t/<name>/report.xml)
    name=$1 want=$2
    timeout 30 "$GONGKAI" render --template "$WORK/t/$name" -f txt,pdf,docx -o "$WORK/out" "$D" \
        >"$WORK/stdout" 2>"$WORK/err"
    rc=$?
    [ $rc -eq 1 ] || { bad "$name: exit $rc, want 1"; head -n 3 "$WORK/err"; }
    grep -qF -- "$want" "$WORK/err" || { bad "$name: message lacks: $want"; head -n 3 "$WORK/err" | sed 's/^/    got: /'; }
    if grep -q "root:x:0:0\|daemon:" "$WORK/err" "$WORK/stdout"; then bad "$name: file contents leaked"; fi
    [ -z "$(ls -A "$WORK/out")" ] || { bad "$name: wrote $(ls "$WORK/out")"; rm -f "$WORK/out"/*; }
}
mk() { # name  (stdin = report.xml)
    mkdir -p "$WORK/t/$1"; cat >"$WORK/t/$1/report.xml"
}

mk xxe-file <<X
<?xml version="1.0"?>
<!DOCTYPE report [ <!ENTITY x SYSTEM "file:///etc/passwd"> ]>
<report $NS><p>&x;</p></report>
X
case_ xxe-file "xxe-file/report.xml:2: 错误: 模板不得含有 DOCTYPE"

mk xxe-parameter <<X
<?xml version="1.0"?>
<!DOCTYPE report [ <!ENTITY % p SYSTEM "$URL/evil.dtd"> %p; ]>
<report $NS><p>x</p></report>
X
case_ xxe-parameter "模板不得含有 DOCTYPE"

mk external-dtd <<X
<?xml version="1.0"?>
<!DOCTYPE report SYSTEM "$URL/report.dtd">
<report $NS><p>x</p></report>
X
case_ external-dtd "模板不得含有 DOCTYPE"

mk billion-laughs <<X
<?xml version="1.0"?>
<!DOCTYPE report [
 <!ENTITY a "aaaaaaaaaa"> <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
 <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"> <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
 <!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;"> <!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">
 <!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;"> <!ENTITY h "&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;">
 <!ENTITY i "&h;&h;&h;&h;&h;&h;&h;&h;&h;&h;"> <!ENTITY j "&i;&i;&i;&i;&i;&i;&i;&i;&i;&i;">
]>
<report $NS><p>&j;</p></report>
X
case_ billion-laughs "billion-laughs/report.xml:2: 错误: 模板不得含有 DOCTYPE"

mk include-passwd <<X
<report $NS><p>x</p><include href="/etc/passwd"/></report>
X
case_ include-passwd "include-passwd/report.xml:1: 错误: 引用“/etc/passwd”必须是模板文件夹内的相对路径"

mk include-dotdot <<X
<report $NS><p>x</p><include href="../../../../../../../../etc/passwd"/></report>
X
case_ include-dotdot "指向模板文件夹之外，已拒绝"

mk include-file-url <<X
<report $NS><p>x</p><include href="file:///etc/passwd"/></report>
X
case_ include-file-url "include-file-url/report.xml:1: 错误"

mk include-http <<X
<report $NS><p>x</p><include href="$URL/part.xml"/></report>
X
case_ include-http "include-http/report.xml:1: 错误"

# a link inside the folder that points out of it
mk include-symlink <<X
<report $NS><p>x</p><include href="part.xml"/></report>
X
ln -s /etc/passwd "$WORK/t/include-symlink/part.xml"
case_ include-symlink "指向模板文件夹之外，已拒绝"

mk style-passwd <<X
<report $NS style="../../../../../../../../etc/passwd"><p>x</p></report>
X
case_ style-passwd "指向模板文件夹之外，已拒绝"

mk xinclude <<X
<report $NS xmlns:xi="http://www.w3.org/2001/XInclude"><p>x</p><xi:include href="/etc/passwd" parse="text"/></report>
X
case_ xinclude "xinclude/report.xml:1: 错误"

mk xinclude-http <<X
<report $NS xmlns:xi="http://www.w3.org/2001/XInclude"><p>x</p><xi:include href="$URL/x.xml"/></report>
X
case_ xinclude-http "xinclude-http/report.xml:1: 错误"

# the template file itself as a link to a file outside is fine only when
# --template names that file; /etc/passwd is not a template
timeout 30 "$GONGKAI" render --template /etc/passwd -f txt -o "$WORK/out" "$D" >/dev/null 2>"$WORK/err"
rc=$?; [ $rc -eq 1 ] || [ $rc -eq 3 ] || bad "template /etc/passwd: exit $rc"
grep -q "root:x:0:0" "$WORK/err" && bad "template /etc/passwd: contents leaked"

sleep 0.3
kill "$LPID" 2>/dev/null; wait "$LPID" 2>/dev/null
[ -s "$HITS" ] && bad "the program connected to the network $(cat "$HITS") time(s)"

# ---- output names stay inside the output folder ----
mkdir -p "$WORK/b/in" "$WORK/b/out"
python3 - "$D" "$WORK/b/in/evil.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
d["department"].update({"name": "../../../escape/x", "short_name": "/tmp/abs", "code": "../.."})
json.dump(d, open(sys.argv[2], "w", encoding="utf-8"), ensure_ascii=False)
PY
grep -q '"../../../escape/x"' "$WORK/b/in/evil.json" || bad "test data: department name not replaced"
for pat in '{department}' '../{short}/{code}' '{code}' '..' '.{stem}' '/etc/{stem}'; do
    rm -rf "$WORK/b/out"; mkdir -p "$WORK/b/out"
    timeout 60 "$GONGKAI" batch -q -j 1 -f txt --name "$pat" -o "$WORK/b/out" "$WORK/b/in" >"$WORK/stdout" 2>&1
    rc=$?
    [ $rc -le 1 ] || { bad "batch --name '$pat': exit $rc"; head -n 3 "$WORK/stdout"; }
    # every file written is directly in the output folder, and nothing else
    # appeared anywhere above it
    outside=$(find "$WORK" -newer "$WORK/b/in/evil.json" -type f ! -path "$WORK/b/out/*" \
              ! -name stdout ! -name err ! -name hits ! -name port ! -name '*.log')
    [ -z "$outside" ] || bad "batch --name '$pat' wrote outside: $outside"
    inside=$(find "$WORK/b/out" -mindepth 1 -type f -name '*.txt')
    [ -n "$inside" ] || bad "batch --name '$pat': no report written"
    deep=$(find "$WORK/b/out" -mindepth 2 -type f)
    [ -z "$deep" ] || bad "batch --name '$pat' made subfolders: $deep"
done
[ -e "$WORK/escape" ] || [ -e /tmp/abs.txt ] && bad "a name escaped"

# ---- nothing runs a program or a shell ----
if nm -u "$GONGKAI" 2>/dev/null | grep -qE ' (system|popen|execl|execle|execlp|execv|execve|execvp|execvpe|posix_spawn|posix_spawnp)(@|$)'; then
    bad "the program imports a function that runs programs: $(nm -u "$GONGKAI" | grep -E ' (system|popen|exec|posix_spawn)')"
fi
if command -v strace >/dev/null 2>&1; then
    ASAN_OPTIONS=detect_leaks=0 strace -f -qq -e trace=execve,execveat -o "$WORK/strace" \
        "$GONGKAI" render -q -f txt,pdf,docx -o "$WORK/out" "$D" >/dev/null 2>&1 || bad "render under strace"
    n=$(grep -c 'execve' "$WORK/strace")
    [ "$n" -le 1 ] || { bad "render ran $((n - 1)) program(s):"; grep execve "$WORK/strace" | head -n 3; }
    rm -rf "$WORK/b/out"; mkdir -p "$WORK/b/out"; cp "$D" "$WORK/b/in/evil.json"
    ASAN_OPTIONS=detect_leaks=0 strace -f -qq -e trace=execve,execveat -o "$WORK/strace" \
        "$GONGKAI" batch -q -j 2 -f txt -o "$WORK/b/out" "$WORK/b/in" >/dev/null 2>&1 || bad "batch under strace"
    n=$(grep -c 'execve' "$WORK/strace")
    [ "$n" -le 1 ] || { bad "batch ran $((n - 1)) program(s):"; grep execve "$WORK/strace" | head -n 3; }
fi
exit $fail
