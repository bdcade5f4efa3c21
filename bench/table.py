#!/usr/bin/python3
"""Print bench/results.json as the Markdown tables of docs/BENCH.md.

    bench/table.py [bench/results.json]
"""
import json
import sys


def med(s):
    return s["median"] if s else float("nan")


def rng(s):
    return "%.0f–%.0f" % (s["p10"], s["p90"]) if s else ""


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else "bench/results.json"
    r = json.load(open(path, encoding="utf-8"))
    m = r["machine"]
    print("Run %s at %s on %s (%s CPUs), load average %s at the start and %s at the end; "
          "%d in-process runs per figure, %.0f s in all." % (
              r["git"], r["date"], m["cpu"], m["cpus_online"],
              " ".join("%.1f" % x for x in m["loadavg_start"]),
              " ".join("%.1f" % x for x in m["loadavg_end"]),
              r["config"]["reps"], r["config"]["seconds"]))
    print()
    print("| example | pages | table rows | charts | PDF+DOCX in process, ms (p10–p90) | CPU ms | "
          "fresh process ms | its CPU ms | peak RSS MB | PDF KB | DOCX KB | LibreOffice ms (CPU) | LO ÷ fresh, wall (CPU) |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for e in r["examples"]:
        ip = e["in_process"]["pdf+docx"]
        fp = e.get("fresh_process") or {}
        lo = e.get("libreoffice") or {}
        print("| %s | %d | %d | %d | **%.0f** (%s) | %.0f | %s | %s | %s | %.0f | %.0f | %s | %s |" % (
            e["name"], e["pages"], e["table_rows"], e["charts"],
            med(ip["total_ms"]), rng(ip["total_ms"]), med(ip["cpu_ms"]),
            "%.0f" % med(fp["wall_ms"]) if fp else "–",
            "%.0f" % med(fp["cpu_ms"]) if fp else "–",
            "%.1f" % (fp["peak_rss_kb"] / 1024) if fp else "–",
            ip["bytes"].get("pdf", 0) / 1024, ip["bytes"].get("docx", 0) / 1024,
            "%.0f (%.0f)" % (lo["wall_ms"], lo["cpu_ms"]) if lo else "–",
            "%.0f× (%.0f×)" % (lo["ratio_to_fresh_process"], lo["cpu_ratio_to_fresh_process"]) if lo else "–"))
    print()
    print("Per format and stage, in process (median ms; `template` includes loading the layout, "
          "`write` the atomic file writes with fsync):")
    print()
    stages = ["parse", "check", "template", "txt", "pdf", "docx", "write"]
    print("| example | format | total (p10–p90) | CPU | " + " | ".join(stages) + " |")
    print("|---|---|---|---|" + "---|" * len(stages))
    for e in r["examples"]:
        for fmt in ["txt", "pdf", "docx", "pdf+docx"]:
            ip = e["in_process"][fmt]
            cells = []
            for s in stages:
                v = ip["stages_ms"].get(s)
                cells.append("%.1f" % v["median"] if v else "–")
            print("| %s | %s | %.1f (%s) | %.1f | %s |" % (
                e["name"], fmt, med(ip["total_ms"]), rng(ip["total_ms"]), med(ip["cpu_ms"]),
                " | ".join(cells)))
    print()
    print("Finer stages (median CPU ms of %d runs; measured by calling the back ends' own functions "
          "on the same document, see `fine_stages` in results.json):" % r["config"]["fine_reps"])
    print()
    names = list(r["fine_stages"].keys())
    print("| stage | " + " | ".join(e["name"] for e in r["examples"]) + " | what |")
    print("|---|" + "---|" * len(r["examples"]) + "---|")
    for n in names:
        cells = []
        for e in r["examples"]:
            v = e["fine_cpu_ms"].get(n)
            cells.append("%.1f" % v["median"] if v else "–")
        print("| %s | %s | %s |" % (n, " | ".join(cells), r["fine_stages"][n]))
    b = r.get("batch")
    if b:
        print()
        print("| batch of %d departments (pdf,docx) | wall s | CPU s | wall ms per department | CPU s ÷ jobs (idle-machine estimate) | peak RSS MB (largest process) |" % b["departments"])
        print("|---|---|---|---|---|---|")
        for j in ("j1", "j2"):
            x = b[j]
            print("| `gongkai batch -j %s` | **%.2f** | %.2f | %.0f | %.2f | %.1f |" % (
                j[1:], x["wall_s"], x["cpu_s"], 1000 * x["wall_s"] / b["departments"],
                x["idle_estimate_s"], x["peak_rss_kb"] / 1024))
    if r.get("scaling"):
        print()
        print("| data | ×k | ledger rows | table rows | pages | PDF+DOCX ms | CPU ms | CPU ms per table row | CPU ms per added row | PDF KB |")
        print("|---|---|---|---|---|---|---|---|---|---|")
        for s in r["scaling"]:
            pd = s["pdf_docx"]
            mg = s.get("marginal_cpu_ms_per_added_row")
            print("| %s | %d | %d | %d | %d | %.0f | %.0f | %.3f | %s | %.0f |" % (
                s["base"], s["k"], s["ledger_rows"], s["table_rows"], s["pages"],
                med(pd["total_ms"]), med(pd["cpu_ms"]), s["cpu_ms_per_table_row"],
                "%.3f" % mg if mg is not None else "–", pd["bytes"].get("pdf", 0) / 1024))
    print()
    print("| target | measured | limit | |")
    print("|---|---|---|---|")
    for v in r["verdicts"]:
        print("| %s | %.1f | %.0f | %s |" % (v["target"], v["measured"], v["limit"],
                                           "met" if v["met"] else "**missed**"))


if __name__ == "__main__":
    main()
