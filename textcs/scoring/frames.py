"""From the analyzer's comment frame to scoring units: which rows count, each comment's satisfaction,
and one row per (comment, group) once touchpoints are exploded.

Comment-level satisfaction (0-100) is the expected score of a comment when negative counts 0, neutral
50 and positive 100: ``100 * (p_positive + p_neutral / 2)``, which equals ``50 * (1 + score)`` since
``score = p_positive - p_negative``. Frames without probability columns use ``score``.

Grouping names with a special meaning in ``by``:
- ``touchpoint``: one row per touchpoint id in the ``touchpoints`` column (';'-joined); a comment with
  no touchpoint is grouped as ``settings.no_touchpoint`` ("(none)");
- ``contact_level``: the contact level of each of those touchpoints, a comment counted once per level.
Any other name is a column of the frame (branch, airline, channel, period); missing values are grouped
as ``settings.missing_value`` ("(missing)").

Where a column name appears twice (the caller's ``language`` beside the analyzer's), the last one,
the analyzer's, is used. Only rows whose ``status`` is in ``settings.scored_statuses`` (ok, truncated) and that have a sentiment
are scored. The others are *excluded* and counted per group and in ``frame.attrs["excluded"]``.

>>> import pandas as pd
>>> df = pd.DataFrame({"status": ["ok", "ok", "invalid"], "score": [1.0, -0.5, None],
...                    "touchpoints": ["a;b", "", ""], "contact_levels": ["high;low", "", ""]})
>>> comment_satisfaction(df).tolist()
[100.0, 25.0, nan]
>>> units = explode_groups(scoring_rows(df), ["touchpoint"])
>>> units[["row", "touchpoint", "satisfaction", "scored"]].to_dict("list")
{'row': [0, 0, 1, 2], 'touchpoint': ['a', 'b', '(none)', '(none)'], 'satisfaction': [100.0, 100.0, 25.0, nan], 'scored': [True, True, True, False]}
"""

from __future__ import annotations

from typing import Iterable, Sequence

import numpy as np
import pandas as pd

from .settings import ScoringSettings

__all__ = ["comment_satisfaction", "scoring_rows", "explode_groups", "grouped_units", "as_bool", "normalise_by", "sort_groups",
           "SPECIAL_GROUPS"]

SPECIAL_GROUPS = ("touchpoint", "contact_level")


def normalise_by(by: str | Sequence[str] | None) -> list[str]:
    """``by`` as a list: ``None`` or ``()`` means one overall group."""
    if by is None:
        return []
    return [by] if isinstance(by, str) else list(by)


def as_bool(values: pd.Series) -> pd.Series:
    """Booleans from bools, 0/1 or 'True'/'False' strings (frames read back from CSV); missing is False."""
    if values.dtype == bool:
        return values
    return values.map(lambda v: str(v).strip().lower() in ("true", "1", "1.0", "yes"))


def comment_satisfaction(frame: pd.DataFrame) -> pd.Series:
    """Each comment's satisfaction on 0-100 (NaN where the frame has no sentiment for it)."""
    if {"p_positive", "p_neutral"} <= set(frame.columns):
        pos = pd.to_numeric(frame["p_positive"], errors="coerce")
        neu = pd.to_numeric(frame["p_neutral"], errors="coerce")
        return (100.0 * (pos + neu / 2.0)).astype(float)
    if "score" in frame.columns:
        return (50.0 * (1.0 + pd.to_numeric(frame["score"], errors="coerce"))).astype(float)
    raise KeyError("the frame needs p_positive and p_neutral, or score (the analyzer's comment columns)")


def _polarity(frame: pd.DataFrame) -> pd.Series:
    if "polarity" in frame.columns:
        return frame["polarity"].fillna("").astype(str)
    if {"p_negative", "p_neutral", "p_positive"} <= set(frame.columns):
        p = frame[["p_negative", "p_neutral", "p_positive"]].apply(pd.to_numeric, errors="coerce")
        labels = np.array(["negative", "neutral", "positive"])
        return pd.Series(np.where(p.notna().all(axis=1), labels[p.fillna(0).to_numpy().argmax(axis=1)], ""),
                         index=frame.index)
    score = pd.to_numeric(frame["score"], errors="coerce")
    return pd.Series(np.select([score > 1 / 3, score < -1 / 3], ["positive", "negative"], "neutral"),
                     index=frame.index).where(score.notna(), "")


def scoring_rows(comments: pd.DataFrame, settings: ScoringSettings | None = None) -> pd.DataFrame:
    """The comment frame with scoring columns added (the caller's columns are kept).

    Added: ``row`` (position in ``comments``), ``satisfaction`` (0-100), ``negative``/``neutral``/
    ``positive`` (0/1 from the decided polarity), ``delighted`` (0/1), ``scored`` (counts in the
    indices) and ``exclusion`` (why not: the status, or "no sentiment").
    """
    settings = settings or ScoringSettings.default()
    out = comments.reset_index(drop=True)
    # analyze_frame appends its columns to the caller's, so a caller's "language" or "status" column
    # appears twice: the analyzer's (the last) is the one scoring means.
    out = out.loc[:, ~out.columns.duplicated(keep="last")].copy()
    out["row"] = np.arange(len(out))
    out["satisfaction"] = comment_satisfaction(out).to_numpy()
    pol = _polarity(out)
    for label in ("negative", "neutral", "positive"):
        out[label] = (pol == label).astype(float).to_numpy()
    out["delighted"] = as_bool(out["delight"]).astype(float).to_numpy() if "delight" in out else 0.0
    status = out["status"].fillna("").astype(str) if "status" in out else pd.Series("ok", index=out.index)
    ok_status = status.isin(settings.scored_statuses)
    has_value = out["satisfaction"].notna()
    out["scored"] = (ok_status & has_value).to_numpy()
    out["exclusion"] = np.where(~ok_status, "status " + status, np.where(~has_value, "no sentiment", ""))
    return out


def _split(values: pd.Series) -> list[list[str]]:
    return [[t.strip() for t in str(v).split(";") if t.strip()] if isinstance(v, str) else [] for v in values]


def grouped_units(rows: pd.DataFrame, keys: list[str], settings: ScoringSettings) -> tuple[pd.DataFrame, list[str]]:
    """``(units, keys)``: :func:`explode_groups` over ``keys``, or over one ``group`` column that
    holds ``"all"`` when no grouping is asked for."""
    if not keys:
        rows, keys = rows.assign(group="all"), ["group"]
    return explode_groups(rows, keys, settings), keys


def explode_groups(rows: pd.DataFrame, by: Iterable[str], settings: ScoringSettings | None = None) -> pd.DataFrame:
    """One row per (comment, group) for the grouping names in ``by`` (see the module docstring)."""
    settings = settings or ScoringSettings.default()
    by = list(by)
    out = rows.reset_index(drop=True)
    out["_unit"] = np.arange(len(out))  # a comment may already span several rows (one per dimension)
    special = [b for b in by if b in SPECIAL_GROUPS]
    if special:
        if "touchpoints" not in out.columns:
            raise KeyError("grouping by touchpoint or contact_level needs the 'touchpoints' column")
        tps = _split(out["touchpoints"])
        cls = _split(out["contact_levels"]) if "contact_levels" in out.columns else [[] for _ in tps]
        none = settings.no_touchpoint
        pairs = [list(zip(t, c + [""] * (len(t) - len(c)))) or [(none, none)] for t, c in zip(tps, cls)]
        out["_pair"] = pairs
        out = out.explode("_pair", ignore_index=True)
        out["touchpoint"] = [p[0] for p in out["_pair"]]
        out["contact_level"] = [p[1] or settings.missing_value for p in out["_pair"]]
        out = out.drop(columns="_pair").drop_duplicates(["_unit", *special], ignore_index=True)
    for b in by:
        if b in SPECIAL_GROUPS:
            continue
        if b not in out.columns:
            raise KeyError(f"group column {b!r} not in the frame (columns: {list(rows.columns)})")
        col = out[b]
        out[b] = col.astype(object).where(col.notna(), settings.missing_value)
    return out.drop(columns="_unit")


def _sort_key(values: pd.Series) -> pd.Series:
    """Values that sort even when a column mixes numbers with "(missing)" labels: numbers first."""
    if values.dtype != object:
        return values
    return values.map(lambda v: (1, v) if isinstance(v, str) else (0, v))


def sort_groups(table: pd.DataFrame, columns: list[str], orders: dict[str, dict] | None = None) -> pd.DataFrame:
    """``table`` sorted by ``columns`` (stable); ``orders`` maps a column to the rank of each value
    (taxonomy order of dimensions, failure types, outcomes)."""
    orders = orders or {}

    def key(c: pd.Series) -> pd.Series:
        return c.map(orders[c.name]) if c.name in orders else _sort_key(c)

    return table.sort_values(columns, key=key, kind="stable").reset_index(drop=True)
