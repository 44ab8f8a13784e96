"""Service failures and recovery: failure rate per type, recovery rate, and the recovery-paradox table.

A comment reports a failure type when the analyzer decided it (the ``failures`` column). Its
recovery is the analyzer's ``recovery``: ``successful``, ``failed`` or ``none`` (no recovery
attempt reported). Rates get Wilson score intervals.

>>> import pandas as pd
>>> comments = pd.DataFrame({"status": ["ok"] * 4, "score": [0.8, -0.8, -0.4, 0.6],
...                          "failures": ["delay", "delay;billing", "", ""],
...                          "recovery": ["successful", "none", "none", "none"]})
>>> rates = failure_rates(comments, by=None)
>>> rates[rates["n_failure"] > 0][["failure", "n", "n_failure", "rate"]]
   failure  n  n_failure  rate
0      any  4          2  0.50
1    delay  4          2  0.50
7  billing  4          1  0.25
>>> recovery_paradox(comments)[["outcome", "n", "mean"]]
                   outcome  n  mean
0               no_failure  2  55.0
1        failure_recovered  1  90.0
2  failure_recovery_failed  0   NaN
3    failure_not_recovered  1  10.0
"""

from __future__ import annotations

from typing import Sequence

import numpy as np
import pandas as pd

from ..taxonomy import load_taxonomy
from .estimates import summarise, welch, wilson_interval
from .frames import grouped_units, normalise_by, scoring_rows, sort_groups
from .settings import ScoringSettings, resolve

__all__ = ["failure_rates", "recovery_rates", "recovery_paradox", "FAILURE_COLUMNS", "RECOVERY_COLUMNS",
           "PARADOX_COLUMNS", "OUTCOMES"]

FAILURE_COLUMNS = {
    "<by columns>": "the group",
    "failure": "failure type, or 'any' (at least one failure)",
    "n": "scored comments in the group",
    "n_failure": "comments reporting the failure",
    "rate, ci_low, ci_high": "n_failure / n and its Wilson interval",
}
RECOVERY_COLUMNS = {
    "<by columns>": "the group",
    "n_failure": "scored comments reporting any failure",
    "n_recovered, recovery_rate, ci_low, ci_high": "failures with a successful recovery, share and Wilson interval",
    "n_recovery_failed, recovery_failed_rate": "a recovery attempt that failed",
    "n_not_recovered, not_recovered_rate": "no recovery reported",
}
PARADOX_COLUMNS = {
    "<by columns>": "the group",
    "outcome": "no_failure, failure_recovered, failure_recovery_failed, failure_not_recovered",
    "n, mean, ci_low, ci_high": "comments and their plain mean satisfaction 0-100 with a t interval (no shrinkage)",
    "diff_vs_no_failure": "mean minus the no_failure mean of the same group",
    "p_value": "Welch t-test of that difference (two-sided)",
    "paradox": "failure_recovered is significantly above no_failure at alpha (the recovery paradox)",
}
OUTCOMES = ("no_failure", "failure_recovered", "failure_recovery_failed", "failure_not_recovered")


def _failure_types() -> tuple[str, ...]:
    return load_taxonomy().labels("failures")


def _failure_sets(rows: pd.DataFrame) -> list[set[str]]:
    if "failures" not in rows.columns:
        raise KeyError("the frame needs the analyzer's 'failures' column")
    return [{f for f in v.split(";") if f} if isinstance(v, str) else set() for v in rows["failures"]]


def _scored_units(comments: pd.DataFrame, by, s: ScoringSettings) -> tuple[pd.DataFrame, list[str], int]:
    keys = normalise_by(by)
    rows = scoring_rows(comments, s)
    rows["_failures"] = _failure_sets(rows)
    units, keys = grouped_units(rows, keys, s)
    return units[units["scored"]].reset_index(drop=True), keys, int((~rows["scored"]).sum())


def failure_rates(comments: pd.DataFrame, by: str | Sequence[str] | None = "touchpoint", *,
                  confidence: float | None = None, settings: ScoringSettings | None = None) -> pd.DataFrame:
    """Failure rate per group and failure type, 'any' first (columns: :data:`FAILURE_COLUMNS`)."""
    s = resolve(settings, confidence=confidence)
    units, keys, excluded = _scored_units(comments, by, s)
    types = _failure_types()
    flags = pd.DataFrame({"any": [bool(f) for f in units["_failures"]],
                          **{t: [t in f for f in units["_failures"]] for t in types}})
    flags[keys] = units[keys]
    counts = flags.groupby(keys, dropna=False).agg(["sum", "size"])
    parts = []
    for f in ("any", *types):
        part = counts[f].reset_index().rename(columns={"sum": "n_failure", "size": "n"})
        part.insert(len(keys), "failure", f)
        parts.append(part)
    table = pd.concat(parts, ignore_index=True)
    table["n_failure"] = table["n_failure"].astype(int)
    table["rate"] = table["n_failure"] / table["n"]
    table["ci_low"], table["ci_high"] = wilson_interval(table["n_failure"], table["n"], s.confidence)
    order = {f: i for i, f in enumerate(("any", *types))}
    table = sort_groups(table, [*keys, "failure"], {"failure": order})
    table = table[[*keys, "failure", "n", "n_failure", "rate", "ci_low", "ci_high"]]
    table.attrs.update(excluded=excluded, confidence=s.confidence)
    return table


def _outcome(failures: set[str], recovery) -> str:
    if not failures:
        return "no_failure"
    return {"successful": "failure_recovered", "failed": "failure_recovery_failed"}.get(
        str(recovery), "failure_not_recovered")


def recovery_rates(comments: pd.DataFrame, by: str | Sequence[str] | None = None, *,
                   confidence: float | None = None, settings: ScoringSettings | None = None) -> pd.DataFrame:
    """Recovery among comments that report a failure, per group (columns: :data:`RECOVERY_COLUMNS`)."""
    s = resolve(settings, confidence=confidence)
    units, keys, excluded = _scored_units(comments, by, s)
    rec = units.get("recovery", pd.Series("none", index=units.index))
    units["_outcome"] = [_outcome(f, r) for f, r in zip(units["_failures"], rec)]
    failed = units[units["_outcome"] != "no_failure"]
    counts = pd.crosstab([failed[k] for k in keys], failed["_outcome"]).reindex(columns=list(OUTCOMES[1:]), fill_value=0)
    all_groups = units.groupby(keys, dropna=False).size().index
    counts = counts.reindex(all_groups, fill_value=0)
    table = counts.reset_index()
    table.columns = [*keys, "n_recovered", "n_recovery_failed", "n_not_recovered"]
    table["n_failure"] = table[["n_recovered", "n_recovery_failed", "n_not_recovered"]].sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        for name in ("recovered", "recovery_failed", "not_recovered"):
            rate = "recovery_rate" if name == "recovered" else f"{name}_rate"
            table[rate] = table[f"n_{name}"] / table["n_failure"].replace(0, np.nan)
    table["ci_low"], table["ci_high"] = wilson_interval(table["n_recovered"], table["n_failure"], s.confidence)
    table = table[[*keys, "n_failure", "n_recovered", "recovery_rate", "ci_low", "ci_high", "n_recovery_failed",
                   "recovery_failed_rate", "n_not_recovered", "not_recovered_rate"]]
    table.attrs.update(excluded=excluded, confidence=s.confidence)
    return table


def recovery_paradox(comments: pd.DataFrame, by: str | Sequence[str] | None = None, *,
                     confidence: float | None = None, alpha: float | None = None,
                     settings: ScoringSettings | None = None) -> pd.DataFrame:
    """Mean satisfaction by failure/recovery outcome, per group (columns: :data:`PARADOX_COLUMNS`).

    The recovery paradox is when customers whose failure was well recovered end up more satisfied
    than customers who had no failure; ``paradox`` flags it where the difference is significant.
    """
    s = resolve(settings, confidence=confidence, alpha=alpha)
    units, keys, excluded = _scored_units(comments, by, s)
    rec = units.get("recovery", pd.Series("none", index=units.index))
    units["outcome"] = [_outcome(f, r) for f, r in zip(units["_failures"], rec)]
    table, _ = summarise(units, [*keys, "outcome"], "satisfaction", [], 0, s.confidence)
    grid = pd.MultiIndex.from_product([table[k].unique() for k in keys] + [list(OUTCOMES)], names=[*keys, "outcome"])
    table = table.set_index([*keys, "outcome"]).reindex(grid).reset_index()
    table["n"] = table["n"].fillna(0).astype(int)
    diff, pvals = [], []
    for _, part in table.groupby(keys, sort=False, dropna=False):
        base = part[part["outcome"] == "no_failure"].iloc[0]
        for _, r in part.iterrows():
            diff.append(r["mean"] - base["mean"])
            pvals.append(np.nan if r["outcome"] == "no_failure" else
                         welch(base["mean"], base["var"], base["n"], r["mean"], r["var"], r["n"]))
    table["diff_vs_no_failure"], table["p_value"] = diff, pvals
    table["paradox"] = (table["outcome"] == "failure_recovered") & (table["diff_vs_no_failure"] > 0) & (table["p_value"] < s.alpha)
    order = {o: i for i, o in enumerate(OUTCOMES)}
    table = sort_groups(table, [*keys, "outcome"], {"outcome": order})
    table = table.rename(columns={"mean_ci_low": "ci_low_", "mean_ci_high": "ci_high_"})
    table = table.drop(columns=["ci_low", "ci_high"]).rename(columns={"ci_low_": "ci_low", "ci_high_": "ci_high"})
    table = table[[*keys, "outcome", "n", "mean", "ci_low", "ci_high", "diff_vs_no_failure", "p_value", "paradox"]]
    table.attrs.update(excluded=excluded, confidence=s.confidence, alpha=s.alpha)
    return table
