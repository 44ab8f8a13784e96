"""Linear heads over sentence features: fitted with scikit-learn, stored and applied as plain arrays.

A head keeps only ``coef`` (labels x features), ``intercept`` and its label names, so a model file is
numbers plus JSON: nothing is unpickled at load time. Each head has the scikit-learn estimator shape
(``fit`` / ``predict_proba``).

>>> import numpy as np
>>> X = np.array([[0., 1.], [1., 0.], [0., 1.], [1., 0.]])
>>> head = LinearHead("multiclass", ["neg", "pos"]).fit(X, ["pos", "neg", "pos", "neg"])
>>> head.predict_proba(np.array([[0., 1.]])).argmax(1)
array([1])
"""

from __future__ import annotations

from typing import Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.linear_model import LogisticRegression

__all__ = ["LinearHead", "tune_thresholds"]


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))


def _softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


class LinearHead:
    """Logistic-regression head.

    ``kind`` is ``multiclass`` (softmax over ``labels``, ``y`` is one label per row) or ``multilabel``
    (an independent sigmoid per label, ``y`` is a 0/1 matrix with one column per label, -1 where a
    row's source does not know the label; a binary task is a multilabel head with one label).
    """

    def __init__(self, kind: str, labels: Sequence[str], C: float = 4.0, class_weight: str | None = "balanced",
                 max_iter: int = 2000, seed: int = 0):
        if kind not in ("multiclass", "multilabel"):
            raise ValueError(f"kind must be multiclass or multilabel, not {kind!r}")
        self.kind, self.labels = kind, list(labels)
        self.C, self.class_weight, self.max_iter, self.seed = C, class_weight, max_iter, seed
        self.coef: np.ndarray | None = None
        self.intercept: np.ndarray | None = None

    def _lr(self) -> LogisticRegression:
        return LogisticRegression(C=self.C, class_weight=self.class_weight, max_iter=self.max_iter,
                                  random_state=self.seed, solver="lbfgs")

    def fit(self, X, y, sample_weight: np.ndarray | None = None) -> "LinearHead":
        n_features = X.shape[1]
        if self.kind == "multiclass":
            y = np.asarray(y)
            present = [l for l in self.labels if (y == l).any()]
            lr = self._lr().fit(X, y, sample_weight=sample_weight)
            coef = np.zeros((len(self.labels), n_features), dtype=np.float32)
            intercept = np.full(len(self.labels), -30.0, dtype=np.float32)  # absent classes never win
            for row, cls in enumerate(lr.classes_):
                i = self.labels.index(cls)
                if len(lr.classes_) == 2:  # scikit-learn stores one row for two classes
                    sign = 1.0 if row == 1 else -1.0
                    coef[i] = sign * lr.coef_[0] / 2
                    intercept[i] = sign * lr.intercept_[0] / 2
                else:
                    coef[i], intercept[i] = lr.coef_[row], lr.intercept_[row]
            if len(present) < 2:
                raise ValueError(f"multiclass head needs at least two classes in y, got {present}")
        else:
            Y = np.asarray(y, dtype=np.int8)
            if Y.ndim == 1:
                Y = Y[:, None]
            coef = np.zeros((len(self.labels), n_features), dtype=np.float32)
            intercept = np.zeros(len(self.labels), dtype=np.float32)
            for j in range(len(self.labels)):
                known = Y[:, j] >= 0  # -1 marks rows whose source does not know this label
                y_j = Y[known, j]
                if not len(y_j) or y_j.min() == y_j.max():  # never (or always) present: constant output
                    intercept[j] = 30.0 if len(y_j) and y_j[0] else -30.0
                    continue
                lr = self._lr().fit(X[known], y_j, sample_weight=None if sample_weight is None else sample_weight[known])
                coef[j], intercept[j] = lr.coef_[0], lr.intercept_[0]
        self.coef, self.intercept = coef, intercept
        return self

    def decision_function(self, X) -> np.ndarray:
        if self.coef is None:
            raise RuntimeError("head is not fitted")
        z = X @ self.coef.T
        return np.asarray(z.toarray() if sp.issparse(z) else z) + self.intercept

    def predict_proba(self, X) -> np.ndarray:
        z = self.decision_function(X)
        return _softmax(z) if self.kind == "multiclass" else _sigmoid(z)

    # -- arrays in, arrays out
    def to_arrays(self, prefix: str) -> dict[str, np.ndarray]:
        return {f"{prefix}.coef": self.coef, f"{prefix}.intercept": self.intercept}

    def to_config(self) -> dict:
        return {"kind": self.kind, "labels": self.labels, "C": self.C}

    @classmethod
    def from_arrays(cls, config: dict, arrays, prefix: str) -> "LinearHead":
        head = cls(config["kind"], config["labels"], C=config.get("C", 4.0))
        head.coef = np.asarray(arrays[f"{prefix}.coef"], dtype=np.float32)
        head.intercept = np.asarray(arrays[f"{prefix}.intercept"], dtype=np.float32)
        return head


def tune_thresholds(proba: np.ndarray, Y: np.ndarray, min_positives: int = 1,
                    grid: Sequence[float] = tuple(np.round(np.arange(0.1, 0.91, 0.05), 2))) -> list[float | None]:
    """Per label, the threshold on dev data that maximises F1, over the rows that know the label
    (``-1`` rows are skipped); ``None`` where fewer than ``min_positives`` rows carry it."""
    out: list[float | None] = []
    for j in range(Y.shape[1]):
        known = Y[:, j] >= 0
        y = Y[known, j] == 1
        if y.sum() < max(min_positives, 1):
            out.append(None)
            continue
        best, best_t = -1.0, 0.5
        for t in grid:
            p = proba[known, j] >= t
            tp = (p & y).sum()
            f1 = 2 * tp / max(p.sum() + y.sum(), 1)
            if f1 > best + 1e-9:
                best, best_t = f1, float(round(t, 2))
        out.append(best_t)
    return out
