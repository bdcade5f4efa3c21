#!/usr/bin/python3
"""Grow a gongkai data file's tables k-fold, keeping every identity.

    bench/scale.py [--grow-text] K IN.json OUT.json

Every 项 row (7-digit 支出功能分类 code) of every function-coded ledger is
split into K rows: the original code keeps one share, K-1 new 7-digit codes
under the same 类 (in 款 numbers the file does not use, 项 01..99) take the
others.  Each amount is divided exactly in fen: every share is
trunc(x / K) fen and the first share takes the remainder, so each row's
shares sum to the original amount and every 类 sum, stated total and
cross-table identity (all of which are at 类 level or above) still holds.

The same code maps to the same new codes in every table, so the file stays
one coherent report.  New 款 get a stated row (named, amounts = the sum of
their 项 in that table) so no derived parent lacks a name; a stated 款 row
of the original file whose 项 were split is reduced to the sum of what its
项 kept.  Row-level `stated_pct` of split rows and table-level ones keyed by
a 款/项 code are dropped (their bases changed).  `options.detail_codes` is
left as it is (the text explains the same 项, now holding a share), unless
--grow-text: then it lists every share of each listed code, so the
具体情况 text grows with the tables too.

Amounts stay JSON numbers with their exact decimal text (no float).
"""
import collections
import decimal
import json
import os
import sys

def fen_scale(unit):
    return 6 if unit == "万元" else 2


class Num:
    """A JSON number kept as exact text."""

    def __init__(self, text):
        self.text = text


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f, object_pairs_hook=collections.OrderedDict,
                         parse_float=Num, parse_int=Num)


def dump(v, out, ind=0):
    sp = "  " * ind
    if isinstance(v, Num):
        out.append(v.text)
    elif isinstance(v, dict):
        if not v:
            out.append("{}")
            return
        out.append("{\n")
        items = list(v.items())
        for i, (k, x) in enumerate(items):
            out.append(sp + "  " + json.dumps(k, ensure_ascii=False) + ": ")
            dump(x, out, ind + 1)
            out.append(",\n" if i + 1 < len(items) else "\n")
        out.append(sp + "}")
    elif isinstance(v, list):
        if not v:
            out.append("[]")
            return
        # short lists of scalars on one line
        if all(not isinstance(x, (dict, list)) for x in v):
            parts = []
            for x in v:
                o = []
                dump(x, o)
                parts.append("".join(o))
            out.append("[" + ", ".join(parts) + "]")
            return
        out.append("[\n")
        for i, x in enumerate(v):
            out.append(sp + "  ")
            dump(x, out, ind + 1)
            out.append(",\n" if i + 1 < len(v) else "\n")
        out.append(sp + "]")
    else:
        out.append(json.dumps(v, ensure_ascii=False))


def to_fen(num, scale):
    d = decimal.Decimal(num.text) * (decimal.Decimal(10) ** scale)
    if d != d.to_integral_value():
        raise SystemExit("amount %s has more decimals than a fen" % num.text)
    return int(d)


def from_fen(fen, scale):
    neg = fen < 0
    s = str(abs(fen)).rjust(scale + 1, "0")
    whole, frac = s[:-scale] if scale else s, s[-scale:] if scale else ""
    frac = frac.rstrip("0")
    t = whole + ("." + frac if frac else "")
    return Num(("-" if neg and fen else "") + t)


def split_fen(x, k):
    q = abs(x) // k
    q = -q if x < 0 else q
    return [x - q * (k - 1)] + [q] * (k - 1)


def is_item(code):
    return isinstance(code, str) and len(code) == 7 and code.isdigit()


def function_tables(tables):
    """Ledgers with 7-digit codes (function classification)."""
    out = []
    for tid, t in tables.items():
        if not isinstance(t, dict) or not isinstance(t.get("rows"), list):
            continue
        if t.get("scheme") == "economic":
            continue
        if any(isinstance(r, dict) and is_item(r.get("code")) for r in t["rows"]):
            out.append(tid)
    return out


def catalog_names(path):
    names = {}
    try:
        with open(path, encoding="utf-8") as f:
            for line in f:
                if line.startswith("#") or "\t" not in line:
                    continue
                c, n = line.rstrip("\n").split("\t", 1)
                names[c] = n
    except OSError:
        pass
    return names


def main():
    args = sys.argv[1:]
    grow_text = bool(args) and args[0] == "--grow-text"
    if grow_text:
        args = args[1:]
    if len(args) != 3:
        raise SystemExit("usage: scale.py [--grow-text] K IN.json OUT.json")
    k = int(args[0])
    d = load(args[1])
    scale = fen_scale(d.get("unit"))
    tables = d.get("tables", {})
    ftabs = function_tables(tables)
    if not ftabs:
        print("%s: no 项 rows (7-digit codes) to split" % args[1], file=sys.stderr)
        sys.exit(3)
    top = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    catalog = catalog_names(os.path.join(top, "templates", "catalog", "function.tsv"))

    # Every code used under each 类, across all function tables.
    used_kuan = collections.defaultdict(set)
    items = collections.defaultdict(list)   # 类 -> 项 codes, sorted, unique
    names = {}
    for tid in ftabs:
        for r in tables[tid]["rows"]:
            c = r.get("code") if isinstance(r, dict) else None
            if not isinstance(c, str) or not c.isdigit() or len(c) < 5:
                continue
            used_kuan[c[:3]].add(c[3:5])
            if len(c) == 7 and c not in items[c[:3]]:
                items[c[:3]].append(c)
            if len(c) == 7 and isinstance(r.get("name"), str) and c not in names:
                names[c] = r["name"]
    # New codes: per 类, free 款 numbers ascending, 项 01..99 in each.
    newcodes = {}          # 项 code -> [k-1 new codes]
    newkuan = {}           # new 款 code -> label
    for lei in sorted(items):
        free = [("%02d" % n) for n in range(1, 100) if ("%02d" % n) not in used_kuan[lei]]
        stream = ((kk, "%02d" % x) for kk in free for x in range(1, 100))
        for c in sorted(items[lei]):
            lst = []
            for _ in range(k - 1):
                try:
                    kk, xx = next(stream)
                except StopIteration:
                    raise SystemExit("类 %s: no free 款/项 numbers left for %d shares" % (lei, k))
                lst.append(lei + kk + xx)
                newkuan.setdefault(lei + kk, "基准扩展款%s%s" % (lei, kk))
            newcodes[c] = lst

    for tid in ftabs:
        t = tables[tid]
        rows = []
        for r in t["rows"]:
            c = r.get("code") if isinstance(r, dict) else None
            if not is_item(c):
                rows.append(r)
                continue
            shares = {key: split_fen(to_fen(v, scale), k)
                      for key, v in r.items() if isinstance(v, Num)}
            base = r.get("name") or names.get(c) or catalog.get(c) or ("科目" + c)
            for i, code in enumerate([c] + newcodes[c]):
                nr = collections.OrderedDict()
                for key, v in r.items():
                    if key == "stated_pct":
                        continue
                    if key == "code":
                        nr[key] = code
                    elif key in shares:
                        nr[key] = from_fen(shares[key][i], scale)
                    elif key == "name" and i > 0:
                        nr[key] = "%s之%d" % (base, i + 1)
                    else:
                        nr[key] = v
                if "name" not in nr and i > 0:
                    nr["name"] = "%s之%d" % (base, i + 1)
                rows.append(nr)
        # Stated 款 rows: the originals shrink to what their 项 kept, the new
        # ones are stated with their sums.
        sums = collections.defaultdict(lambda: collections.defaultdict(int))
        for r in rows:
            c = r.get("code") if isinstance(r, dict) else None
            if is_item(c):
                for key, v in r.items():
                    if isinstance(v, Num):
                        sums[c[:5]][key] += to_fen(v, scale)
        out = []
        for r in rows:
            c = r.get("code") if isinstance(r, dict) else None
            if isinstance(c, str) and len(c) == 5 and c in sums:
                r = collections.OrderedDict(r)
                r.pop("stated_pct", None)
                for key, v in list(r.items()):
                    if isinstance(v, Num):
                        r[key] = from_fen(sums[c].get(key, 0), scale)
            out.append(r)
        for kc in sorted(x for x in sums if x in newkuan):
            nr = collections.OrderedDict([("code", kc), ("name", newkuan[kc])])
            for key, v in sums[kc].items():
                nr[key] = from_fen(v, scale)
            out.append(nr)
        t["rows"] = out
        sp = t.get("stated_pct")
        if isinstance(sp, dict):
            for key in list(sp):
                if key.isdigit() and len(key) in (5, 7):
                    del sp[key]

    opts = d.get("options")
    if grow_text and isinstance(opts, dict) and isinstance(opts.get("detail_codes"), list):
        dc = []
        for c in opts["detail_codes"]:
            dc.append(c)
            dc.extend(newcodes.get(c, []))
        opts["detail_codes"] = dc

    out = []
    dump(d, out)
    with open(args[2], "w", encoding="utf-8") as f:
        f.write("".join(out) + "\n")
    nrows = sum(len(tables[t]["rows"]) for t in tables
                if isinstance(tables[t], dict) and isinstance(tables[t].get("rows"), list))
    print("%s: %d-fold, %d ledger rows" % (args[2], k, nrows))


if __name__ == "__main__":
    main()
