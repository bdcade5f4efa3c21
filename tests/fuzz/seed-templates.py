#!/usr/bin/env python3
"""Seeds for fuzz_doc and fuzz_template: each report.xml of templates/ and
tests/templates/ with its includes inlined (the fuzz targets load one file,
so an include could not be found), whole and one part at a time (smaller,
faster to lay out).  The style sheet reference is dropped.

    tests/fuzz/seed-templates.py OUTDIR
"""
import os, re, sys

INC = re.compile(r'<include\s+href="([^"]+)"\s*/>')

def body(path):
    s = open(path, encoding='utf-8').read()
    s = re.sub(r'<\?xml[^>]*\?>', '', s)
    m = re.search(r'<fragment[^>]*>(.*)</fragment>', s, re.S)
    return m.group(1) if m else ''

def inline(text, folder, depth=0):
    def rep(m):
        p = os.path.join(folder, m.group(1))
        if depth > 16 or not os.path.exists(p):
            return ''
        return inline(body(p), os.path.dirname(p), depth + 1)
    return INC.sub(rep, text)

def main(out):
    os.makedirs(out, exist_ok=True)
    n = 0
    for top in ('templates', 'tests/templates'):
        for d, _, files in sorted(os.walk(top)):
            if 'report.xml' not in files:
                continue
            path = os.path.join(d, 'report.xml')
            s = open(path, encoding='utf-8').read()
            s = re.sub(r'\sstyle="[^"]*\.xml"', '', s, count=1)
            tag = d.replace('/', '_')
            full = inline(s, d)
            open(os.path.join(out, tag + '-all.xml'), 'w', encoding='utf-8').write(full)
            n += 1
            incs = INC.findall(s)
            for keep in incs:
                t = INC.sub(lambda m: m.group(0) if m.group(1) == keep else '', s)
                t = inline(t, d)
                name = '%s-%s' % (tag, keep.replace('/', '_'))
                open(os.path.join(out, name), 'w', encoding='utf-8').write(t)
                n += 1
    print('%d seeds in %s' % (n, out))

if __name__ == '__main__':
    main(sys.argv[1])
