"""A trained task model, as ``textcs.load(path)`` returns it for a ``textcs train`` directory.

It works like :class:`~textcs.classify.analyzer.Analyzer` for its one task: ``analyze`` gives a
:class:`TaskResult` per comment (every input, in order, with a status), ``analyze_frame`` gives
``(comments, sentences)`` frames with the caller's columns plus:

- comments: ``status``, ``reason``, ``language``, ``labels`` (decided labels, ';'-joined; one
  label for a single-label task), ``p_<label>`` per label, ``n_sentences``;
- sentences: ``comment``, ``sentence``, ``start``, ``end``, ``text``, ``labels``, ``p_<label>``.

A comment's labels come from the whole comment. Each sentence is classified too, and ``evidence``
names the sentences that carry each decided label on their own.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Sequence

import numpy as np
import pandas as pd

from ..errors import ResourceError
from ..features import Unit
from ..preprocess import Preprocessor, Record
from .backend import get_backend
from .data import TaskDef

__all__ = ["TaskModel", "TaskResult", "TaskSentence", "TASK_FILE", "is_task_model"]

TASK_FILE = "task.json"
FORMAT_VERSION = 1


def is_task_model(path: str | Path | None) -> bool:
    """True when ``path`` is a directory written by ``textcs train``."""
    return path is not None and (Path(path) / TASK_FILE).is_file()


@dataclass(frozen=True)
class TaskSentence:
    start: int
    end: int
    text: str
    labels: tuple[str, ...]
    proba: dict[str, float]


@dataclass(frozen=True)
class TaskResult:
    """One comment: decided ``labels``, ``proba`` per label, its sentences and label evidence."""

    index: int
    status: str
    reason: str
    language: str
    labels: tuple[str, ...] = ()
    proba: dict[str, float] = field(default_factory=dict)
    sentences: tuple[TaskSentence, ...] = ()
    evidence: dict[str, tuple[int, ...]] = field(default_factory=dict)


def decide(proba: np.ndarray, kind: str, thresholds: np.ndarray) -> np.ndarray:
    """0/1 decisions: the most probable label (multiclass) or every label over its threshold."""
    if kind == "multiclass":
        out = np.zeros_like(proba, dtype=np.int8)
        if len(proba):
            out[np.arange(len(proba)), proba.argmax(1)] = 1
        return out
    return (proba >= thresholds[None, :]).astype(np.int8)


def unit_of(record: Record) -> Unit:
    """The whole comment as one unit (its normalised text and every token)."""
    return Unit.of(record.text, [t for s in record.sentences for t in s.tokens])


class TaskModel:
    """Predictions for one trained task. Build with :meth:`from_pretrained` (or ``textcs.load``)."""

    def __init__(self, task: TaskDef, backend, thresholds: dict[str, dict[str, float]], meta: dict | None = None,
                 preprocessor: Preprocessor | None = None):
        self.task, self.backend, self.meta = task, backend, meta or {}
        self._thresholds = thresholds
        self.preprocessor = preprocessor or Preprocessor()

    @property
    def labels(self) -> list[str]:
        return self.task.labels

    @property
    def profile(self) -> str:
        return self.backend.profile

    def thresholds(self) -> np.ndarray:
        """Per-label decision thresholds of the current profile (0.5 where dev could not tune one).
        A profile that was not tuned itself (``onnx``: the same network) uses the ``default`` ones."""
        own = self._thresholds.get(self.profile) or self._thresholds.get("default", {})
        return np.array([own.get(l, 0.5) for l in self.labels], dtype=np.float32)

    @classmethod
    def from_pretrained(cls, path: str | Path, profile: str = "default", preprocessor: Preprocessor | None = None,
                        **options: Any) -> "TaskModel":
        folder = Path(path)
        if not is_task_model(folder):
            raise ResourceError(f"not a textcs task model directory (no {TASK_FILE}): {folder}")
        spec = json.loads((folder / TASK_FILE).read_text(encoding="utf-8"))
        if spec.get("format_version") != FORMAT_VERSION:
            raise ResourceError(f"{folder / TASK_FILE}: format_version {spec.get('format_version')} not supported")
        task = TaskDef(spec["task"]["name"], spec["task"]["kind"], spec["task"]["labels"])
        backend = get_backend(spec["backend"]).load(folder, task, profile=profile, **options)
        return cls(task, backend, spec.get("thresholds", {}), spec.get("meta", {}), preprocessor)

    # -- predictions
    def predict_proba(self, texts: Iterable[Any]) -> np.ndarray:
        """``(n, n_labels)`` probabilities per comment; rows that cannot be analysed are NaN."""
        records = self.preprocessor(texts)
        ok = [i for i, r in enumerate(records) if r.ok and r.sentences]
        out = np.full((len(records), len(self.labels)), np.nan, dtype=np.float32)
        if ok:
            out[ok] = self.backend.predict_proba([unit_of(records[i]) for i in ok])
        return out

    def analyze(self, texts: Iterable[Any], touchpoints: Sequence[Any] | None = None) -> list[TaskResult]:
        """One :class:`TaskResult` per input, in order (``touchpoints`` is accepted for symmetry with
        the analyzer and not used)."""
        records = self.preprocessor(texts)
        units: list[Unit] = []
        spans = []
        for r in records:
            if not r.ok or not r.sentences:
                spans.append(None)
                continue
            first = len(units)
            units.append(unit_of(r))
            if len(r.sentences) > 1:
                units.extend(Unit.of(s.text, s.tokens) for s in r.sentences)
            spans.append(first)
        proba = self.backend.predict_proba(units) if units else np.zeros((0, len(self.labels)))
        decided = decide(proba, self.task.kind, self.thresholds())
        results = []
        for r, first in zip(records, spans):
            if first is None:
                reason = r.reason or ("no sentence to analyze" if r.ok else "")
                results.append(TaskResult(r.index, r.status, reason, r.language))
                continue
            rows = [first] if len(r.sentences) == 1 else list(range(first + 1, first + 1 + len(r.sentences)))
            sentences = tuple(
                TaskSentence(s.start, s.end, s.text, self._names(decided[row]), self._proba(proba[row]))
                for s, row in zip(r.sentences, rows)
            )
            labels = self._names(decided[first])
            evidence = {l: tuple(k for k, s in enumerate(sentences) if l in s.labels) for l in labels}
            results.append(TaskResult(r.index, r.status, r.reason, r.language, labels, self._proba(proba[first]),
                                      sentences, {l: e for l, e in evidence.items() if e}))
        return results

    def _names(self, row: np.ndarray) -> tuple[str, ...]:
        return tuple(l for l, d in zip(self.labels, row) if d)

    def _proba(self, row: np.ndarray) -> dict[str, float]:
        return {l: round(float(p), 4) for l, p in zip(self.labels, row)}

    # -- frames
    def analyze_frame(self, df: pd.DataFrame, text: str = "text", touchpoint: str | None = None,
                      id: str | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
        """``(comments, sentences)`` frames (columns in the module docstring); ``df``'s columns and
        index are kept, and ``df[id]`` is copied to the sentence rows when named."""
        if text not in df.columns:
            raise KeyError(f"column {text!r} not in the frame (columns: {list(df.columns)})")
        comments, sentences = self.to_frames(self.analyze(df[text].tolist()))
        comments.index = df.index
        comments = pd.concat([df, comments], axis=1)
        if id is not None:
            sentences.insert(0, id, df[id].to_numpy()[sentences["comment"].to_numpy()] if len(sentences) else [])
        return comments, sentences

    def to_frames(self, results: Sequence[TaskResult]) -> tuple[pd.DataFrame, pd.DataFrame]:
        p_cols = [f"p_{l}" for l in self.labels]
        crow, srow = [], []
        for pos, r in enumerate(results):
            # Batch jobs hand in their own placeholder results (error / invalid rows) without labels.
            labels, proba = getattr(r, "labels", ()), getattr(r, "proba", {})
            crow.append({"status": r.status, "reason": r.reason, "language": r.language, "labels": ";".join(labels),
                         **{c: proba.get(l, np.nan) for c, l in zip(p_cols, self.labels)},
                         "n_sentences": len(r.sentences)})
            for k, s in enumerate(r.sentences):
                srow.append({"comment": pos, "sentence": k, "start": s.start, "end": s.end, "text": s.text,
                             "labels": ";".join(s.labels), **{c: s.proba[l] for c, l in zip(p_cols, self.labels)}})
        ccols = ["status", "reason", "language", "labels", *p_cols, "n_sentences"]
        scols = ["comment", "sentence", "start", "end", "text", "labels", *p_cols]
        return pd.DataFrame(crow, columns=ccols), pd.DataFrame(srow, columns=scols)
