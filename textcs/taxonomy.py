"""Label sets and touchpoint catalogs, read from data files.

The default taxonomy is ``data/taxonomy.yaml`` and the default catalogs are ``data/catalogs/*.yaml``.
Users can pass their own files with the same shape.

>>> tax = load_taxonomy()
>>> tax.labels("servqual")
('reliability', 'responsiveness', 'assurance', 'empathy', 'tangibles')
>>> tax.kind("polarity")
'multiclass'
>>> cat = load_catalog("airline")
>>> cat["airline.cabin_crew"].contact
'high'
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from .errors import ResourceError
from .resources import data_path, load_yaml

__all__ = ["Taxonomy", "Touchpoint", "Catalog", "load_taxonomy", "load_catalog", "load_catalogs", "CONTACT_LEVELS"]

CONTACT_LEVELS = ("high", "medium", "low")
TASK_KINDS = ("multilabel", "multiclass", "binary")


@dataclass(frozen=True)
class Taxonomy:
    """Tasks and their label sets. ``tasks[name]`` is ``{"kind": ..., "labels": {label: info}}``."""

    name: str
    tasks: dict
    industries: dict
    contact_levels: dict
    source: str = ""

    def labels(self, task: str) -> tuple[str, ...]:
        """Label ids of ``task`` in file order."""
        return tuple(self._task(task)["labels"])

    def kind(self, task: str) -> str:
        """``multilabel``, ``multiclass`` or ``binary``."""
        return self._task(task)["kind"]

    def _task(self, task: str) -> dict:
        try:
            return self.tasks[task]
        except KeyError:
            raise KeyError(f"unknown task {task!r}; this taxonomy has {sorted(self.tasks)}") from None


@dataclass(frozen=True)
class Touchpoint:
    id: str
    industry: str
    name_ko: str
    name_en: str
    contact: str
    description: str
    cues_ko: tuple[str, ...]
    cues_en: tuple[str, ...]


@dataclass(frozen=True)
class Catalog:
    """The touchpoints of one industry, by id."""

    industry: str
    name_ko: str
    name_en: str
    touchpoints: dict[str, Touchpoint]

    def __getitem__(self, touchpoint_id: str) -> Touchpoint:
        return self.touchpoints[touchpoint_id]

    def __iter__(self) -> Iterator[Touchpoint]:
        return iter(self.touchpoints.values())

    def __len__(self) -> int:
        return len(self.touchpoints)

    def __contains__(self, touchpoint_id: object) -> bool:
        return touchpoint_id in self.touchpoints


def load_taxonomy(path: str | Path | None = None) -> Taxonomy:
    """Read a taxonomy file (default: the shipped ``data/taxonomy.yaml``) and check its shape."""
    path = Path(path) if path is not None else data_path("taxonomy.yaml")
    raw = load_yaml(path.resolve())
    if not isinstance(raw, dict) or not isinstance(raw.get("tasks"), dict):
        raise ResourceError(f"{path}: a taxonomy needs a 'tasks' mapping")
    for task, spec in raw["tasks"].items():
        if spec.get("kind") not in TASK_KINDS or not spec.get("labels"):
            raise ResourceError(f"{path}: task {task!r} needs kind in {TASK_KINDS} and a non-empty labels mapping")
    return Taxonomy(
        name=str(raw.get("name", path.stem)),
        tasks=raw["tasks"],
        industries=raw.get("industries", {}),
        contact_levels=raw.get("contact_levels", {}),
        source=str(path),
    )


def _catalog_from(raw: dict, path: Path) -> Catalog:
    industry = raw.get("industry")
    if not industry or not isinstance(raw.get("touchpoints"), list):
        raise ResourceError(f"{path}: a catalog needs 'industry' and a 'touchpoints' list")
    touchpoints = {}
    for tp in raw["touchpoints"]:
        tid = tp.get("id", "")
        if tp.get("contact") not in CONTACT_LEVELS:
            raise ResourceError(f"{path}: touchpoint {tid!r} has contact {tp.get('contact')!r}, not one of {CONTACT_LEVELS}")
        if tid in touchpoints:
            raise ResourceError(f"{path}: duplicate touchpoint id {tid!r}")
        names, cues = tp.get("name", {}), tp.get("cues", {})
        touchpoints[tid] = Touchpoint(
            id=tid,
            industry=industry,
            name_ko=names.get("ko", ""),
            name_en=names.get("en", ""),
            contact=tp["contact"],
            description=tp.get("description", ""),
            # YAML reads cues such as 110 or 24 as numbers; a cue is always text.
            cues_ko=tuple(str(c) for c in cues.get("ko", ()) if c is not None),
            cues_en=tuple(str(c) for c in cues.get("en", ()) if c is not None),
        )
    name = raw.get("name", {})
    return Catalog(industry, name.get("ko", ""), name.get("en", ""), touchpoints)


def load_catalog(industry_or_path: str | Path) -> Catalog:
    """One catalog: a shipped industry name (``"airline"``) or the path of your own YAML file."""
    candidate = Path(industry_or_path)
    if candidate.suffix in (".yaml", ".yml") and candidate.exists():
        path = candidate
    else:
        path = data_path("catalogs", f"{industry_or_path}.yaml")
    return _catalog_from(load_yaml(path.resolve()), path)


def load_catalogs(folder: str | Path | None = None) -> dict[str, Catalog]:
    """Every catalog in ``folder`` (default: the shipped ``data/catalogs``), by industry."""
    folder = Path(folder) if folder is not None else data_path("catalogs")
    catalogs = [load_catalog(p) for p in sorted(folder.glob("*.yaml"))]
    return {c.industry: c for c in catalogs}
