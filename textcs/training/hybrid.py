"""The hybrid backend: the shipped model's recipe for one task.

Features are those of :class:`~textcs.classify.model.TextcsModel` (the sentence encoder next to
lemma and character TF-IDF; the ``fast`` profile uses TF-IDF only) and the head is a
:class:`~textcs.classify.heads.LinearHead` (class-balanced logistic regression). The directory holds
the same files as the shipped model (``config.json``, ``heads.npz``, ``lexical.json``,
``lexical_idf.npz``): JSON and npz, nothing pickled.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any, Callable, Sequence

import numpy as np

from ..classify.heads import LinearHead
from ..classify.model import PROFILES, TaskSpec, TextcsModel
from ..features import LexicalFeaturizer, Unit
from .data import TaskDef

__all__ = ["HybridBackend"]


class HybridBackend:
    name = "hybrid"

    def __init__(self, model: TextcsModel | None = None, task: str = "", profile: str = "default"):
        self.model, self.task, self.profile = model, task, profile

    def profiles(self) -> list[str]:
        return self.model.profiles() if self.model else []

    def fit(self, train: Sequence[Unit], Y_train: np.ndarray, dev: Sequence[Unit], Y_dev: np.ndarray,
            task: TaskDef, options: Any, log: Callable[[str], None] = print) -> None:
        lexical = LexicalFeaturizer().fit(list(train))
        spec = TaskSpec(task.name, task.kind, list(task.labels))
        self.model = TextcsModel({task.name: spec}, lexical, options.encoder, meta={"seed": options.seed})
        self.task = task.name
        y = [task.labels[i] for i in Y_train.argmax(1)] if task.kind == "multiclass" else Y_train
        for profile in PROFILES:
            if profile == "default" and not options.encoder:
                continue
            t0 = time.perf_counter()
            X = self.model.features(list(train), profile)
            head = LinearHead(task.kind, task.labels, C=options.C, seed=options.seed).fit(X, y)
            self.model.heads[profile][task.name] = head
            log(f"[hybrid/{profile}] {X.shape[0]:,} rows x {X.shape[1]:,} features, fitted in {time.perf_counter() - t0:.0f}s")
        self.profile = "default" if options.encoder else "fast"

    def predict_proba(self, units: Sequence[Unit]) -> np.ndarray:
        if not len(units):
            return np.zeros((0, len(self.model.tasks[self.task].labels)), dtype=np.float32)
        X = self.model.features(list(units), self.profile)
        return self.model.heads[self.profile][self.task].predict_proba(X)

    def save(self, folder: Path) -> dict:
        self.model.save(folder)
        return {"encoder": self.model.encoder_spec or "none (lexical only)", "profiles": self.profiles(),
                "lexical_features": self.model.lexical.n_features,
                "head": "class-balanced logistic regression (LinearHead)"}

    @classmethod
    def load(cls, folder: Path, task: TaskDef, profile: str = "default", **_: Any) -> "HybridBackend":
        model = TextcsModel.from_pretrained(folder)
        if profile not in model.profiles():
            # A lexical-only model has just the fast profile; asking for "default" gets it.
            if profile == "default" and model.profiles() == ["fast"]:
                profile = "fast"
            else:
                raise ValueError(f"profile {profile!r} not in this model ({model.profiles()})")
        return cls(model, task.name, profile)
