"""Training options: one dataclass, filled from a YAML file and/or command-line flags.

>>> opts = TrainOptions.from_mapping({"data": "train.csv", "output": "models/mine", "task": "custom",
...                                   "labels": "food,staff", "multi-label": True})
>>> opts.labels, opts.multi_label, opts.backend
(['food', 'staff'], True, 'hybrid')
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

import yaml

from .data import TrainingDataError

__all__ = ["TrainOptions"]


@dataclass
class TrainOptions:
    """Everything ``textcs train`` needs. YAML keys are these names (``-`` or ``_``)."""

    data: str = ""                  # CSV / TSV / JSONL / Parquet file or a datasets folder
    output: str = ""                # the model directory to write
    task: str = "custom"            # custom, sentiment, servqual, failures, recovery, delight, touchpoints
    text: str = "text"              # text column
    label: str = "labels"           # label column (';'-joined for multi-label)
    labels: list[str] | None = None  # custom: the label set (else taken from the data); taxonomy task: a subset
    multi_label: bool = False       # custom task: several labels per row
    industry: str | None = None     # touchpoints: the catalog
    taxonomy: str | None = None     # a taxonomy YAML other than the shipped one
    dev: str | None = None          # a given dev set (same columns); else a stratified split
    dev_fraction: float = 0.2
    split_column: str | None = None  # a column saying train / dev (validation) / test per row
    test: str | None = None         # optional held-out set, measured after training, never used to fit
    backend: str = "hybrid"         # hybrid or transformer
    seed: int = 0
    min_examples: int = 5           # per label, in the training data
    # hybrid backend
    encoder: str | None = "use-multilingual-v3"  # "none": lexical features only
    C: float = 2.0
    # transformer backend
    base: str | None = None         # a local Hugging Face model folder, or "scratch" (a small BERT built here)
    epochs: int = 5
    batch_size: int = 16
    learning_rate: float = 5e-5
    max_length: int = 128
    patience: int = 2               # early stopping: epochs without a better dev macro-F1
    class_weights: bool = True
    device: str = "auto"            # auto, cpu, cuda
    onnx: bool = False              # also export model.onnx for CPU inference
    scratch_hidden: int = 128
    scratch_layers: int = 2
    scratch_vocab: int = 8000
    extra: dict = field(default_factory=dict)

    @classmethod
    def from_mapping(cls, raw: Mapping[str, Any]) -> "TrainOptions":
        names = {f.name for f in dataclasses.fields(cls)}
        values: dict[str, Any] = {}
        for key, value in raw.items():
            name = str(key).replace("-", "_")
            if name not in names:
                raise TrainingDataError(f"unknown training option {key!r}; known: {', '.join(sorted(names - {'extra'}))}")
            values[name] = value
        if isinstance(values.get("labels"), str):
            values["labels"] = [l.strip() for l in values["labels"].split(",") if l.strip()]
        if values.get("encoder") in ("none", "None", ""):
            values["encoder"] = None
        return cls(**values)

    @classmethod
    def from_yaml(cls, path: str | Path, **overrides: Any) -> "TrainOptions":
        """Options from a YAML file; ``overrides`` that are not ``None`` win (the command line)."""
        try:
            raw = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError) as exc:
            raise TrainingDataError(f"cannot read training config {path}: {exc}") from exc
        if not isinstance(raw, dict):
            raise TrainingDataError(f"{path}: a training config is a mapping of option: value")
        base = Path(path).resolve().parent
        for key in ("data", "dev", "test", "output"):  # paths in the file are relative to the file
            if isinstance(raw.get(key), str) and not Path(raw[key]).is_absolute():
                raw[key] = str(base / raw[key])
        raw.update({k: v for k, v in overrides.items() if v is not None})
        return cls.from_mapping(raw)

    def to_dict(self) -> dict:
        out = dataclasses.asdict(self)
        out.pop("extra")
        return out
