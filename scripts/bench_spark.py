"""Spark local[2] throughput next to the command line's, on the same file.

    python scripts/bench_spark.py [--n 4000] [--profile default] [--no-write]

One Parquet file of real comments (half Yogiyo ko, half Twitter airline en, interleaved, as in
bench_analyze; the sample file repeated when ../shared is absent) is scored three ways, each timed
from start to the output file written, model loading included:

- ``textcs score IN -o OUT`` (one process), and with ``--workers 2``;
- ``textcs.spark.score`` on a local[2] SparkSession, ``.write.parquet``; the session start is
  timed apart. Both Python workers load the model, as executors would on a cluster.

The rows and labels of the Spark output are checked against the command line's. Writes the table
into docs/benchmarks.md (block ``bench_spark``) with the load average before each run.
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
from bench_preprocess import ROOT, load_texts


def load_avg() -> str:
    return " / ".join(f"{x:.1f}" for x in os.getloadavg())


def java_version() -> str:
    out = subprocess.run(["java", "-version"], capture_output=True, text=True).stderr
    return out.split('"')[1] if '"' in out else "?"


def cli(src: Path, out: Path, profile: str, workers: int) -> dict:
    la = load_avg()
    t0 = time.perf_counter()
    subprocess.run([str(Path(sys.executable).parent / "textcs"), "score", str(src), "-o", str(out), "--profile", profile,
                    "--workers", str(workers), "--quiet"], check=True)
    return {"how": f"`textcs score` --workers {workers}", "seconds": time.perf_counter() - t0, "load": la}


def spark_run(src: Path, out: Path, profile: str, partitions: int) -> tuple[dict, float]:
    os.environ["PYSPARK_PYTHON"] = sys.executable
    t0 = time.perf_counter()
    from pyspark.sql import SparkSession

    spark = (SparkSession.builder.master("local[2]").appName("textcs-bench").config("spark.ui.enabled", "false")
             .config("spark.ui.showConsoleProgress", "false")
             .config("spark.sql.execution.arrow.pyspark.enabled", "true").getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")
    start = time.perf_counter() - t0
    from textcs.spark import score

    la = load_avg()
    t0 = time.perf_counter()
    df = spark.read.parquet(str(src)).repartition(partitions)
    score(df, profile=profile).write.mode("overwrite").parquet(str(out))
    seconds = time.perf_counter() - t0
    spark.stop()
    return {"how": f"`textcs.spark.score`, local[2], {partitions} partitions", "seconds": seconds, "load": la}, start


def main() -> None:
    import pandas as pd

    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=4000)
    ap.add_argument("--profile", default="default")
    ap.add_argument("--partitions", type=int, default=2)
    ap.add_argument("--no-write", action="store_true")
    args = ap.parse_args()

    ko, ko_src = load_texts("ko", args.n // 2)
    en, en_src = load_texts("en", args.n - args.n // 2)
    texts = [t for pair in zip(ko, en) for t in pair]
    with tempfile.TemporaryDirectory(prefix="textcs-bench-spark-") as tmp:
        tmp = Path(tmp)
        src = tmp / "comments.parquet"
        pd.DataFrame({"id": range(len(texts)), "text": texts}).to_parquet(src, index=False)
        runs = [cli(src, tmp / "cli1.parquet", args.profile, 1), cli(src, tmp / "cli2.parquet", args.profile, 2)]
        spark_row, start = spark_run(src, tmp / "spark", args.profile, args.partitions)
        runs.append(spark_row)
        a = pd.read_parquet(tmp / "cli1.parquet").sort_values("id").reset_index(drop=True)
        b = pd.read_parquet(tmp / "spark").sort_values("id").reset_index(drop=True)
        assert len(a) == len(b) == len(texts), (len(a), len(b))
        same = float((a[["status", "polarity", "servqual", "failures"]] == b[["status", "polarity", "servqual", "failures"]])
                     .all(axis=1).mean())

    lines = [
        f"Command: `python scripts/bench_spark.py --n {args.n} --profile {args.profile}`  ",
        f"Machine: {os.cpu_count()} cores ({platform.machine()}), Python {platform.python_version()}, "
        f"pyspark {__import__('pyspark').__version__} on Java {java_version()}, no GPU  ",
        f"Date: {dt.date.today()}. Input: one Parquet file of {len(texts):,} comments ({ko_src}; {en_src}), "
        f"profile `{args.profile}`. Wall time from start to output written, model loading included.",
        "",
        "| how | comments | seconds | comments/s | load average before (1/5/15 min) |",
        "|---|---|---|---|---|",
        *[f"| {r['how']} | {len(texts):,} | {r['seconds']:.1f} | {len(texts) / r['seconds']:,.0f} | {r['load']} |"
          for r in runs],
        "",
        f"SparkSession start (not in the Spark row): {start:.1f} s. Spark rows with the same status, polarity, "
        f"SERVQUAL and failures as the command line's: {same:.1%}.",
    ]
    text = "\n".join(lines)
    print(text)
    if not args.no_write:
        write_block(ROOT / "docs" / "benchmarks.md", "bench_spark", "## Spark next to the command line", text)


if __name__ == "__main__":
    main()
