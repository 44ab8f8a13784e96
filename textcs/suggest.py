"""Active learning: the comments a model is least sure of, spread across different wordings.

Uncertainty per comment, in [0, 1]:

- single-label: ``1 - (p_first - p_second)``, one minus the margin between the two most probable labels;
- multi-label: for the label closest to its decision threshold ``t``, ``1 - |p - t| / max(t, 1 - t)``
  (1 on the threshold, 0 at certainty).

Diversity: among the ``pool_factor * n`` most uncertain distinct comments, picks go greedily to the
highest ``uncertainty - diversity * (cosine similarity to the closest pick so far)`` over character
n-gram TF-IDF, so near-duplicates do not fill the batch. Ties go to the earlier row; the result is
deterministic.

>>> import numpy as np
>>> uncertainty(np.array([[0.5, 0.5, 0.0], [0.9, 0.1, 0.0]]), "multiclass").tolist()
[1.0, 0.2]
>>> uncertainty(np.array([[0.5, 0.99]]), "multilabel", np.array([0.5, 0.5])).tolist()
[1.0]
"""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np
import pandas as pd

__all__ = ["suggest", "uncertainty", "model_probabilities"]


def uncertainty(proba: np.ndarray, kind: str, thresholds: np.ndarray | None = None) -> np.ndarray:
    """Per-row uncertainty (see the module docstring); NaN rows stay NaN."""
    proba = np.asarray(proba, dtype=np.float64)
    if kind == "multiclass":
        top = -np.sort(-proba, axis=1)
        second = top[:, 1] if proba.shape[1] > 1 else 1 - top[:, 0]
        return np.round(1.0 - (top[:, 0] - second), 6)
    t = np.full(proba.shape[1], 0.5) if thresholds is None else np.asarray(thresholds, dtype=np.float64)
    closeness = 1.0 - np.abs(proba - t) / np.maximum(t, 1 - t)
    return np.round(closeness.max(axis=1), 6)


def model_probabilities(model: Any, texts: Sequence[Any], task: str | None = None):
    """``(proba, labels, kind, thresholds)`` per comment for a trained task model (``textcs.load`` of a
    ``textcs train`` directory) or for one task (``polarity``, ``servqual``, ``failures``) of the
    shipped analyzer. Rows that cannot be analysed are NaN."""
    from .training import TaskModel

    if isinstance(model, TaskModel):
        return model.predict_proba(texts), list(model.labels), model.task.kind, model.thresholds()
    task = task or "polarity"
    attr = {"polarity": "polarity_proba", "servqual": "servqual_proba", "failures": "failures_proba"}
    if task not in attr:
        raise ValueError(f"task {task!r}: the shipped model offers {sorted(attr)} here")
    spec = model.model.tasks[task]
    results = model.analyze(texts)
    proba = np.array([[getattr(r, attr[task]).get(l, np.nan) for l in spec.labels] for r in results], dtype=np.float64)
    return proba, list(spec.labels), spec.kind, model.model.thresholds(task, model.profile)


def suggest(model: Any, frame: pd.DataFrame, n: int = 200, text: str = "text", task: str | None = None,
            diversity: float = 0.5, pool_factor: int = 4, label_column: str = "labels") -> pd.DataFrame:
    """The ``n`` rows of ``frame`` to label next, most useful first.

    Returns those rows (all their columns, original index) plus ``uncertainty``, ``predicted``
    (';'-joined decided labels), ``p_<label>``, and an empty ``label_column`` to fill in and give back
    to ``textcs train``.
    """
    from sklearn.feature_extraction.text import TfidfVectorizer

    if text not in frame.columns:
        raise KeyError(f"column {text!r} not in the frame (columns: {list(frame.columns)})")
    texts = frame[text].tolist()
    proba, labels, kind, thresholds = model_probabilities(model, texts, task)
    u = uncertainty(proba, kind, thresholds)
    live = np.flatnonzero(~np.isnan(u))
    order = live[np.argsort(-u[live], kind="stable")]
    seen, pool = set(), []
    for i in order:  # distinct texts only, most uncertain first
        key = " ".join(str(texts[i]).split()).lower()
        if key not in seen:
            seen.add(key)
            pool.append(i)
        if len(pool) >= max(n * pool_factor, n):
            break
    picked: list[int] = []
    if pool:
        vectors = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True).fit_transform(
            [str(texts[i]) for i in pool])
        sim_to_picked = np.zeros(len(pool))
        available = np.ones(len(pool), dtype=bool)
        for _ in range(min(n, len(pool))):
            score = np.where(available, u[pool] - diversity * sim_to_picked, -np.inf)
            k = int(np.argmax(score))
            picked.append(k)
            available[k] = False
            sim_to_picked = np.maximum(sim_to_picked, (vectors @ vectors[k].T).toarray().ravel())
    rows = [pool[k] for k in picked]
    out = frame.iloc[rows].copy()
    out["uncertainty"] = u[rows]
    if kind == "multiclass":
        decided = [labels[int(np.argmax(p))] for p in proba[rows]]
    else:
        decided = [";".join(l for l, p, t in zip(labels, row, thresholds) if p >= t) for row in proba[rows]]
    out["predicted"] = decided
    for j, l in enumerate(labels):
        out[f"p_{l}"] = np.round(proba[rows, j], 4)
    out[label_column] = ""
    return out
