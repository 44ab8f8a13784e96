"""Satisfaction index per group: touchpoint, contact level, period or any column of the frame.

>>> import pandas as pd
>>> comments = pd.DataFrame({
...     "status": ["ok"] * 4 + ["empty"],
...     "p_negative": [0.0, 0.0, 1.0, 0.0, None], "p_neutral": [0.0, 0.0, 0.0, 1.0, None],
...     "p_positive": [1.0, 1.0, 0.0, 0.0, None], "delight": [True, False, False, False, False],
...     "touchpoints": ["shop", "shop;app", "app", "", "shop"], "contact_levels": ["high", "high;low", "low", "", "high"]})
>>> t = satisfaction_index(comments, by="touchpoint", prior_strength=0)
>>> t[["touchpoint", "n", "index", "share_negative", "net_sentiment", "delight_rate", "excluded"]]
  touchpoint  n  index  share_negative  net_sentiment  delight_rate  excluded
0     (none)  1   50.0             0.0            0.0           0.0         0
1        app  2   50.0             0.5            0.0           0.0         0
2       shop  2  100.0             0.0            1.0           0.5         1
>>> t.attrs["excluded"], t.attrs["overall"]
(1, 62.5)
>>> satisfaction_index(comments, by=None, prior_strength=0)[["group", "n", "index"]]
  group  n  index
0   all  4   62.5
"""

from __future__ import annotations

from typing import Sequence

import pandas as pd

from .estimates import summarise
from .frames import grouped_units, normalise_by, scoring_rows, sort_groups
from .settings import ScoringSettings, resolve

__all__ = ["satisfaction_index", "INDEX_COLUMNS", "SHARE_MEANS"]

INDEX_COLUMNS = {
    "<by columns>": "the group (``group`` = 'all' when ``by`` is None)",
    "n": "comments scored in the group",
    "index": "satisfaction index 0-100, shrunk toward the overall mean (empirical Bayes, prior strength k)",
    "ci_low, ci_high": "interval of the index at the confidence level (posterior interval)",
    "mean": "the group's plain mean comment satisfaction (no shrinkage)",
    "mean_ci_low, mean_ci_high": "t interval of the plain mean (NaN for n < 2)",
    "share_negative, share_neutral, share_positive": "share of comments with that decided polarity",
    "net_sentiment": "share_positive - share_negative, in [-1, 1]",
    "delight_rate": "share of comments flagged as delight",
    "small": "n < min_n: shown, but read with care",
    "excluded": "rows of the group not scored (status not ok/truncated, or no sentiment)",
}
SHARE_MEANS = {"share_negative": "negative", "share_neutral": "neutral", "share_positive": "positive",
               "delight_rate": "delighted"}


def satisfaction_index(comments: pd.DataFrame, by: str | Sequence[str] | None = "touchpoint", *,
                       prior_strength: float | str | None = None, confidence: float | None = None,
                       min_n: int | None = None, settings: ScoringSettings | None = None) -> pd.DataFrame:
    """Satisfaction index 0-100 per group of ``by`` (columns: :data:`INDEX_COLUMNS`).

    ``comments`` is the analyzer's comment frame (or any frame with its columns). ``by`` names
    ``touchpoint``, ``contact_level`` and/or columns of the frame; see :mod:`textcs.scoring.frames`.
    Call options override ``settings`` (default ``data/scoring.yaml``). ``attrs`` holds ``overall``
    (mean satisfaction of all scored comments), ``prior_strength`` (k used), ``excluded`` (rows not
    scored) and ``confidence``.
    """
    s = resolve(settings, prior_strength=prior_strength, confidence=confidence, min_n=min_n)
    keys = normalise_by(by)
    rows = scoring_rows(comments, s)
    units, keys = grouped_units(rows, keys, s)
    scored = units[units["scored"]]
    if scored.empty:
        raise ValueError(f"no scorable comments: {len(rows)} rows, statuses {sorted(rows['exclusion'].unique())}")
    table, used = summarise(scored, keys, "satisfaction", [], s.prior_strength, s.confidence, SHARE_MEANS)
    table = _with_excluded(table, units, keys)
    table["net_sentiment"] = table["share_positive"] - table["share_negative"]
    table["small"] = table["n"] < s.min_n
    table = table[[*keys, "n", "index", "ci_low", "ci_high", "mean", "mean_ci_low", "mean_ci_high",
                   "share_negative", "share_neutral", "share_positive", "net_sentiment", "delight_rate",
                   "small", "excluded"]]
    table.attrs.update(overall=float(rows.loc[rows["scored"], "satisfaction"].mean()), prior_strength=used[""],
                       excluded=int((~rows["scored"]).sum()), confidence=s.confidence)
    return table


def _with_excluded(table: pd.DataFrame, units: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Add the per-group count of excluded rows; groups with only excluded rows appear with n = 0."""
    dropped = units[~units["scored"]].groupby(keys, dropna=False).size().rename("excluded").reset_index()
    out = table.merge(dropped, on=keys, how="outer")
    out["n"] = out["n"].fillna(0).astype(int)
    out["excluded"] = out["excluded"].fillna(0).astype(int)
    return sort_groups(out, keys)
