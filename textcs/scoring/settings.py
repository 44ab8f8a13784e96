"""Scoring defaults (``data/scoring.yaml``) as a typed, overridable settings object.

>>> s = ScoringSettings.default()
>>> s.prior_strength, s.confidence, s.alpha, s.min_n
(10, 0.95, 0.05, 20)
>>> s.replace(prior_strength=0).prior_strength
0
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ..errors import ResourceError
from ..resources import data_path

__all__ = ["ScoringSettings"]


@dataclass(frozen=True)
class ScoringSettings:
    """See ``data/scoring.yaml`` for what each field means."""

    prior_strength: float | str = 10
    confidence: float = 0.95
    alpha: float = 0.05
    min_n: int = 20
    no_touchpoint: str = "(none)"
    missing_value: str = "(missing)"
    scored_statuses: tuple[str, ...] = ("ok", "truncated")
    driver_method: str = "shapley"
    max_shapley: int = 14

    def __post_init__(self) -> None:
        if not 0 < self.confidence < 1:
            raise ValueError(f"confidence must be in (0, 1), got {self.confidence}")
        if not 0 < self.alpha < 1:
            raise ValueError(f"alpha must be in (0, 1), got {self.alpha}")
        if self.prior_strength != "auto" and float(self.prior_strength) < 0:
            raise ValueError(f"prior_strength must be >= 0 or 'auto', got {self.prior_strength!r}")

    @classmethod
    def from_yaml(cls, path: str | Path) -> "ScoringSettings":
        """Settings from a YAML file with the keys of ``data/scoring.yaml`` (missing keys keep defaults)."""
        path = Path(path)
        try:  # not the cached load_yaml: a user's file may change between calls
            raw: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError) as exc:
            raise ResourceError(f"cannot read {path}: {exc}") from exc
        known = {f.name for f in dataclasses.fields(cls)}
        unknown = set(raw) - known
        if unknown:
            raise ValueError(f"unknown scoring settings in {path}: {sorted(unknown)}")
        if "scored_statuses" in raw:
            raw = {**raw, "scored_statuses": tuple(raw["scored_statuses"])}
        return cls(**raw)

    @classmethod
    def default(cls) -> "ScoringSettings":
        """The shipped defaults."""
        return cls.from_yaml(data_path("scoring.yaml"))

    def replace(self, **changes: Any) -> "ScoringSettings":
        """A copy with some fields changed; ``None`` values are ignored (so call options can pass through)."""
        return dataclasses.replace(self, **{k: v for k, v in changes.items() if v is not None})


def resolve(settings: ScoringSettings | None, **overrides: Any) -> ScoringSettings:
    """``settings`` (or the shipped defaults) with the non-None call options applied."""
    return (settings or ScoringSettings.default()).replace(**overrides)
