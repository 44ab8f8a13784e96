"""Locate the data files and models that ship with textcs.

In a source checkout (or editable install) they live in the repository's ``data/`` and
``models/``; in a wheel they are installed as ``textcs/data`` and ``textcs/models``.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from .errors import ResourceError

_PKG = Path(__file__).resolve().parent


def _root(name: str) -> Path:
    for candidate in (_PKG / name, _PKG.parent / name):
        if candidate.is_dir():
            return candidate
    raise ResourceError(f"textcs cannot find its {name}/ folder (looked in {_PKG} and {_PKG.parent})")


def data_path(*parts: str) -> Path:
    """Path of a shipped data file, e.g. ``data_path("taxonomy.yaml")``."""
    path = _root("data").joinpath(*parts)
    if not path.exists():
        raise ResourceError(f"missing data file: {path}")
    return path


def models_path(*parts: str) -> Path:
    """Path inside the shipped ``models/`` folder."""
    return _root("models").joinpath(*parts)


@lru_cache(maxsize=None)
def load_yaml(path: str | Path) -> Any:
    """Read a YAML file once (cached by path); raises :class:`ResourceError` with the file name."""
    path = Path(path)
    try:
        with path.open(encoding="utf-8") as fh:
            return yaml.safe_load(fh)
    except (OSError, yaml.YAMLError) as exc:
        raise ResourceError(f"cannot read {path}: {exc}") from exc
