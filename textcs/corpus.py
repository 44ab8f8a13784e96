"""The project's own labelled corpus (``data/corpus/*.jsonl``): loading and validation.

One row per sentence-level example. The frame has these columns:

========== ==================================================================================
id         ``<industry>-<lang>-<nnnn>`` (``negation-<lang>-<nnnn>`` in the negation shard), unique
lang       ``ko`` or ``en``
industry   an industry id of the taxonomy
text       the example text
servqual   list of SERVQUAL dimensions (may be empty)
polarity   ``negative`` / ``neutral`` / ``positive``
delight    bool
failures   list of failure types (may be empty)
recovery   ``none`` / ``successful`` / ``failed``
touchpoints list of touchpoint ids from the industry's catalog (may be empty)
phenomena  list of writing phenomena (typo, slang, negation, sarcasm, ...)
split      ``train`` / ``dev`` / ``test``, fixed in the data
========== ==================================================================================

>>> frame = load_corpus()
>>> sorted(frame["split"].unique())
['dev', 'test', 'train']
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from .errors import ResourceError
from .resources import data_path
from .taxonomy import Catalog, Taxonomy, load_catalogs, load_taxonomy

__all__ = ["load_corpus", "validate_corpus", "COLUMNS", "SPLITS", "PHENOMENA"]

COLUMNS = (
    "id", "lang", "industry", "text", "servqual", "polarity", "delight",
    "failures", "recovery", "touchpoints", "phenomena", "split",
)
LIST_COLUMNS = ("servqual", "failures", "touchpoints", "phenomena")
SPLITS = ("train", "dev", "test")
PHENOMENA = (
    "typo", "spacing", "slang", "emoticon", "emoji", "mixed", "short", "long", "sarcasm", "negation",
    "comparison", "question", "contrast", "hard_negative", "freebie", "abbreviation",
)


def load_corpus(
    folder: str | Path | None = None,
    split: str | None = None,
    lang: str | None = None,
) -> pd.DataFrame:
    """Read every ``*.jsonl`` file of the corpus folder into one frame (columns in the module doc).

    ``split`` and ``lang`` filter rows. Raises :class:`textcs.ResourceError` on a malformed line,
    naming file and line.
    """
    folder = Path(folder) if folder is not None else data_path("corpus")
    rows = []
    for path in sorted(folder.glob("*.jsonl")):
        with path.open(encoding="utf-8") as fh:
            for lineno, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                try:
                    row = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise ResourceError(f"{path.name}:{lineno}: not valid JSON ({exc.msg})") from None
                row["_source"] = f"{path.name}:{lineno}"
                rows.append(row)
    if not rows:
        raise ResourceError(f"no corpus files (*.jsonl) in {folder}")
    frame = pd.DataFrame(rows)
    for col in COLUMNS:
        if col not in frame.columns:
            frame[col] = None
    frame = frame[[*COLUMNS, "_source"]]
    if split is not None:
        frame = frame[frame["split"] == split]
    if lang is not None:
        frame = frame[frame["lang"] == lang]
    return frame.reset_index(drop=True)


def validate_corpus(
    frame: pd.DataFrame,
    taxonomy: Taxonomy | None = None,
    catalogs: dict[str, Catalog] | None = None,
) -> list[str]:
    """Every problem of the corpus as a readable line (empty list = valid).

    It checks that every field is present and typed, that labels and touchpoints exist in the
    taxonomy and catalogs, that no text is empty, that ids and texts are unique (texts compared after
    whitespace and case folding), and that no text crosses splits (no leakage between train, dev and
    test).
    """
    taxonomy = taxonomy or load_taxonomy()
    catalogs = catalogs if catalogs is not None else load_catalogs()
    servqual = set(taxonomy.labels("servqual"))
    failures = set(taxonomy.labels("failures"))
    polarity = set(taxonomy.labels("polarity"))
    recovery = set(taxonomy.labels("recovery"))
    problems: list[str] = []
    for row in frame.itertuples(index=False):
        where = f"{getattr(row, '_source', '?')} ({row.id})"
        if not isinstance(row.text, str) or not row.text.strip():
            problems.append(f"{where}: empty text")
        if row.lang not in ("ko", "en"):
            problems.append(f"{where}: lang {row.lang!r} is not ko/en")
        if row.industry not in catalogs:
            problems.append(f"{where}: industry {row.industry!r} has no catalog")
        if row.polarity not in polarity:
            problems.append(f"{where}: unknown polarity {row.polarity!r}")
        if row.recovery not in recovery:
            problems.append(f"{where}: unknown recovery {row.recovery!r}")
        if not isinstance(row.delight, bool):
            problems.append(f"{where}: delight must be true/false, got {row.delight!r}")
        if row.split not in SPLITS:
            problems.append(f"{where}: split {row.split!r} is not one of {SPLITS}")
        for col, allowed in (("servqual", servqual), ("failures", failures), ("phenomena", set(PHENOMENA))):
            value = getattr(row, col)
            if not isinstance(value, list):
                problems.append(f"{where}: {col} must be a list")
            elif unknown := set(value) - allowed:
                problems.append(f"{where}: unknown {col} label(s) {sorted(unknown)}")
        catalog = catalogs.get(row.industry)
        if not isinstance(row.touchpoints, list):
            problems.append(f"{where}: touchpoints must be a list")
        elif catalog is not None and (unknown := [t for t in row.touchpoints if t not in catalog]):
            problems.append(f"{where}: touchpoint(s) {unknown} not in the {row.industry} catalog")
    dup = frame[frame["id"].duplicated(keep=False)]
    for value, group in dup.groupby("id"):
        problems.append(f"duplicate id {value!r} at {', '.join(group['_source'])}")
    key = frame["text"].astype(str).str.casefold().str.split().str.join(" ")
    for _, group in frame.groupby(key):
        if len(group) > 1:
            splits = sorted(set(group["split"].astype(str)))
            kind = "leaks across splits " + "/".join(splits) if len(splits) > 1 else "duplicated text"
            problems.append(f"{kind}: {group['id'].tolist()} {group['text'].iloc[0][:60]!r}")
    return problems
