"""The training backends behind one small interface, found by name in :data:`BACKENDS`.

A backend learns label probabilities from :class:`~textcs.features.Unit` objects (a comment or a
sentence: normalised text plus tokens) and saves itself into a model directory. Threshold tuning,
metrics and the model card are the same for every backend (``textcs.training.train``).

>>> sorted(BACKENDS)
['hybrid', 'transformer']
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any, Callable, Protocol, Sequence

import numpy as np

from ..features import Unit
from .data import TaskDef

__all__ = ["Backend", "BACKENDS", "get_backend"]


class Backend(Protocol):
    name: str
    profile: str

    def fit(self, train: Sequence[Unit], Y_train: np.ndarray, dev: Sequence[Unit], Y_dev: np.ndarray,
            task: TaskDef, options: Any, log: Callable[[str], None]) -> None:
        """Learn from 0/1 targets (one column per label; one-hot for multiclass)."""

    def profiles(self) -> list[str]:
        """The prediction profiles this backend saved (``default``, and ``fast`` for hybrid)."""

    def predict_proba(self, units: Sequence[Unit]) -> np.ndarray:
        """``(len(units), n_labels)`` probabilities for the current ``profile``."""

    def save(self, folder: Path) -> dict:
        """Write the backend's files into ``folder``; returns a description for the model card."""


# name -> "module:Class", imported on first use so the hybrid path never imports torch.
BACKENDS: dict[str, str] = {
    "hybrid": "textcs.training.hybrid:HybridBackend",
    "transformer": "textcs.training.transformer:TransformerBackend",
}


def get_backend(name: str) -> type:
    """The backend class registered under ``name``."""
    try:
        module, _, cls = BACKENDS[name].partition(":")
    except KeyError:
        raise ValueError(f"unknown backend {name!r}; known: {sorted(BACKENDS)}") from None
    return getattr(importlib.import_module(module), cls)
