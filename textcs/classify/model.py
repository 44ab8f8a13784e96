"""The trained model: shared sentence features, one linear head per task, tuned thresholds.

A model directory holds ``config.json`` (encoder, tasks, labels, thresholds, feature settings),
``heads.npz`` (every head's arrays, for each profile), ``lexical.json`` with ``lexical_idf.npz``
(the TF-IDF vocabulary), and ``MODEL_CARD.md``. Nothing in it is pickled.

Profiles: ``default`` uses the dense sentence encoder and lexical features together; ``fast`` uses
lexical features only (no encoder pass), for very large dumps.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

import numpy as np
import scipy.sparse as sp

from ..errors import ResourceError
from ..features import LexicalFeaturizer, Unit, get_encoder
from .heads import LinearHead

__all__ = ["TaskSpec", "TextcsModel", "PROFILES", "FORMAT_VERSION", "LANGUAGE_GROUP"]

PROFILES = ("default", "fast")
# Threshold groups: mixed Korean-English text is judged as Korean, other languages as English.
LANGUAGE_GROUP = {"ko": "ko", "mixed": "ko", "en": "en", "other": "en"}
FORMAT_VERSION = 1
# Weight of a language group's own head against the pooled head. The pooled head carries what one
# language's data teaches the other through the multilingual encoder; the language head, what is
# particular to that language's data. Chosen on the dev parts of the training data (docs/benchmarks.md).
LANGUAGE_MIX = 0.5


@dataclass
class TaskSpec:
    """One task: its kind (``multiclass`` or ``multilabel``), labels, and per-label thresholds."""

    name: str
    kind: str
    labels: list[str]
    # "profile" or "profile@ko" / "profile@en" -> label -> threshold
    thresholds: dict[str, dict[str, float]] = field(default_factory=dict)


class TextcsModel:
    """Features + heads. Build with :meth:`from_pretrained` or by training (``textcs.classify.train``)."""

    def __init__(self, tasks: dict[str, TaskSpec], lexical: LexicalFeaturizer, encoder_spec: str | None,
                 dense_weight: float = 1.0, meta: dict | None = None, language_mix: float = LANGUAGE_MIX):
        self.tasks = tasks
        self.lexical = lexical
        self.encoder_spec = encoder_spec
        self.dense_weight = dense_weight
        self.language_mix = language_mix
        self.heads: dict[str, dict[str, LinearHead]] = {p: {} for p in PROFILES}
        self.meta = meta or {}
        self._encoder = None

    @property
    def encoder(self):
        if self._encoder is None and self.encoder_spec:
            self._encoder = get_encoder(self.encoder_spec)
        return self._encoder

    def profiles(self) -> list[str]:
        return [p for p in PROFILES if self.heads.get(p)]

    def features(self, units: Sequence[Unit], profile: str = "default") -> sp.csr_matrix:
        """The feature matrix of ``units`` for ``profile``."""
        lex = self.lexical.transform(units)
        if profile == "fast" or not self.encoder_spec:
            return lex
        dense = self.encoder.encode([u.text for u in units]) * self.dense_weight
        return sp.hstack([sp.csr_matrix(dense), lex], format="csr")

    def predict_proba(self, X, profile: str = "default", groups: Sequence[str] | None = None) -> dict[str, np.ndarray]:
        """Task -> ``(rows, labels)`` probabilities. A task may have a head per language group
        (``"task@ko"``, ``"task@en"``); with ``groups`` (one group per row, see LANGUAGE_GROUP) those
        rows mix it with the pooled head (weight ``language_mix`` on the language head), and every
        other row uses the pooled head alone."""
        heads = self.heads.get(profile)
        if not heads:
            raise ValueError(f"model has no {profile!r} profile; it has {self.profiles()}")
        out = {task: head.predict_proba(X) for task, head in heads.items() if "@" not in task}
        if groups is not None:
            groups = np.asarray(groups)
            for key, head in heads.items():
                task, _, group = key.partition("@")
                rows = np.flatnonzero(groups == group) if group else []
                if len(rows):
                    mix = self.language_mix
                    out[task][rows] = (1 - mix) * out[task][rows] + mix * head.predict_proba(X[rows])
        return out

    def thresholds(self, task: str, profile: str, language: str | None = None) -> np.ndarray:
        """Per-label thresholds; those tuned on one language's dev rows win where they exist."""
        spec = self.tasks[task]
        pooled = spec.thresholds.get(profile, {})
        own = spec.thresholds.get(f"{profile}@{LANGUAGE_GROUP.get(language or '', '')}", {})
        return np.array([own.get(l, pooled.get(l, 0.5)) for l in spec.labels], dtype=np.float32)

    # -- files
    def save(self, folder: str | Path) -> Path:
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        arrays: dict[str, np.ndarray] = {}
        heads_cfg: dict[str, dict] = {}
        for profile, heads in self.heads.items():
            for task, head in heads.items():
                arrays.update(head.to_arrays(f"{profile}.{task}"))
                heads_cfg.setdefault(profile, {})[task] = head.to_config()
        np.savez_compressed(folder / "heads.npz", **arrays)
        self.lexical.save(folder)
        config = {
            "format_version": FORMAT_VERSION,
            "encoder": self.encoder_spec,
            "dense_weight": self.dense_weight,
            "language_mix": self.language_mix,
            "tasks": {n: {"kind": t.kind, "labels": t.labels, "thresholds": t.thresholds} for n, t in self.tasks.items()},
            "heads": heads_cfg,
            "meta": self.meta,
        }
        (folder / "config.json").write_text(json.dumps(config, ensure_ascii=False, indent=2), encoding="utf-8")
        return folder

    @classmethod
    def from_pretrained(cls, folder: str | Path) -> "TextcsModel":
        """Load a model directory written by :meth:`save` (no network, no pickle)."""
        folder = Path(folder)
        cfg_path = folder / "config.json"
        if not cfg_path.exists():
            raise ResourceError(f"not a textcs model directory (no config.json): {folder}")
        config = json.loads(cfg_path.read_text(encoding="utf-8"))
        if config.get("format_version") != FORMAT_VERSION:
            raise ResourceError(f"{cfg_path}: format_version {config.get('format_version')} not supported")
        tasks = {n: TaskSpec(n, t["kind"], t["labels"], t.get("thresholds", {})) for n, t in config["tasks"].items()}
        model = cls(tasks, LexicalFeaturizer.load(folder), config.get("encoder"), config.get("dense_weight", 1.0),
                    config.get("meta"), config.get("language_mix", LANGUAGE_MIX))
        with np.load(folder / "heads.npz", allow_pickle=False) as arrays:
            for profile, heads in config["heads"].items():
                for task, head_cfg in heads.items():
                    model.heads.setdefault(profile, {})[task] = LinearHead.from_arrays(head_cfg, arrays, f"{profile}.{task}")
        return model
