#!/bin/sh
# schema/gongkai-report.schema.json (draft 2020-12) is a valid schema,
# accepts every example and refuses the broken data files whose fault
# is one of shape (the others need `gongkai check`).
set -u
: "${TOP:?}"
PY=/usr/bin/python3
[ -x "$PY" ] && "$PY" -c 'import jsonschema' 2>/dev/null || { echo "python3-jsonschema missing"; exit 77; }
ls "$TOP"/examples/*.json >/dev/null 2>&1 || { echo "no examples"; exit 77; }
exec "$PY" - "$TOP" <<'PYEOF'
import glob, json, os, sys
import jsonschema

top = sys.argv[1]
schema = json.load(open(os.path.join(top, "schema/gongkai-report.schema.json"), encoding="utf-8"))
jsonschema.Draft202012Validator.check_schema(schema)
v = jsonschema.Draft202012Validator(schema)
fail = 0
examples = sorted(glob.glob(os.path.join(top, "examples/*.json")))
for f in examples:
    errs = sorted(v.iter_errors(json.load(open(f, encoding="utf-8"))), key=lambda e: list(e.absolute_path))
    for e in errs[:10]:
        print("FAIL %s: $%s: %s" % (os.path.basename(f), "".join("[%r]" % p for p in e.absolute_path), e.message[:200]))
    fail |= bool(errs)
# Shape faults the schema must refuse.
must_fail = ["not-object", "missing-format", "wrong-kind", "wrong-unit", "year-string",
             "exponent-string-amount", "comma-amount", "empty-amount", "nan-string-amount",
             "code-number"]
for name in must_fail:
    doc = json.load(open(os.path.join(top, "tests/bad/data", name + ".json"), encoding="utf-8"))
    if v.is_valid(doc):
        print("FAIL the schema accepts tests/bad/data/%s.json" % name)
        fail = 1
print("%d examples valid, %d broken files refused" % (len(examples), len(must_fail)))
sys.exit(1 if fail else 0)
PYEOF
