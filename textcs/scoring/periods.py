"""Satisfaction index per period (day, week, month) per group, with change flags between periods.

Change test: Welch's two-sample t-test (two-sided) on comment satisfaction between a period and the
previous period of the same group that has comments, at significance level ``alpha`` (default 0.05).
A change is flagged ``up`` or ``down`` only when both periods have at least ``min_n`` comments and
p < alpha. Each pair is tested on its own: with many groups and periods, expect about ``alpha`` of
the tested pairs to be flagged by chance. Period indices are plain means (``prior_strength=0``) so
that shrinkage does not damp real changes; pass ``prior_strength`` to shrink anyway.

>>> import pandas as pd
>>> comments = pd.DataFrame({"status": "ok", "score": [0.5] * 30 + [-0.5] * 30,
...                          "date": ["2024-01-10"] * 30 + ["2024-02-10"] * 30, "touchpoints": "app"})
>>> t = period_index(comments, date="date", freq="M")
>>> t[["touchpoint", "period", "n", "index", "change", "flag"]]
  touchpoint     period   n  index  change  flag
0        app 2024-01-01  30   75.0     NaN      
1        app 2024-02-01  30   25.0   -50.0  down
"""

from __future__ import annotations

from typing import Sequence

import numpy as np
import pandas as pd

from .estimates import summarise, welch
from .frames import grouped_units, normalise_by, scoring_rows
from .index import SHARE_MEANS
from .settings import ScoringSettings, resolve

__all__ = ["period_index", "PERIOD_COLUMNS", "FREQUENCIES"]

FREQUENCIES = {"D": "D", "day": "D", "W": "W", "week": "W", "M": "M", "month": "M", "Q": "Q", "quarter": "Q"}
PERIOD_COLUMNS = {
    "<by columns>": "the group",
    "period": "start of the period (Timestamp)",
    "n, index, ci_low, ci_high": "comments and their index 0-100 with interval (plain mean by default)",
    "share_negative, net_sentiment, delight_rate": "as in the satisfaction index",
    "previous": "the period compared with (the group's previous period with comments)",
    "change": "index minus the previous period's index",
    "p_value": "Welch t-test of the change (NaN when not tested)",
    "tested": "both periods have at least min_n comments",
    "flag": "'up' / 'down' when tested and p_value < alpha, else ''",
}


def period_index(comments: pd.DataFrame, date: str = "date", freq: str = "W", by: str | Sequence[str] | None = "touchpoint",
                 *, date_format: str | None = None, alpha: float | None = None, min_n: int | None = None,
                 confidence: float | None = None, prior_strength: float | str = 0,
                 settings: ScoringSettings | None = None) -> pd.DataFrame:
    """Index per group and period of ``comments[date]`` (columns: :data:`PERIOD_COLUMNS`).

    ``freq`` is ``D``/``W``/``M``/``Q`` (or ``day``/``week``/``month``/``quarter``); weeks start on
    Monday. ``date_format`` is passed to :func:`pandas.to_datetime`. Rows whose date cannot be read
    are excluded and counted in ``attrs["excluded_dates"]`` (``attrs["excluded"]`` counts all).
    """
    s = resolve(settings, alpha=alpha, min_n=min_n, confidence=confidence)
    if freq not in FREQUENCIES:
        raise ValueError(f"freq must be one of {sorted(FREQUENCIES)}, got {freq!r}")
    if date not in comments.columns:
        raise KeyError(f"date column {date!r} not in the frame (columns: {list(comments.columns)})")
    keys = normalise_by(by)
    rows = scoring_rows(comments, s)
    when = pd.to_datetime(rows[date], errors="coerce", format=date_format)
    code = FREQUENCIES[freq]
    rows["period"] = when.dt.to_period("W-SUN" if code == "W" else code).dt.start_time
    no_date = rows["scored"] & rows["period"].isna()
    rows.loc[no_date, "scored"] = False
    units, keys = grouped_units(rows, keys, s)
    scored = units[units["scored"]]
    if scored.empty:
        raise ValueError(f"no scorable comments with a readable {date!r}")
    table, _ = summarise(scored, [*keys, "period"], "satisfaction", [], prior_strength, s.confidence, SHARE_MEANS)
    table["net_sentiment"] = table["share_positive"] - table["share_negative"]
    prev, change, pvals, tested = [], [], [], []  # summarise sorted the table by group, then period
    for _, part in table.groupby(keys, sort=False, dropna=False):
        last = None
        for _, r in part.iterrows():
            if last is None:
                prev.append(pd.NaT), change.append(np.nan), pvals.append(np.nan), tested.append(False)
            else:
                ok = bool(r["n"] >= s.min_n and last["n"] >= s.min_n)
                prev.append(last["period"]), change.append(r["index"] - last["index"]), tested.append(ok)
                pvals.append(welch(last["mean"], last["var"], last["n"], r["mean"], r["var"], r["n"]) if ok else np.nan)
            last = r
    table["previous"], table["change"], table["p_value"], table["tested"] = prev, change, pvals, tested
    sig = table["tested"] & (table["p_value"] < s.alpha)
    table["flag"] = np.where(sig & (table["change"] > 0), "up", np.where(sig & (table["change"] < 0), "down", ""))
    table = table[[*keys, "period", "n", "index", "ci_low", "ci_high", "share_negative", "net_sentiment",
                   "delight_rate", "previous", "change", "p_value", "tested", "flag"]]
    table.attrs.update(excluded=int((~rows["scored"]).sum()), excluded_dates=int(no_date.sum()), alpha=s.alpha,
                       test="Welch two-sample t-test, two-sided", confidence=s.confidence)
    return table
