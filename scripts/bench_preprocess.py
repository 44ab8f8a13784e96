"""Preprocessing throughput and peak memory, 10,000 Korean and 10,000 English comments.

Uses the real comments in ../shared/data/real when present (Korean: Yogiyo delivery reviews;
English: Twitter US airline tweets), else the sample file in data/samples. Each language runs in a
fresh process so its peak RSS is its own. Prints a table and writes it into docs/benchmarks.md.

    python scripts/bench_preprocess.py [--n 10000] [--no-write]
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

ROOT = Path(__file__).resolve().parents[1]
REAL = ROOT.parent / "shared" / "data" / "real"
SOURCES = {
    "ko": (REAL / "yogiyo_delivery_reviews_subratings" / "yogiyo.prepared.csv", "review"),
    "en": (REAL / "twitter_us_airline_sentiment" / "tweets.prepared.csv", "text"),
}
SAMPLE = ROOT / "data" / "samples" / "comments.csv"


def load_texts(lang: str, n: int) -> tuple[list[str], str]:
    import pandas as pd

    path, column = SOURCES[lang]
    if path.exists():
        texts = pd.read_csv(path, usecols=[column])[column].dropna().astype(str).tolist()[:n]
        source = f"{path.parent.name} ({len(texts):,} real comments)"
    else:
        frame = pd.read_csv(SAMPLE)
        base = frame.loc[frame["language"] == lang, "text"].astype(str).tolist()
        texts = (base * (n // max(len(base), 1) + 1))[:n]
        source = f"data/samples (repeated, {len(base)} distinct)"
    return texts, source


def run_one(lang: str, n: int, tokenize: bool) -> dict:
    """Measure in this process (called in a child)."""
    import resource
    import time

    import textcs

    texts, source = load_texts(lang, n)
    pre = textcs.Preprocessor(tokenize=tokenize)
    pre(texts[:200])  # load models and warm caches before timing
    t0 = time.perf_counter()
    records = pre(texts)
    seconds = time.perf_counter() - t0
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    statuses: dict[str, int] = {}
    for r in records:
        statuses[r.status] = statuses.get(r.status, 0) + 1
    return {
        "language": lang,
        "source": source,
        "n": len(texts),
        "mean_chars": round(sum(map(len, texts)) / len(texts), 1),
        "seconds": round(seconds, 2),
        "per_second": round(len(texts) / seconds),
        "peak_rss_mb": round(peak_mb),
        "sentences": sum(len(r.sentences) for r in records),
        "statuses": statuses,
    }


def table(results: list[dict]) -> str:
    lines = [
        "| language | source | comments | mean chars | seconds | comments/s | peak RSS (MB) | sentences |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        lines.append(
            f"| {r['language']} | {r['source']} | {r['n']:,} | {r['mean_chars']} | {r['seconds']} "
            f"| {r['per_second']:,} | {r['peak_rss_mb']} | {r['sentences']:,} |"
        )
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=10_000)
    ap.add_argument("--no-tokenize", action="store_true", help="sentences only, no tokens in records")
    ap.add_argument("--no-write", action="store_true", help="print only, leave docs/benchmarks.md alone")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(run_one(args.child, args.n, not args.no_tokenize)))
        return
    results = []
    for lang in ("ko", "en"):
        cmd = [sys.executable, __file__, "--child", lang, "--n", str(args.n)]
        if args.no_tokenize:
            cmd.append("--no-tokenize")
        out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
        results.append(json.loads(out.strip().splitlines()[-1]))
    cpu = platform.processor() or platform.machine()
    header = (
        f"Command: `python scripts/bench_preprocess.py --n {args.n}`"
        f"{' --no-tokenize' if args.no_tokenize else ''}  \n"
        f"Machine: {os.cpu_count()} cores ({cpu}), Python {platform.python_version()}, "
        f"{platform.system()}  \nDate: {dt.date.today().isoformat()}  \n"
        f"Tokenisation: {'off' if args.no_tokenize else 'on'} (normalise, PII, language, sentences"
        f"{', tokens and lemmas' if not args.no_tokenize else ''}). Goal: >= 1,500 comments/s per language.\n"
    )
    text = header + "\n" + table(results)
    print(text)
    for r in results:
        print(f"{r['language']} statuses: {r['statuses']}")
    if not args.no_write:
        write_block(ROOT / "docs" / "benchmarks.md", "bench_preprocess", "## Preprocessing throughput", text)


if __name__ == "__main__":
    main()
