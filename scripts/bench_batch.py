"""`textcs score` as a batch job: rows/s with 1 and 2 workers, and peak memory against input size.

    python scripts/bench_batch.py [--n 100000] [--workers 1 2] [--profile default]
                                  [--memory 100000 1000000] [--memory-profile fast] [--no-write]

Input: real comments from ../shared/data/real, interleaved: Yogiyo reviews (ko), Twitter airline
tweets (en), Skytrax airline reviews (en), Korean food-delivery ABSA sentences (ko). They are
repeated in order to reach a size larger than the pool. The CSV is written to a temporary folder,
never into the repository.

Each run is the real command in a fresh process (`textcs score IN -o OUT.parquet --quiet`), so the
time includes starting Python and loading the models. Peak memory is the largest sum of the resident
memory of the command and its worker processes, sampled from /proc every 0.2 s (Linux only).
Targets (issue 6): 2 workers >= 1.7x the rows/s of 1 worker; peak memory at 1,000,000 rows within
20 % of that at 100,000. Writes the table into docs/benchmarks.md (block `bench-batch`).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _docs import write_block

ROOT = Path(__file__).resolve().parents[1]
# (data set, text column) from textcs.datasets, interleaved in this order.
POOL = [("yogiyo", "text"), ("twitter_airline", "text"), ("skytrax_airline", "text"), ("korean_absa", "text")]


def real_comments() -> tuple[list[str], str]:
    import pandas as pd

    from textcs.datasets import DatasetNotFound, load_dataset

    columns, names = [], []
    for name, col in POOL:
        try:
            texts = load_dataset(name)[col].dropna().astype(str)
        except (DatasetNotFound, KeyError):
            continue
        texts = texts[texts.str.strip() != ""].drop_duplicates().tolist()
        columns.append(texts)
        names.append(f"{name} {len(texts):,}")
    if not columns:
        sample = pd.read_csv(ROOT / "data" / "samples" / "comments.csv")
        return sample["text"].dropna().astype(str).tolist(), "data/samples (real data absent)"
    mixed = [t for group in zip(*[c[: min(map(len, columns))] for c in columns]) for t in group]
    mixed += [t for c in columns for t in c[min(map(len, columns)):]]
    return mixed, "; ".join(names)


def write_input(texts: list[str], n: int, path: Path) -> None:
    """``n`` rows: the pool repeated in order, with an id column."""
    import csv

    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["id", "text"])
        for i in range(n):
            w.writerow([f"r{i}", texts[i % len(texts)]])


def _tree_rss(root: int) -> int:
    """Resident bytes of ``root`` and all its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    page = os.sysconf("SC_PAGE_SIZE")
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            with open(f"/proc/{entry}/statm") as f:
                rss[int(entry)] = int(f.read().split()[1]) * page
        except (OSError, IndexError):
            continue
        children.setdefault(int(fields[1]), []).append(int(entry))
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo.extend(children.get(pid, []))
    return total


def run(src: Path, out: Path, profile: str, workers: int, batch_size: int) -> dict:
    cmd = [sys.executable, "-c", "import sys; from textcs.cli import app; sys.exit(app())", "score", str(src),
           "-o", str(out), "--id", "id", "--profile", profile, "--workers", str(workers),
           "--batch-size", str(batch_size), "--quiet"]
    manifest = out.with_name(out.name + ".parts") / "manifest.jsonl"
    t0 = time.perf_counter()
    job = subprocess.Popen(cmd, stderr=subprocess.PIPE, text=True)
    peak, first = 0, None
    while job.poll() is None:
        peak = max(peak, _tree_rss(job.pid))
        if first is None and manifest.exists() and len(manifest.read_bytes().splitlines()) >= 2:
            first = time.perf_counter()  # the first chunk is done: models loaded, steady state from here
        time.sleep(0.2)
    end = time.perf_counter()
    if job.returncode != 0:
        raise SystemExit(f"textcs score failed ({job.returncode}): {job.stderr.read()}")
    return {"seconds": end - t0, "startup": (first or end) - t0, "steady": end - first if first else 0.0,
            "peak_mb": peak / 2**20}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=100_000, help="rows for the rows/s runs (0: skip them)")
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--profile", default="default")
    ap.add_argument("--memory", type=int, nargs="*", default=[100_000, 1_000_000], help="row counts for the memory runs")
    ap.add_argument("--memory-profile", default="fast")
    ap.add_argument("--batch-size", type=int, default=1000)
    ap.add_argument("--no-write", action="store_true")
    args = ap.parse_args()

    texts, source = real_comments()
    load = os.getloadavg()
    started = dt.datetime.now(dt.timezone.utc)
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench_batch-") as tmp:
        tmp = Path(tmp)
        runs = [("rows/s", args.n, args.profile, w) for w in args.workers if args.n] + \
               [("memory", m, args.memory_profile, 1) for m in args.memory]
        for kind, n, profile, workers in runs:
            src = tmp / f"in-{n}.csv"
            if not src.exists():
                write_input(texts, n, src)
            before = os.getloadavg()[0]
            r = run(src, tmp / "out.parquet", profile, workers, args.batch_size)
            steady = (n - args.batch_size) / r["steady"] if r["steady"] > 0 and n > args.batch_size else float("nan")
            row = {"kind": kind, "n": n, "profile": profile, "workers": workers, "seconds": r["seconds"],
                   "per_s": n / r["seconds"], "steady": steady, "startup": r["startup"], "peak_mb": r["peak_mb"],
                   "load": f"{before:.1f} / {os.getloadavg()[0]:.1f}"}
            rows.append(row)
            print(f"{kind:7} n={n:>9,} {profile:7} workers={workers}  {r['seconds']:8.1f}s  "
                  f"{row['per_s']:7.0f} rows/s ({steady:.0f} after the first chunk)  peak {r['peak_mb']:7.0f} MB  "
                  f"load {row['load']}", flush=True)

    lines = [
        f"Command: `python scripts/bench_batch.py --n {args.n} --workers {' '.join(map(str, args.workers))} "
        f"--profile {args.profile} --memory {' '.join(map(str, args.memory))} --memory-profile {args.memory_profile}`  ",
        f"Machine: {os.cpu_count()} cores ({platform.machine()}), no GPU, Python {platform.python_version()}; "
        f"shared with other jobs: load average {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} (1/5/15 min) at the start  ",
        f"Date: {started:%Y-%m-%d %H:%M} UTC. Input: {len(texts):,} distinct real comments ({source}), "
        "repeated in order to reach n; `--batch-size` "
        f"{args.batch_size}; output Parquet. Time includes process start and model loading.",
        "",
        "| run | rows | profile | workers | seconds | rows/s | rows/s after the first chunk | start to first chunk (s) "
        "| peak RSS, all processes (MB) | load avg before / after |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(f"| {r['kind']} | {r['n']:,} | {r['profile']} | {r['workers']} | {r['seconds']:.1f} | "
                     f"{r['per_s']:,.0f} | {r['steady']:,.0f} | {r['startup']:.1f} | {r['peak_mb']:,.0f} | {r['load']} |")
    speed = {r["workers"]: r for r in rows if r["kind"] == "rows/s"}
    if 1 in speed and 2 in speed:
        lines.append(f"\nScaling from 1 to 2 workers: {speed[2]['per_s'] / speed[1]['per_s']:.2f}x overall, "
                     f"{speed[2]['steady'] / speed[1]['steady']:.2f}x after the first chunk (target >= 1.7x).")
    mem = [r for r in rows if r["kind"] == "memory"]
    if len(mem) >= 2:
        lo, hi = mem[0], mem[-1]
        lines.append(f"Peak memory at {hi['n']:,} rows is {hi['peak_mb'] / lo['peak_mb'] - 1:+.1%} against "
                     f"{lo['n']:,} rows (target: within 20 %).")
    text = "\n".join(lines)
    print(text)
    if not args.no_write:
        write_block(ROOT / "docs" / "benchmarks.md", "bench-batch", "## Batch scoring (`textcs score`)", text)


if __name__ == "__main__":
    main()
