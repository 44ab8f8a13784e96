"""Analyzer throughput and peak memory on mixed Korean/English real comments, per profile.

    python scripts/bench_analyze.py [--n 10000] [--no-write]

Half Korean (Yogiyo reviews), half English (Twitter airline tweets) from ../shared/data/real
(the sample file when absent), interleaved. Each profile runs in a fresh process, so its peak RSS is
its own (models included). Writes the table into docs/benchmarks.md.
Targets (issue 4): default >= 300 comments/s and <= 2 GB; fast >= 2,000 comments/s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import subprocess
import sys
from pathlib import Path

from _docs import write_block
from bench_preprocess import ROOT, load_texts



def run_one(profile: str, n: int) -> dict:
    import resource
    import time

    import textcs

    ko, _ = load_texts("ko", n // 2)
    en, _ = load_texts("en", n - n // 2)
    texts = [t for pair in zip(ko, en) for t in pair]
    analyzer = textcs.load(profile=profile)
    analyzer.analyze(texts[:200])  # load models, warm caches
    t0 = time.perf_counter()
    results = []
    for i in range(0, len(texts), 1000):  # batches, as a batch job would feed it
        results.extend(analyzer.analyze(texts[i:i + 1000]))
    seconds = time.perf_counter() - t0
    return {"profile": profile, "n": len(texts), "seconds": round(seconds, 1),
            "per_second": round(len(texts) / seconds),
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
            "ok": sum(r.status == "ok" for r in results)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=10_000)
    ap.add_argument("--no-write", action="store_true")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(run_one(args.child, args.n)))
        return
    rows = []
    for profile in ("default", "fast"):
        out = subprocess.run([sys.executable, __file__, "--child", profile, "--n", str(args.n)],
                             check=True, capture_output=True, text=True).stdout
        rows.append(json.loads(out.strip().splitlines()[-1]))
    target = {"default": ">= 300/s, <= 2,048 MB", "fast": ">= 2,000/s"}
    text = (
        f"Command: `python scripts/bench_analyze.py --n {args.n}`  \n"
        f"Machine: {os.cpu_count()} cores ({platform.machine()}), Python {platform.python_version()}  \n"
        f"Date: {dt.date.today().isoformat()}. Comments: half Yogiyo (ko), half Twitter airline (en), real, interleaved; "
        "full pipeline (preprocessing, features, all heads, touchpoints, roll-up).\n\n"
        "| profile | comments | seconds | comments/s | peak RSS (MB) | target |\n|---|---|---|---|---|---|\n"
        + "\n".join(f"| {r['profile']} | {r['n']:,} | {r['seconds']} | {r['per_second']:,} | {r['peak_rss_mb']:,} | {target[r['profile']]} |" for r in rows)
    )
    print(text)
    if not args.no_write:
        write_block(ROOT / "docs" / "benchmarks.md", "bench_analyze", "## Analyzer throughput", text)

if __name__ == "__main__":
    main()
