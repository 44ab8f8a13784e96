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
from .data import TaskData, TrainingDataError, read_table, resolve_task, split_dev
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


def train(options: TrainOptions, log: Callable[[str], None] = print, progress: bool | None = None) -> TrainResult:
    """Train the task described by ``options`` and write the model directory ``options.output``."""
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
    data = read(options.data, "training data")
    data.check_counts(options.min_examples, source=f"training data {Path(options.data).name}")
    if options.dev:
        fit, dev = data, read(options.dev, "dev data")
        dev_source = f"given file `{options.dev}`"
    else:
        fit_rows, dev_rows = split_dev(data, options.dev_fraction, options.seed)
        fit, dev = data.subset(fit_rows), data.subset(dev_rows)
        dev_source = f"stratified {options.dev_fraction:.0%} split of the training file (seed {options.seed})"
    test = read(options.test, "test data") if options.test else None
    log(f"task {task.name} ({task.kind}, {len(task.labels)} labels): {len(fit):,} fit / {len(dev):,} dev rows"
        + (f" / {len(test):,} test rows" if test else ""))

    pre = Preprocessor()
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
