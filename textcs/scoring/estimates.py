"""The statistics behind every table: group means with intervals and empirical-Bayes shrinkage,
Wilson intervals for rates, and Welch's test for changes.

Shrinkage (normal-normal model). Group g has n comments with mean m and variance s^2; its prior is the
mean M of all comments of its prior group, with strength k pseudo-comments. Then

    index = (n * m + k * M) / (n + k)
    v     = ((n - 1) * s^2 + k * S^2) / (n - 1 + k)     (the group's variance, shrunk to pooled S^2)
    interval = index +/- z * sqrt(v / (n + k))

k = 0 gives the plain mean and its normal interval. ``prior_strength="auto"`` estimates k as
S^2 / tau^2, with tau^2 the between-group variance of the means by the method of moments.

>>> lo, hi = wilson_interval(np.array([5]), np.array([10]), 0.95)
>>> round(float(lo[0]), 3), round(float(hi[0]), 3)
(0.237, 0.763)
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from .frames import sort_groups

__all__ = ["summarise", "wilson_interval", "welch", "z_value", "AUTO_K_MAX"]

AUTO_K_MAX = 1e4  # "auto" with no between-group variance: every group at the prior mean


def z_value(confidence: float) -> float:
    return float(stats.norm.ppf(0.5 + confidence / 2.0))


def wilson_interval(successes: np.ndarray, n: np.ndarray, confidence: float) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval of ``successes / n`` (NaN where n = 0)."""
    z = z_value(confidence)
    s, n = np.asarray(successes, float), np.asarray(n, float)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = s / n
        centre = (p + z * z / (2 * n)) / (1 + z * z / n)
        half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return np.clip(centre - half, 0, 1), np.clip(centre + half, 0, 1)


def welch(m1: float, v1: float, n1: float, m2: float, v2: float, n2: float) -> float:
    """Two-sided p-value of Welch's t-test from summary statistics (NaN when not testable)."""
    if n1 < 2 or n2 < 2 or not np.isfinite([m1, v1, m2, v2]).all():
        return float("nan")
    se2 = v1 / n1 + v2 / n2
    if se2 <= 0:
        return 0.0 if m1 != m2 else 1.0
    t = (m2 - m1) / np.sqrt(se2)
    df = se2 ** 2 / ((v1 / n1) ** 2 / (n1 - 1) + (v2 / n2) ** 2 / (n2 - 1)) if v1 + v2 > 0 else n1 + n2 - 2
    return float(2 * stats.t.sf(abs(t), df))


def _auto_k(means: np.ndarray, n: np.ndarray, pooled: float) -> float:
    ok = n > 0
    if ok.sum() < 2 or not np.isfinite(pooled):
        return 0.0
    tau2 = np.var(means[ok], ddof=1) - np.mean(pooled / n[ok])
    return float(AUTO_K_MAX if tau2 <= 0 else min(pooled / tau2, AUTO_K_MAX))


def summarise(units: pd.DataFrame, keys: list[str], value: str, prior_keys: list[str], k: float | str,
              confidence: float, means: dict[str, str] | None = None) -> tuple[pd.DataFrame, dict[str, float]]:
    """Index table of ``units[value]`` per ``keys``, shrunk toward the mean of each ``prior_keys`` group.

    ``units`` has one row per (unit, group) and a ``row`` column naming the unit (a comment), so that
    the prior mean counts each unit once. ``means`` maps output columns to unit columns averaged per group.
    Returns the table (keys, n, index, ci_low, ci_high, mean, mean_ci_low, mean_ci_high, the ``means``)
    and the prior strength used per prior group (``{"": k}`` without prior keys).
    """
    means = means or {}
    z = z_value(confidence)
    agg = units.groupby(keys, sort=True, dropna=False).agg(
        n=(value, "size"), mean=(value, "mean"), var=(value, "var"), **{c: (src, "mean") for c, src in means.items()})
    agg = agg.reset_index()
    agg["var"] = agg["var"].fillna(0.0)
    parts, used = [], {}
    groups = agg.groupby(prior_keys, sort=False, dropna=False) if prior_keys else [((), agg)]
    for pkey, part in groups:
        part = part.copy()
        sel = units
        if prior_keys:
            pk = pkey if isinstance(pkey, tuple) else (pkey,)
            mask = np.logical_and.reduce([units[c].to_numpy() == v for c, v in zip(prior_keys, pk)])
            sel = units[mask]
        once = sel.groupby("row")[value].mean()  # each unit once (its groups' values averaged)
        prior = float(once.mean())
        n, m, s2 = part["n"].to_numpy(float), part["mean"].to_numpy(float), part["var"].to_numpy(float)
        dof = (n - 1).clip(min=0)
        pooled = float((dof * s2).sum() / dof.sum()) if dof.sum() > 0 else float(once.var(ddof=1) if len(once) > 1 else 0.0)
        kk = _auto_k(m, n, pooled) if k == "auto" else float(k)
        used["/".join(map(str, pkey)) if prior_keys else ""] = kk
        with np.errstate(invalid="ignore", divide="ignore"):
            v = np.where(dof + kk > 0, (dof * s2 + kk * pooled) / (dof + kk), pooled)
            index = (n * m + kk * prior) / (n + kk)
            se = np.sqrt(v / (n + kk))
            t = stats.t.ppf(0.5 + confidence / 2.0, np.maximum(dof, 1))
            half_raw = np.where(n >= 2, t * np.sqrt(s2 / n), np.nan)
        part["index"] = index
        part["ci_low"], part["ci_high"] = np.clip(index - z * se, 0, 100), np.clip(index + z * se, 0, 100)
        part["mean_ci_low"], part["mean_ci_high"] = np.clip(m - half_raw, 0, 100), np.clip(m + half_raw, 0, 100)
        parts.append(part)
    table = sort_groups(pd.concat(parts, ignore_index=True), keys)
    cols = [*keys, "n", "index", "ci_low", "ci_high", "mean", "mean_ci_low", "mean_ci_high", "var", *means]
    return table[cols], used
