"""Rebuild the shipped default model (models/default) from the corpus and the real train splits.

    python scripts/train_default.py [--out models/default] [--seed 0] [--no-real]

Deterministic: the same data and seed give the same weights. Only train splits (and the corpus's
train/dev) are read; see textcs/classify/train.py for the sources and their label mapping.
Run scripts/evaluate.py afterwards to measure it on the real test splits and refresh its model card.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from textcs.classify.train import collect_examples, train_model

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", type=Path, default=ROOT / "models" / "default")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--no-real", action="store_true", help="train on the project corpus only")
    args = ap.parse_args()
    t0 = time.perf_counter()
    examples = collect_examples(seed=args.seed, use_real=not args.no_real)
    model = train_model(examples, seed=args.seed)
    model.meta.update({
        "sources": sorted({e.source for e in examples}),
        "n_examples": len(examples),
        "train_seconds": round(time.perf_counter() - t0),
    })
    model.save(args.out)
    print(f"saved {args.out} in {time.perf_counter() - t0:.0f}s")


if __name__ == "__main__":
    main()
