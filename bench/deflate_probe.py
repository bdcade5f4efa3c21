#!/usr/bin/python3
"""How much each deflate choice costs on gongkai's real streams.

    bench/deflate_probe.py [FILE.pdf|FILE.docx ...]
    (default: the outputs of the last `make bench`, build/bench/work/out/)

Takes the streams out of our own outputs -- the PDF's embedded fonts and
page contents (inflated back), the DOCX's chart pictures (PNG pixels,
unfiltered back to raw rows) and its XML parts -- and compresses each
class again with zlib (levels 1/6/9, and the RLE strategy) and, when the
shared library is there (Debian libdeflate0), libdeflate (levels 1/6/9).
PNG pixels are also tried with the PNG row filters Sub and Up.  Prints
output size and CPU milliseconds (best of 5) per class and method, so a
fix can be chosen on numbers rather than guesses.
"""
import ctypes
import glob
import re
import struct
import sys
import time
import zipfile
import zlib


def libdeflate():
    try:
        lib = ctypes.CDLL("libdeflate.so.0")
    except OSError:
        return None
    lib.libdeflate_alloc_compressor.restype = ctypes.c_void_p
    lib.libdeflate_alloc_compressor.argtypes = [ctypes.c_int]
    lib.libdeflate_zlib_compress.restype = ctypes.c_size_t
    lib.libdeflate_zlib_compress.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_size_t,
                                             ctypes.c_void_p, ctypes.c_size_t]
    lib.libdeflate_free_compressor.argtypes = [ctypes.c_void_p]
    return lib


LD = libdeflate()


def methods():
    out = []
    for lvl in (1, 6, 9):
        out.append(("zlib %d" % lvl, lambda d, l=lvl: zlib.compress(d, l)))
    out.append(("zlib 1 RLE", lambda d: _zrle(d)))
    if LD:
        for lvl in (1, 6, 9):
            out.append(("libdeflate %d" % lvl, lambda d, l=lvl: _ld(d, l)))
    return out


def _zrle(d):
    c = zlib.compressobj(1, zlib.DEFLATED, 15, 9, zlib.Z_RLE)
    return c.compress(d) + c.flush()


def _ld(d, lvl):
    c = LD.libdeflate_alloc_compressor(lvl)
    cap = len(d) + len(d) // 8 + 1024
    buf = ctypes.create_string_buffer(cap)
    n = LD.libdeflate_zlib_compress(c, d, len(d), buf, cap)
    LD.libdeflate_free_compressor(c)
    return buf.raw[:n]


def best_ms(fn, data, reps=5):
    best = None
    out = None
    for _ in range(reps):
        t0 = time.process_time()
        out = fn(data)
        t = (time.process_time() - t0) * 1000
        best = t if best is None or t < best else best
    return best, len(out)


def pdf_streams(path):
    data = open(path, "rb").read()
    fonts, contents, other = [], [], []
    for m in re.finditer(rb"stream\r?\n", data):
        start = m.end()
        dict_start = data.rfind(b" obj", 0, m.start())
        d = data[dict_start:m.start()]
        if b"FlateDecode" not in d:
            continue
        end = data.find(b"endstream", start)
        try:
            raw = zlib.decompressobj().decompress(data[start:end])
        except zlib.error:
            continue
        if b"/Length1" in d:
            fonts.append(raw)
        elif re.search(rb"\bBT\b|\bTf\b| re\b", raw[:4000]):
            contents.append(raw)
        else:
            other.append(raw)
    return fonts, contents, other


def png_rows(png):
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, w, h, ct = 8, b"", 0, 0, 0
    while pos < len(png):
        n, typ = struct.unpack(">I4s", png[pos:pos + 8])
        body = png[pos + 8:pos + 8 + n]
        if typ == b"IHDR":
            w, h, _, ct = struct.unpack(">IIBB", body[:10])
        elif typ == b"IDAT":
            idat += body
        pos += 12 + n
    bpp = {2: 3, 6: 4, 0: 1, 4: 2}.get(ct, 3)
    raw = zlib.decompress(idat)
    stride = w * bpp
    rows = []
    prev = bytearray(stride)
    for y in range(h):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        if f == 1:
            for i in range(bpp, stride):
                line[i] = (line[i] + line[i - bpp]) & 255
        elif f == 2:
            for i in range(stride):
                line[i] = (line[i] + prev[i]) & 255
        elif f != 0:
            raise SystemExit("PNG filter %d not handled by the probe" % f)
        rows.append(bytes(line))
        prev = line
    return rows, bpp


def filtered(rows, bpp, kind):
    out = bytearray()
    prev = bytes(len(rows[0]))
    for r in rows:
        if kind == 0:
            out += b"\x00" + r
        elif kind == 1:
            f = bytearray(len(r))
            f[:bpp] = r[:bpp]
            for i in range(bpp, len(r)):
                f[i] = (r[i] - r[i - bpp]) & 255
            out += b"\x01" + f
        else:
            f = bytes((a - b) & 255 for a, b in zip(r, prev))
            out += b"\x02" + f
        prev = r
    return bytes(out)


def report(label, data):
    print("\n%s: %d streams/items, %.0f KB raw" % (label, 1, len(data) / 1024))
    print("| method | output KB | ratio | CPU ms (best of 5) |")
    print("|---|---|---|---|")
    for name, fn in methods():
        ms, n = best_ms(fn, data)
        print("| %s | %.1f | %.1f%% | %.2f |" % (name, n / 1024, 100.0 * n / len(data), ms))


def main():
    files = sys.argv[1:] or sorted(glob.glob("build/bench/work/out/*.pdf") +
                                   glob.glob("build/bench/work/out/*.docx"))
    print("libdeflate: %s" % ("libdeflate.so.0 found" if LD else "not installed"))
    for f in files:
        if f.endswith(".pdf"):
            fonts, contents, other = pdf_streams(f)
            report("%s — embedded fonts (%d)" % (f, len(fonts)), b"".join(fonts))
            report("%s — page contents (%d)" % (f, len(contents)), b"".join(contents))
        elif f.endswith(".docx"):
            z = zipfile.ZipFile(f)
            xml = b"".join(z.read(n) for n in z.namelist() if n.endswith(".xml") or n.endswith(".rels"))
            report("%s — XML parts" % f, xml)
            pngs = [n for n in z.namelist() if n.endswith(".png")]
            for n in pngs[:1]:
                rows, bpp = png_rows(z.read(n))
                print("\n%s: %s, %d×%d px, %d bytes/px" % (f, n, len(rows[0]) // bpp, len(rows), bpp))
                for kind, label in ((0, "filter None (as now)"), (1, "filter Sub"), (2, "filter Up")):
                    report("%s %s pixels, %s" % (f, n, label), filtered(rows, bpp, kind))


if __name__ == "__main__":
    main()
