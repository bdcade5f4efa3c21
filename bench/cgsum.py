#!/usr/bin/python3
"""Summarise a callgrind profile (bench/profile.sh) by gongkai's stages.

    bench/cgsum.py CALLGRIND.OUT [TOTAL_MS]

Prints, in instructions (Ir) and % of the file's total: the inclusive cost
of the functions that mark a stage (WATCH below; a function missing from
the profile is left out), who calls zlib's deflate, and the top functions
by self cost.  With TOTAL_MS (a measured wall time of the same work) each
share is also shown as estimated milliseconds.

Inclusive = self + every call made from the function to another one (the
callgrind "calls=" lines); it is exact for functions that do not recurse,
which every WATCH entry is.  Written for files made with
--compress-strings=no --compress-pos=no.
"""
import collections
import os
import sys

# (function, label) in display order; indentation = nesting in the stage tree.
WATCH = [
    ("gk_report_render_file", "one report, end to end"),
    ("  build_doc", "parse + check + template"),
    ("    gk_model_load", "parse (JSON, model)"),
    ("    gk_check", "check (identities)"),
    ("    gk_template_load", "template: load the layout (XML parse + RELAX NG + compile)"),
    ("      xmlRelaxNGValidateDoc", "RELAX NG validation of the layout"),
    ("    gk_template_render", "template: fill the layout"),
    ("  gk_render_text", "txt"),
    ("  gk_render_pdf", "PDF back end"),
    ("    gk__fonts_init", "font map, faces, width tables"),
    ("    gk__layout_doc", "layout"),
    ("      gk__tb_natural", "natural widths (table columns), a full break pass"),
    ("      gk__tb_lines", "breaking into lines"),
    ("      gk__tb_breaks", "break opportunities (libunibreak + clreq), both callers"),
    ("    gk_chart_layout", "chart geometry (PDF and DOCX)"),
    ("    hb_subset_or_fail", "HarfBuzz subsetting"),
    ("    HPDF_LoadTTFontFromFile", "libharu: parse the subset font"),
    ("    HPDF_GetFont", "libharu: create the CID font"),
    ("    HPDF_Page_ShowText", "libharu: show text"),
    ("    put_deflated", "streams gongkai deflates itself (fonts, page contents)"),
    ("      libdeflate_zlib_compress", "libdeflate"),
    ("      compress2", "zlib compress2"),
    ("    put_num", "content stream numbers"),
    ("    HPDF_SaveToStream", "libharu: write the PDF"),
    ("      HPDF_TTFontDef_SaveFontData", "write the embedded font (FontFile2)"),
    ("      HPDF_Stream_WriteToStreamWithDeflate", "deflate every stream"),
    ("    HPDF_ReadFromStream", "copy the PDF out of libharu"),
    ("    HPDF_Free", "free the libharu document"),
    ("  gk_render_docx", "DOCX back end"),
    ("    gk_chart_png", "charts as PNG (layout + cairo + PNG)"),
    ("      cairo_show_glyphs", "cairo: draw label glyphs"),
    ("      FT_Load_Glyph", "FreeType: load/rasterise glyphs"),
    ("      cairo_surface_write_to_png_stream", "PNG encoding (libpng + zlib)"),
    ("      FT_New_Face", "FreeType: open a font face"),
    ("    write_tc", "table cells (XML through libxml2's writer)"),
    ("    gk__docx_zip", "ZIP (libzip + deflate)"),
    ("  gk_write_file_atomic", "write the files"),
    ("  deflate", "zlib deflate, all callers together (see below)"),
    ("  libdeflate_zlib_compress", "libdeflate, all callers together"),
]


def parse(path):
    self_cost = collections.Counter()
    calls = collections.defaultdict(collections.Counter)
    total = 0
    fn = None
    cfn = None
    ob = cob = ""
    cob_given = False
    pending_call = False
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line:
                continue
            c = line[0]
            if c.isdigit() or c in "+-*":
                parts = line.split()
                cost = int(parts[1]) if len(parts) > 1 else 0
                if pending_call:
                    if cfn is not None and fn is not None:
                        calls[fn][cfn] += cost
                    pending_call = False
                elif fn is not None:
                    self_cost[fn] += cost
                continue
            if line.startswith("fn="):
                fn = (line[3:], ob)
            elif line.startswith("ob="):
                ob = os.path.basename(line[3:])
            elif line.startswith("cob="):
                cob = os.path.basename(line[4:])
                cob_given = True
            elif line.startswith("cfn="):
                # the callee's object is the caller's unless a cob= line said otherwise
                cfn = (line[4:], cob if cob_given else ob)
                cob_given = False
            elif line.startswith("calls="):
                pending_call = True
            elif line.startswith("cfi=") or line.startswith("cfl="):
                pass
            elif line.startswith("summary:") or line.startswith("totals:"):
                total = max(total, int(line.split()[1]))
    return self_cost, calls, total


def main():
    path = sys.argv[1]
    total_ms = float(sys.argv[2]) if len(sys.argv) > 2 else None
    self_cost, calls, total = parse(path)
    names = set(self_cost) | set(calls)
    incl = {}
    for f in names:
        incl[f] = self_cost[f] + sum(v for g, v in calls[f].items() if g != f)

    def by_name(name):
        hits = [f for f in names if f[0] == name]
        if not hits:
            return None
        return sum(incl[f] for f in hits)

    def fmt(ir):
        s = "%14s Ir %6.2f%%" % ("{:,}".format(ir), 100.0 * ir / total)
        if total_ms:
            s += " %8.1f ms" % (total_ms * ir / total)
        return s

    print("profile: %s" % path)
    print("total: {:,} Ir".format(total) + (" (= %.1f ms measured)" % total_ms if total_ms else ""))
    print("\n== stages (inclusive)")
    for name, label in WATCH:
        ir = by_name(name.strip())
        if ir is None:
            continue
        print("%-44s %s  %s" % (name, fmt(ir), label))

    print("\n== deflate (zlib deflate, libdeflate) by caller (inclusive cost of the calls)")
    deflate_callers = collections.Counter()
    for f, cs in calls.items():
        for g, v in cs.items():
            if g[0] in ("deflate", "libdeflate_zlib_compress", "libdeflate_deflate_compress") \
                    and not f[0].startswith("libdeflate_") and f[0] != g[0]:
                deflate_callers["%s → %s [%s]" % (g[0], f[0], f[1])] += v
    for who, v in deflate_callers.most_common(12):
        print("%-60s %s" % (who, fmt(v)))

    print("\n== top functions by self cost")
    for f, v in self_cost.most_common(30):
        print("%-70s %s" % (("%s [%s]" % f)[:70], fmt(v)))


if __name__ == "__main__":
    main()
