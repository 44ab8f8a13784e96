"""MODEL_CARD.md for a trained task model: data hash, label counts, metrics, versions, options."""

from __future__ import annotations

import datetime as dt
import json
import platform
from pathlib import Path

__all__ = ["write_card", "versions"]


def versions(backend: str) -> dict[str, str]:
    """Versions of Python and the libraries that shaped the model."""
    from importlib.metadata import PackageNotFoundError, version

    names = ["textcs", "numpy", "scikit-learn", "spacy", "kiwipiepy"]
    if backend == "transformer":
        names += ["torch", "transformers", "tokenizers", "safetensors"]
    out = {"python": platform.python_version()}
    for n in names:
        try:
            out[n] = version(n)
        except PackageNotFoundError:
            out[n] = "not installed"
    return out


def write_card(folder: Path, spec: dict, reports: dict) -> Path:
    """Write ``folder/MODEL_CARD.md`` from the saved ``task.json`` content and the metric reports."""
    meta, task = spec["meta"], spec["task"]
    opts = meta["options"]
    counts = "\n".join(f"| {l} | {meta['label_counts']['fit'].get(l, 0)} | {meta['label_counts']['dev'].get(l, 0)} |"
                       for l in task["labels"])
    sections = []
    for name, report in reports.items():
        sections.append(f"### {name}\n\n{report.to_markdown()}")
    thresholds = json.dumps(spec.get("thresholds", {}), ensure_ascii=False)
    text = f"""# textcs model: {task['name']} ({task['kind']})

Trained with `textcs train` ({spec['backend']} backend) on {dt.date.fromisoformat(meta['date']):%Y-%m-%d}
in {meta['train_seconds']:.0f}s. Load it with `textcs.load("{folder.name}")`: results carry `labels` and a
`p_<label>` probability per label.

## Data
- training file: `{opts['data']}` (text column `{opts['text']}`, label column `{opts['label']}`)
- data hash (SHA-256 of texts and labels, in order): `{meta['data_hash']}`
- dev: {meta['dev_source']}
- rows: {meta['n_fit']:,} fit, {meta['n_dev']:,} dev{f", {meta['n_test']:,} test" if meta.get('n_test') else ''} (test rows are only measured)

| label | fit rows | dev rows |
|---|---|---|
{counts}

## Model
- backend: {spec['backend']}; {', '.join(f'{k}: {v}' for k, v in meta['backend'].items())}
- decision: {'the most probable label' if task['kind'] == 'multiclass' else 'every label whose probability passes its threshold'}
- thresholds tuned for F1 on dev (per profile): `{thresholds}`

## Metrics
Dev metrics are measured on the rows the thresholds were tuned on, so they are optimistic; a
test set (`--test`) is never used for fitting or tuning.

{chr(10).join(sections)}

## Training options
```json
{json.dumps(opts, ensure_ascii=False, indent=2)}
```

## Versions
{', '.join(f'{k} {v}' for k, v in meta['versions'].items())}
"""
    path = folder / "MODEL_CARD.md"
    path.write_text(text, encoding="utf-8")
    return path
