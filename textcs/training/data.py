"""Training data: read a table, resolve the task's label set, validate, split.

A training table has a text column and a label column. Multi-label cells hold labels joined by
``;`` (or a list, in JSONL / Parquet / ``datasets``); an empty cell means "none of the labels".
Single-label (multiclass) cells hold exactly one label.

>>> task = resolve_task("custom", labels=["food", "staff", "price"], multi_label=True)
>>> data = TaskData.from_frame(pd.DataFrame({"text": ["Rude waiter", "Cheap and tasty", "ok"],
...                                          "labels": ["staff", "price;food", ""]}), task)
>>> data.Y.tolist()
[[0, 1, 0], [1, 0, 1], [0, 0, 0]]
>>> resolve_task("sentiment").labels
['negative', 'neutral', 'positive']
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

import numpy as np
import pandas as pd

from ..errors import TextcsError
from ..taxonomy import load_catalog, load_taxonomy

__all__ = ["TaskDef", "TaskData", "TrainingDataError", "resolve_task", "read_table", "split_dev", "dataset_splits", "TASK_ALIASES"]

# Issue wording -> taxonomy task. Every other taxonomy task (servqual, failures, recovery, delight)
# is used by its own name; "touchpoints" takes its labels from an industry catalog.
TASK_ALIASES = {"sentiment": "polarity"}
MAX_ROWS_SHOWN = 10


class TrainingDataError(TextcsError, ValueError):
    """The training data does not fit the task: unknown labels, empty texts, too few examples."""


@dataclass
class TaskDef:
    """What is learnt: a name, ``multiclass`` or ``multilabel``, and the label set (fixed order)."""

    name: str
    kind: str
    labels: list[str]
    closed: bool = True  # labels come from a taxonomy / catalog / the user: unknown labels are errors

    def to_dict(self) -> dict:
        return {"name": self.name, "kind": self.kind, "labels": self.labels}


def resolve_task(task: str, labels: Sequence[str] | None = None, multi_label: bool | None = None,
                 industry: str | None = None, taxonomy: str | Path | None = None) -> TaskDef:
    """The label set of ``task``: a taxonomy task (``sentiment``/``polarity``, ``servqual``,
    ``failures``, ``recovery``, ``delight``), ``touchpoints`` (the ``industry`` catalog's ids), or
    ``custom`` with ``labels`` (or the labels found in the data when ``labels`` is ``None``)."""
    if task == "custom":
        kind = "multilabel" if multi_label else "multiclass"
        return TaskDef("custom", kind, list(labels or []), closed=bool(labels))
    if task == "touchpoints":
        if not industry:
            raise TrainingDataError("task 'touchpoints' needs an industry (catalog name or YAML file)")
        return TaskDef("touchpoints", "multilabel", [t.id for t in load_catalog(industry)])
    tax = load_taxonomy(taxonomy)
    name = TASK_ALIASES.get(task, task)
    if name not in tax.tasks:
        raise TrainingDataError(f"unknown task {task!r}; use custom, touchpoints, sentiment or one of {sorted(tax.tasks)}")
    kind = tax.kind(name)
    task_labels = list(tax.labels(name))
    if labels:  # a subset of the taxonomy's labels, still checked against it
        unknown = sorted(set(labels) - set(task_labels))
        if unknown:
            raise TrainingDataError(f"labels {unknown} are not in task {name!r} ({task_labels})")
        task_labels = [l for l in task_labels if l in set(labels)]
    # A binary task (delight) is one sigmoid: a multilabel task with one label.
    return TaskDef(name, "multilabel" if kind == "binary" else kind, task_labels)


def read_table(source: Any, split: str | None = None) -> pd.DataFrame:
    """CSV / TSV / JSONL / Parquet (gzip too) by extension, a ``datasets`` folder saved with
    ``save_to_disk`` (``split`` picks one split of a DatasetDict, default ``train``), or a
    ``datasets.Dataset`` / DataFrame object."""
    if isinstance(source, pd.DataFrame):
        return source.reset_index(drop=True)
    if hasattr(source, "to_pandas"):  # datasets.Dataset
        return source.to_pandas()
    path = Path(source)
    if path.is_dir():
        try:
            import datasets
        except ImportError:  # pragma: no cover - depends on the install
            raise TrainingDataError(f"{path} is a folder: reading a datasets folder needs `pip install datasets`") from None
        loaded = datasets.load_from_disk(str(path))
        if isinstance(loaded, datasets.DatasetDict):
            name = split or "train"
            if name not in loaded:
                raise TrainingDataError(f"{path} has splits {list(loaded)}, not {name!r}")
            loaded = loaded[name]
        return loaded.to_pandas()
    if not path.exists():
        raise TrainingDataError(f"training data not found: {path}")
    suffixes = [s.lower() for s in path.suffixes if s.lower() != ".gz"]
    fmt = suffixes[-1] if suffixes else ""
    readers = {
        ".csv": lambda p: pd.read_csv(p, dtype=str, keep_default_na=False, na_values=[""]),
        ".tsv": lambda p: pd.read_csv(p, sep="\t", dtype=str, keep_default_na=False, na_values=[""]),
        ".jsonl": lambda p: pd.read_json(p, lines=True, dtype=False),
        ".parquet": pd.read_parquet,
    }
    if fmt not in readers:
        raise TrainingDataError(f"unknown training data format {path.name!r}; use {', '.join(readers)} or a datasets folder")
    try:
        return readers[fmt](path)
    except (ValueError, OSError, UnicodeDecodeError) as exc:
        raise TrainingDataError(f"cannot read {path}: {exc}") from exc


def dataset_splits(path: str | Path) -> list[str]:
    """Split names of a ``datasets`` folder (``["train"]`` for a single Dataset)."""
    import datasets

    loaded = datasets.load_from_disk(str(path))
    return list(loaded) if isinstance(loaded, datasets.DatasetDict) else ["train"]


def _rows(positions: Sequence[int]) -> str:
    shown = ", ".join(str(p + 1) for p in positions[:MAX_ROWS_SHOWN])
    more = f" and {len(positions) - MAX_ROWS_SHOWN} more" if len(positions) > MAX_ROWS_SHOWN else ""
    return f"{shown}{more}"


def _cell_labels(cell: Any) -> list[str]:
    if cell is None or (isinstance(cell, float) and math.isnan(cell)):
        return []
    if isinstance(cell, (list, tuple, np.ndarray)):
        return [str(c).strip() for c in cell if str(c).strip()]
    return [p.strip() for p in str(cell).split(";") if p.strip()]


@dataclass
class TaskData:
    """Validated texts and targets: ``y`` holds label indices (multiclass) or ``Y`` a 0/1 matrix."""

    texts: list[str]
    Y: np.ndarray  # (n, n_labels) int8, one-hot for multiclass
    task: TaskDef

    @property
    def y(self) -> np.ndarray:
        """Label index per row (multiclass)."""
        return self.Y.argmax(1)

    def __len__(self) -> int:
        return len(self.texts)

    def subset(self, rows: np.ndarray) -> "TaskData":
        return TaskData([self.texts[i] for i in rows], self.Y[rows], self.task)

    def label_counts(self) -> dict[str, int]:
        return {l: int(c) for l, c in zip(self.task.labels, self.Y.sum(0))}

    def digest(self) -> str:
        """SHA-256 of the texts and their labels, in order: the model card's data hash."""
        h = hashlib.sha256()
        h.update("\x1e".join(self.task.labels).encode("utf-8"))
        for text, row in zip(self.texts, self.Y):
            h.update(text.encode("utf-8", "surrogatepass") + b"\x1f" + row.tobytes() + b"\x1e")
        return h.hexdigest()

    @classmethod
    def from_frame(cls, frame: pd.DataFrame, task: TaskDef, text: str = "text", label: str = "labels",
                   source: str = "data") -> "TaskData":
        """Check every row against ``task`` and build the targets. Errors name the 1-based data
        rows (the header is not counted) and stop training; nothing is dropped silently.

        For an open ``custom`` task (no label list given) the label set becomes the labels seen,
        sorted, and ``task`` is updated in place.
        """
        for col in (text, label):
            if col not in frame.columns:
                raise TrainingDataError(f"{source}: column {col!r} not found (columns: {', '.join(map(str, frame.columns))})")
        texts = frame[text].tolist()
        empty = [i for i, t in enumerate(texts) if not isinstance(t, str) or not t.strip()]
        if empty:
            raise TrainingDataError(f"{source}: empty or missing text in {len(empty)} rows: {_rows(empty)}")
        cells = [_cell_labels(c) for c in frame[label].tolist()]
        if not task.closed:
            task.labels = sorted({l for c in cells for l in c})
            task.closed = True
        index = {l: j for j, l in enumerate(task.labels)}
        unknown: dict[str, list[int]] = {}
        for i, c in enumerate(cells):
            for l in c:
                if l not in index:
                    unknown.setdefault(l, []).append(i)
        if unknown:
            parts = "; ".join(f"{l!r} in rows {_rows(rows)}" for l, rows in sorted(unknown.items()))
            raise TrainingDataError(f"{source}: labels not in task {task.name!r} ({', '.join(task.labels)}): {parts}")
        if task.kind == "multiclass":
            bad = [i for i, c in enumerate(cells) if len(c) != 1]
            if bad:
                raise TrainingDataError(f"{source}: task {task.name!r} is single-label; rows {_rows(bad)} have "
                                        f"{'no' if not cells[bad[0]] else 'several'} labels (use --multi-label for a multi-label task)")
        Y = np.zeros((len(texts), len(task.labels)), dtype=np.int8)
        for i, c in enumerate(cells):
            for l in c:
                Y[i, index[l]] = 1
        return cls([str(t) for t in texts], Y, task)

    def check_counts(self, min_examples: int, source: str = "data") -> None:
        """Every label needs ``min_examples`` rows (and, multi-label, ``min_examples`` rows without it)."""
        counts = self.label_counts()
        few = {l: c for l, c in counts.items() if c < min_examples}
        if few:
            raise TrainingDataError(f"{source}: too few examples (need {min_examples} per label): "
                                    + ", ".join(f"{l!r} has {c}" for l, c in few.items()))
        if self.task.kind == "multilabel":
            always = [l for l, c in counts.items() if len(self) - c < min_examples]
            if always:
                raise TrainingDataError(f"{source}: labels {always} are on almost every row; need {min_examples} rows without each")


def split_dev(data: TaskData, fraction: float = 0.2, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Stratified (fit rows, dev rows). Rows are grouped by their rarest label (multi-label; rows
    with no label form their own group) or by their label (multiclass); each group sends
    ``round(fraction * size)`` of its rows, at least one for groups of 3 or more, to dev.

    >>> task = TaskDef("t", "multiclass", ["a", "b"])
    >>> data = TaskData(["x"] * 10, np.eye(2, dtype=np.int8)[[0] * 6 + [1] * 4], task)
    >>> fit, dev = split_dev(data, 0.25)
    >>> sorted(data.y[dev].tolist())
    [0, 0, 1]
    """
    if not 0 < fraction < 1:
        raise ValueError(f"dev fraction must be between 0 and 1, not {fraction}")
    counts = data.Y.sum(0)
    rarity = np.where(data.Y == 1, counts[None, :], np.iinfo(np.int64).max)
    group = np.where(data.Y.any(1), rarity.argmin(1), -1)
    rng = np.random.default_rng(seed)
    dev: list[int] = []
    for g in np.unique(group):
        members = np.flatnonzero(group == g)
        rng.shuffle(members)
        take = int(round(fraction * len(members)))
        if len(members) >= 3:
            take = min(max(take, 1), len(members) - 1)
        else:
            take = 0
        dev.extend(members[:take].tolist())
    dev_mask = np.zeros(len(data), dtype=bool)
    dev_mask[dev] = True
    return np.flatnonzero(~dev_mask), np.flatnonzero(dev_mask)
