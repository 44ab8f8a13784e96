"""Reading the preprocessing settings (``data/preprocess.yaml`` by default)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..errors import ResourceError
from ..resources import data_path, load_yaml

_REQUIRED = ("limits", "normalise", "emoticons", "pii", "language", "kiwi_upos")


def load_config(path: str | Path | None = None) -> dict[str, Any]:
    """The preprocessing settings as a dict; ``path`` names a user file with the same sections."""
    path = Path(path) if path is not None else data_path("preprocess.yaml")
    config = load_yaml(path.resolve())
    missing = [k for k in _REQUIRED if not isinstance(config, dict) or k not in config]
    if missing:
        raise ResourceError(f"{path}: missing section(s) {', '.join(missing)}")
    return config
