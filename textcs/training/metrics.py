"""Per-label precision, recall and F1, and a confusion table, for one task's predictions.

>>> import numpy as np
>>> Y = np.array([[1, 0], [0, 1], [1, 1]])
>>> P = np.array([[1, 0], [0, 0], [1, 1]])
>>> r = evaluate(Y, P, ["a", "b"], "multilabel")
>>> r.per_label["b"]
{'precision': 1.0, 'recall': 0.5, 'f1': 0.6667, 'support': 2}
>>> r.summary["macro_f1"]
0.8333
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.metrics import accuracy_score, confusion_matrix, f1_score, precision_recall_fscore_support

__all__ = ["Report", "evaluate"]


@dataclass
class Report:
    """``summary`` (macro/micro F1, accuracy or exact match), ``per_label`` and a ``confusion`` frame:
    true x predicted counts (multiclass) or TP/FP/FN/TN per label (multi-label)."""

    summary: dict[str, float]
    per_label: dict[str, dict[str, float]]
    confusion: pd.DataFrame

    def to_dict(self) -> dict:
        return {"summary": self.summary, "per_label": self.per_label,
                "confusion": {str(k): {str(c): int(v) for c, v in row.items()} for k, row in self.confusion.iterrows()}}

    def to_markdown(self) -> str:
        """Tables for a model card or the console."""
        lines = ["| label | precision | recall | F1 | support |", "|---|---|---|---|---|"]
        for label, m in self.per_label.items():
            lines.append(f"| {label} | {m['precision']:.3f} | {m['recall']:.3f} | {m['f1']:.3f} | {m['support']} |")
        summary = ", ".join(f"{k} {v:.3f}" for k, v in self.summary.items() if k != "n")
        conf = self.confusion
        head = "| " + " | ".join([conf.index.name or "", *map(str, conf.columns)]) + " |"
        rows = [f"| {idx} | " + " | ".join(str(int(v)) for v in row) + " |" for idx, row in conf.iterrows()]
        return "\n".join([f"n = {self.summary['n']}; {summary}", "", *lines, "", head,
                          "|" + "---|" * (len(conf.columns) + 1), *rows])


def evaluate(Y: np.ndarray, P: np.ndarray, labels: list[str], kind: str) -> Report:
    """Compare 0/1 matrices ``Y`` (truth) and ``P`` (decisions), one column per label."""
    Y, P = np.asarray(Y, dtype=int), np.asarray(P, dtype=int)
    if kind == "multiclass":
        y, p = Y.argmax(1), P.argmax(1)
        idx = list(range(len(labels)))
        prec, rec, f1, sup = precision_recall_fscore_support(y, p, labels=idx, zero_division=0)
        summary = {"macro_f1": f1_score(y, p, labels=idx, average="macro", zero_division=0),
                   "accuracy": accuracy_score(y, p)}
        conf = pd.DataFrame(confusion_matrix(y, p, labels=idx), index=pd.Index(labels, name="true \\ predicted"),
                            columns=labels)
    else:
        prec, rec, f1, sup = precision_recall_fscore_support(Y, P, zero_division=0)
        summary = {"macro_f1": f1_score(Y, P, average="macro", zero_division=0),
                   "micro_f1": f1_score(Y, P, average="micro", zero_division=0),
                   "exact_match": accuracy_score(Y, P)}
        tp = (Y & P).sum(0)
        fp = ((1 - Y) & P).sum(0)
        fn = (Y & (1 - P)).sum(0)
        conf = pd.DataFrame({"TP": tp, "FP": fp, "FN": fn, "TN": len(Y) - tp - fp - fn},
                            index=pd.Index(labels, name="label"))
    per_label = {l: {"precision": round(float(a), 4), "recall": round(float(b), 4), "f1": round(float(c), 4),
                     "support": int(d)} for l, a, b, c, d in zip(labels, prec, rec, f1, sup)}
    summary = {k: round(float(v), 4) for k, v in summary.items()}
    summary["n"] = int(len(Y))
    return Report(summary, per_label, conf)
