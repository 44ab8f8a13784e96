"""Measure ``textcs train`` on the Twitter US airline sentiment train/test split, per backend, and
write the table into docs/benchmarks.md (block ``custom-training``).

    python scripts/bench_train.py [--backends hybrid,transformer] [--epochs 4] [--no-write]

The train split is written to a scratch folder (never into the repository) and trained on as a
user would: ``task sentiment``, a stratified 20 % dev split of the train split for thresholds and
early stopping, seed 0. The test split is only scored. Wall time covers everything ``train`` does
(reading, preprocessing, features, fitting, tuning, saving). The transformer backend has no
pretrained encoder on this machine, so it fine-tunes a small BERT built from scratch
(``--base scratch``: random weights, WordPiece vocabulary from the training tweets).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import tempfile
import time
from pathlib import Path

import numpy as np

import textcs
from _docs import write_block
from textcs.datasets import load_dataset
from textcs.training import TrainOptions, evaluate, train
from textcs.training.predictor import decide

ROOT = Path(__file__).resolve().parents[1]


def measure(model_dir: Path, test, profile: str = "default") -> dict:
    model = textcs.load(model_dir, profile=profile)
    t0 = time.perf_counter()
    proba = model.predict_proba(test["text"].tolist())
    seconds = time.perf_counter() - t0
    Y = np.eye(len(model.labels), dtype=int)[[model.labels.index(s) for s in test["sentiment"]]]
    ok = ~np.isnan(proba).any(1)
    P = np.zeros_like(Y)
    P[ok] = decide(proba[ok], model.task.kind, model.thresholds())
    s = evaluate(Y, P, model.labels, model.task.kind).summary
    return {"macro_f1": s["macro_f1"], "accuracy": s["accuracy"], "predict_s": seconds, "n": len(test)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--backends", default="hybrid,transformer")
    ap.add_argument("--epochs", type=int, default=4)
    ap.add_argument("--hidden", type=int, default=128)
    ap.add_argument("--layers", type=int, default=2)
    ap.add_argument("--learning-rate", type=float, default=5e-4)
    ap.add_argument("--scratch", type=Path, default=Path(tempfile.gettempdir()) / "textcs-bench-train")
    ap.add_argument("--no-write", action="store_true")
    args = ap.parse_args()
    args.scratch.mkdir(parents=True, exist_ok=True)
    train_split = load_dataset("twitter_airline", split="train")[["text", "sentiment"]]
    test = load_dataset("twitter_airline", split="test")[["text", "sentiment"]]
    train_split.to_parquet(args.scratch / "train.parquet", index=False)
    rows, load = [], os.getloadavg()
    for backend in args.backends.split(","):
        out = args.scratch / f"model-{backend}"
        opts = TrainOptions(data=str(args.scratch / "train.parquet"), output=str(out), task="sentiment",
                            label="sentiment", backend=backend, seed=0)
        if backend == "transformer":
            opts.base, opts.epochs, opts.batch_size = "scratch", args.epochs, 32
            opts.learning_rate, opts.max_length, opts.device = args.learning_rate, 64, "cpu"
            opts.scratch_hidden, opts.scratch_layers, opts.patience = args.hidden, args.layers, 2
        t0, c0 = time.perf_counter(), time.process_time()
        result = train(opts, log=print)
        wall, cpu = time.perf_counter() - t0, time.process_time() - c0
        profiles = ["default", "fast"] if backend == "hybrid" else ["default"]
        for profile in profiles:
            m = measure(out, test, profile)
            what = {("hybrid", "default"): "hybrid, default profile (USE v3 + TF-IDF, logistic regression)",
                    ("hybrid", "fast"): "hybrid, fast profile (TF-IDF only; same run)",
                    ("transformer", "default"): (f"transformer, BERT from scratch (hidden {args.hidden}, {args.layers} layers, "
                                                 f"best of {result.spec['meta']['backend'].get('epochs_run')} epochs: "
                                                 f"epoch {result.spec['meta']['backend'].get('best_epoch')}), CPU")}[(backend, profile)]
            # Dev metrics exist for the profile the run reports on (the first).
            dev = f"{result.reports['dev'].summary['macro_f1']:.3f}" if profile == profiles[0] else "n/a"
            rows.append((what, m, wall, cpu, dev))
            print(what, m, f"train {wall:.0f}s wall, {cpu:.0f}s CPU")
    table = ["| backend | test macro-F1 | test accuracy | dev macro-F1 | training: wall / CPU time | test scoring (2,940 tweets), wall, model loading included |",
             "|---|---|---|---|---|---|"]
    for what, m, wall, cpu, dev in rows:
        table.append(f"| {what} | {m['macro_f1']:.3f} | {m['accuracy']:.3f} | {dev} | {wall / 60:.1f} / {cpu / 60:.1f} min "
                     f"| {m['predict_s']:.0f}s |")
    text = "\n".join([
        f"Command: `python scripts/bench_train.py --backends {args.backends} --epochs {args.epochs}`  ",
        f"Machine: {os.cpu_count()} cores ({platform.machine()}), no GPU, Python {platform.python_version()}; "
        f"load average at start {load[0]:.1f} (shared with other jobs)  ",
        f"Date: {dt.date.today().isoformat()}  ",
        f"Data: Twitter US airline sentiment, train split {len(train_split):,} tweets (80 % fit / 20 % stratified dev), "
        f"test split {len(test):,} tweets (scored only). Task `sentiment` (negative / neutral / positive).",
        "",
        *table,
    ])
    print(text)
    if not args.no_write:
        write_block(ROOT / "docs" / "benchmarks.md", "custom-training", "## Training your own model (textcs train)", text)


if __name__ == "__main__":
    main()
