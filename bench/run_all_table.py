#!/usr/bin/env python3
"""The table of bench/run-all.sh: regbench's JSON of every run (one file a
run, NAME.json, in --dir), the fsync rate and the peak RSS, as one
Markdown table with each figure beside the machine's limit measured in the
same run (the null EPP server for reads, the disk's fdatasync rate for
durable writes) and the DESIGN §10 target, marked ✓ where met and ✗ where
not. Standard library only."""
import argparse
import json
import os
import re
import sys


def fmt_int(x):
    return f"{x:,.0f}"


def fmt_ms(x):
    return f"{x:.2f} ms" if x < 10 else f"{x:.1f} ms"


class Runs:
    def __init__(self, d):
        self.d = d

    def get(self, name):
        path = os.path.join(self.d, name + ".json")
        try:
            with open(path) as f:
                return json.loads(f.read())
        except (OSError, ValueError):
            return None

    def text(self, name):
        try:
            with open(os.path.join(self.d, name)) as f:
                return f.read()
        except OSError:
            return ""


def notes(r):
    """What a run answered besides success, and its connection errors."""
    out = []
    odd = {c: n for c, n in r.get("codes", {}).items() if not c.startswith("1")}
    if odd:
        out.append(", ".join(f"{n:,} × {c}" for c, n in sorted(odd.items())))
    if r.get("errors"):
        out.append(f"{r['errors']} connection errors")
    if r.get("logged_in", r["sessions"]) < r["sessions"]:
        out.append(f"{r['logged_in']} of {r['sessions']} sessions logged in")
    return f" ({'; '.join(out)})" if out else ""


def rate_cell(r):
    if not r:
        return "—"
    return f"{fmt_int(r['per_second'])}/s, p99 {fmt_ms(r['p99_ms'])}{notes(r)}"


def mark(ok):
    return "✓" if ok else "✗"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", required=True)
    ap.add_argument("--backends", default="sqlite pgsql")
    ap.add_argument("--base", type=int, required=True)
    ap.add_argument("--scale", type=int, required=True)
    ap.add_argument("--many", type=int, required=True)
    ap.add_argument("--big", type=int, required=True)
    ap.add_argument("--secs", default="5")
    a = ap.parse_args()
    runs = Runs(a.dir)
    names = {"sqlite": "SQLite", "pgsql": "PostgreSQL"}
    bes = a.backends.split()

    m = re.search(r"= ([0-9.]+)/s", runs.text("fsync.txt"))
    fsync = float(m.group(1)) if m else 0.0
    null1, nullN = runs.get("null.check1"), runs.get("null.checkN")

    head = ["figure", "machine's limit (same run)"]
    for be in bes:
        head += [names[be], f"{names[be]} ÷ limit"]
    head += ["DESIGN §10 target", "met"]
    rows = []

    def row(figure, limit, cells, target, met):
        rows.append([figure, limit] + cells + [target, met])

    row("fdatasync, 4 KiB", f"{fmt_int(fsync)}/s", ["", ""] * len(bes), "", "")

    def throughput(figure, run, limit_run, limit_rate, limit_text, target, ok):
        cells, met = [], []
        for be in bes:
            r = runs.get(f"{be}.{run}")
            cells.append(rate_cell(r))
            ratio = r["per_second"] / limit_rate if r and limit_rate else 0
            cells.append(f"{ratio:.0%}" if limit_run != "fsync" else f"{ratio:.2f} × fsync")
            if ok:
                met.append(f"{names[be]} {mark(r is not None and ok(be, r, ratio))}")
        row(figure, limit_text, cells, target, ", ".join(met))

    def null_limit(r):
        return (r["per_second"] if r else 0,
                f"null server {rate_cell(r)}" if r else "—")

    n1, n1t = null_limit(null1)
    nN, nNt = null_limit(nullN)
    half = lambda be, r, ratio: ratio >= 0.5  # noqa: E731
    throughput("domain:check, 1 session", "check1", "null", n1, n1t, "≥ 50 % of null", half)
    throughput(f"domain:check, {a.many} sessions", "checkN", "null", nN, nNt,
               "≥ 50 % of null", half)
    throughput("domain:info, 1 session", "info1", "null", n1, "the same null server",
               "≥ 50 % of null", half)
    throughput(f"domain:info, {a.many} sessions", "infoN", "null", nN, "the same null server",
               "≥ 50 % of null", half)
    throughput("domain:create, 1 session", "create1", "fsync", fsync,
               f"fdatasync {fmt_int(fsync)}/s", "≥ 1,000/s",
               lambda be, r, ratio: r["per_second"] >= 1000)
    throughput(f"domain:create, {a.many} sessions", "createN", "fsync", fsync,
               f"fdatasync {fmt_int(fsync)}/s", "≥ 10,000/s SQLite, ≥ 5,000/s PostgreSQL",
               lambda be, r, ratio: r["per_second"] >= (10000 if be == "sqlite" else 5000))

    for cmd in ("check", "info"):
        cells, met = [], []
        for be in bes:
            lo, hi = runs.get(f"{be}.{cmd}1"), runs.get(f"{be}.scale.{cmd}1")
            if lo and hi and lo["p99_ms"] > 0:
                x = hi["p99_ms"] / lo["p99_ms"]
                cells += [f"{fmt_ms(lo['p99_ms'])} → {fmt_ms(hi['p99_ms'])}{notes(hi)}",
                          f"{x:.2f} ×"]
                met.append(f"{names[be]} {mark(x <= 1.5)}")
            else:
                cells += ["—", ""]
                met.append(f"{names[be]} ✗")
        row(f"domain:{cmd} p99, 1 session, {a.base:,} → {a.scale:,} domains", "", cells,
            "≤ 1.5 × at 10,000 (at 1,000,000)", ", ".join(met))

    cells, met = [], []
    for be in bes:
        kib = runs.text(f"{be}.rss-kib").strip()
        big = runs.get(f"{be}.scale.big")
        if kib.isdigit() and big:
            mib = int(kib) / 1024
            cells += [f"{mib:.1f} MiB (check {rate_cell(big)})", ""]
            met.append(f"{names[be]} {mark(mib <= 256)}")
        else:
            cells += ["—", ""]
            met.append(f"{names[be]} ✗")
    row(f"registryd peak RSS, {a.scale:,} domains, {a.big:,} sessions logged in", "", cells,
        "≤ 256 MiB (1,000,000 domains, 1,000 sessions)", ", ".join(met))

    for cmd in ("check", "info"):
        cells, met = [], []
        for be in bes:
            r = runs.get(f"{be}.{cmd}-half")
            if r:
                cells += [f"p99 {fmt_ms(r['p99_ms'])} at {fmt_int(r['per_second'])}/s "
                          f"(asked {fmt_int(r['rate_asked'])}/s){notes(r)}", ""]
                met.append(f"{names[be]} {mark(r['p99_ms'] <= 5)}")
            else:
                cells += ["—", ""]
                met.append(f"{names[be]} ✗")
        row(f"domain:{cmd} at half of the {a.many}-session peak", "", cells, "p99 ≤ 5 ms",
            ", ".join(met))

    cells = []
    for be in bes:
        rates = []
        for step in ("base", "scale"):
            m = re.search(r"\(([0-9]+)/s\)", runs.text(f"{be}.load-{step}.txt"))
            rates.append(f"{int(m.group(1)):,}/s" if m else "—")
        cells += [" then ".join(rates), ""]
    row("load (benchload: domain_create, 1,000 a transaction)", "", cells, "", "")

    print(f"EPP over TLS on loopback, regbench beside the server, {a.secs} s a run; "
          f"{a.base:,} domains loaded, then {a.scale:,} for the scale rows; "
          "reads at half of peak are paced (regbench --rate), latency from when each "
          "command was due.\n")
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    for r in rows:
        print("| " + " | ".join(r) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
