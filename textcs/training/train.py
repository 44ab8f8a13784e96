"""``textcs train``: validate the data, fit a backend, tune thresholds on dev, measure, save.

>>> import pandas as pd, tempfile
>>> rows = [("Rude waiter, cold soup", "staff;food"), ("Great pasta", "food"), ("The bill was wrong", "price"),
...         ("Friendly staff", "staff"), ("Too expensive", "price"), ("Tasty noodles", "food")] * 4
>>> tmp = tempfile.mkdtemp()
>>> pd.DataFrame(rows, columns=["text", "labels"]).to_csv(f"{tmp}/train.csv", index=False)
>>> result = train(TrainOptions(data=f"{tmp}/train.csv", output=f"{tmp}/model", labels=["food", "staff", "price"],
...                             multi_label=True, encoder=None), log=lambda m: None)
>>> sorted(result.reports["dev"].per_label)
['food', 'price', 'staff']
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np

from ..classify.heads import tune_thresholds
from ..preprocess import Preprocessor
from .backend import get_backend
from .card import versions, write_card
from .data import TaskData, TrainingDataError, dataset_splits, read_table, resolve_task, split_dev
from .metrics import Report, evaluate
from .options import TrainOptions
from .predictor import FORMAT_VERSION, TASK_FILE, decide, unit_of

__all__ = ["train", "TrainResult"]


@dataclass
class TrainResult:
    """Where the model went, its dev (and test) reports, and how long training took."""

    output: Path
    reports: dict[str, Report]
    seconds: float
    spec: dict


def _units(texts: list[str], pre: Preprocessor, label: str, progress: bool) -> list:
    from tqdm import tqdm

    records = list(tqdm(pre.pipe(texts), total=len(texts), unit="rows", desc=f"preprocess {label}",
                        disable=not progress, file=sys.stderr, leave=False))
    return [unit_of(r) for r in records]


SPLIT_NAMES = {"train": "train", "dev": "dev", "validation": "dev", "valid": "dev", "test": "test"}


def _split_parts(frame, column: str, source: str) -> dict[str, np.ndarray]:
    """Row positions per part, from a split column (train / dev or validation / test)."""
    if column not in frame.columns:
        raise TrainingDataError(f"training data {source}: split column {column!r} not found")
    values = frame[column].astype(str).str.strip().str.lower().map(SPLIT_NAMES)
    bad = np.flatnonzero(values.isna().to_numpy())
    if len(bad):
        shown = ", ".join(str(i + 1) for i in bad[:10])
        raise TrainingDataError(f"training data {source}: {column} must be train, dev, validation or test; "
                                f"rows {shown}{' and more' if len(bad) > 10 else ''} are not")
    return {k: np.flatnonzero((values == k).to_numpy()) for k in ("train", "dev", "test")}


def train(options: TrainOptions, log: Callable[[str], None] = print, progress: bool | None = None,
          preprocessor: Preprocessor | None = None) -> TrainResult:
    """Train the task described by ``options`` and write the model directory ``options.output``.
    ``preprocessor`` reuses one already built (its models load once)."""
    t0 = time.perf_counter()
    progress = sys.stderr.isatty() if progress is None else progress
    if not options.data or not options.output:
        raise TrainingDataError("training needs data (the training file) and output (the model directory)")
    backend_cls = get_backend(options.backend)
    if hasattr(backend_cls, "check_options"):
        backend_cls.check_options(options)
    task = resolve_task(options.task, options.labels, options.multi_label, options.industry, options.taxonomy)
    read = lambda source, what: TaskData.from_frame(read_table(source), task, options.text, options.label,
                                                     source=f"{what} {Path(str(source)).name}")
    name = Path(str(options.data)).name
    frame = read_table(options.data)
    data = TaskData.from_frame(frame, task, options.text, options.label, source=f"training data {name}")
    given_dev = given_test = None
    if options.split_column:  # rows say where they belong: train, dev (or validation), test
        parts = _split_parts(frame, options.split_column, name)
        data, given_dev, given_test = (data.subset(parts[k]) if len(parts[k]) else None for k in ("train", "dev", "test"))
        if data is None:
            raise TrainingDataError(f"training data {name}: no row has {options.split_column} = train")
    elif Path(str(options.data)).is_dir():  # a datasets folder brings its own dev / test splits
        splits = dataset_splits(options.data)
        dev_name = next((n for n in ("validation", "dev") if n in splits), None)
        if dev_name and not options.dev:
            given_dev = TaskData.from_frame(read_table(options.data, dev_name), task, options.text, options.label,
                                            source=f"{name} split {dev_name}")
        if "test" in splits and not options.test:
            given_test = TaskData.from_frame(read_table(options.data, "test"), task, options.text, options.label,
                                             source=f"{name} split test")
    data.check_counts(options.min_examples, source=f"training data {name}")
    if options.dev or given_dev is not None:
        fit, dev = data, (read(options.dev, "dev data") if options.dev else given_dev)
        dev_source = (f"given file `{options.dev}`" if options.dev else f"rows with {options.split_column} = dev"
                      if options.split_column else "the datasets folder's own dev split")
    else:
        fit_rows, dev_rows = split_dev(data, options.dev_fraction, options.seed)
        fit, dev = data.subset(fit_rows), data.subset(dev_rows)
        dev_source = f"stratified {options.dev_fraction:.0%} split of the training rows (seed {options.seed})"
    test = read(options.test, "test data") if options.test else given_test
    log(f"task {task.name} ({task.kind}, {len(task.labels)} labels): {len(fit):,} fit / {len(dev):,} dev rows"
        + (f" / {len(test):,} test rows" if test else ""))

    pre = preprocessor or Preprocessor()
    fit_units, dev_units = _units(fit.texts, pre, "fit", progress), _units(dev.texts, pre, "dev", progress)
    backend = backend_cls()
    backend.fit(fit_units, fit.Y, dev_units, dev.Y, task, options, log)

    thresholds: dict[str, dict[str, float]] = {}
    main_profile = backend.profile
    dev_proba: dict[str, np.ndarray] = {}
    for profile in backend.profiles():
        backend.profile = profile
        dev_proba[profile] = backend.predict_proba(dev_units)
        if task.kind == "multilabel" and len(dev):
            tuned = tune_thresholds(dev_proba[profile], dev.Y)
            thresholds[profile] = {l: t for l, t in zip(task.labels, tuned) if t is not None}
    backend.profile = main_profile

    def measure(Y: np.ndarray, proba: np.ndarray) -> Report:
        t = np.array([thresholds.get(main_profile, {}).get(l, 0.5) for l in task.labels], dtype=np.float32)
        return evaluate(Y, decide(proba, task.kind, t), task.labels, task.kind)

    reports = {"dev": measure(dev.Y, dev_proba[main_profile])}
    if test is not None:
        reports["test"] = measure(test.Y, backend.predict_proba(_units(test.texts, pre, "test", progress)))
    for name, report in reports.items():
        log(f"{name} ({main_profile} profile):\n{report.to_markdown()}")

    out = Path(options.output)
    out.mkdir(parents=True, exist_ok=True)
    described = backend.save(out)
    seconds = time.perf_counter() - t0
    spec = {
        "format_version": FORMAT_VERSION,
        "backend": backend.name,
        "task": task.to_dict(),
        "thresholds": thresholds,
        "meta": {
            "options": options.to_dict(),
            "date": dt.date.today().isoformat(),
            "train_seconds": round(seconds, 1),
            "data_hash": data.digest(),
            "dev_source": dev_source,
            "n_fit": len(fit), "n_dev": len(dev), "n_test": len(test) if test else 0,
            "label_counts": {"fit": fit.label_counts(), "dev": dev.label_counts()},
            "metrics": {name: r.to_dict() for name, r in reports.items()},
            "backend": described,
            "versions": versions(backend.name),
        },
    }
    (out / TASK_FILE).write_text(json.dumps(spec, ensure_ascii=False, indent=2), encoding="utf-8")
    write_card(out, spec, reports)
    log(f"saved {out} in {seconds:.0f}s")
    return TrainResult(out, reports, seconds, spec)
