"""Drivers of satisfaction: how much each SERVQUAL dimension (or touchpoint) explains, and where to act.

Method. Each scored comment gets one feature per driver: the mean sentiment score (-1..1) of its
sentences that carry the driver (the dimension decided for the sentence, or the touchpoint
mentioned in it), and 0 (neutral) when none does. The target is the comment's satisfaction (0-100,
see :mod:`textcs.scoring.frames`) or any numeric column, such as a star rating. The R^2 of the
linear regression of target on all drivers is split between drivers by

- ``shapley`` (default): the exact Shapley value of each driver in R^2, i.e. its average gain in R^2
  over all orders of entry (the LMG decomposition; 2^p regressions from the correlation matrix,
  so at most ``max_shapley`` drivers);
- ``relative_weights``: Johnson's (2000) relative weights, which approximate it for any p.

Both sum to the model's R^2. ``importance`` is each driver's share of R^2 (sums to 1).

The importance-performance table puts each driver's importance next to its performance (its index
from :func:`~textcs.scoring.dimension_index` or :func:`~textcs.scoring.touchpoint_index`) and ranks
the drivers: quadrants split at the mean importance and the mean performance of the drivers, in the
order "concentrate here" (high importance, low performance), "keep up the good work", "low
priority", "possible overkill"; within a quadrant by importance, highest first. Drivers with fewer
than ``min_n`` mentions are ranked last and marked ``small``.

>>> import numpy as np, pandas as pd
>>> rng = np.random.default_rng(0)
>>> x = rng.normal(size=(500, 3))
>>> y = 3 * x[:, 0] + 1 * x[:, 1] + rng.normal(size=500)
>>> imp = decompose_r2(pd.DataFrame(x, columns=["a", "b", "c"]), pd.Series(y))
>>> [round(v, 2) for v in imp], round(float(imp.sum()), 2)
([0.81, 0.09, 0.0], 0.9)
"""

from __future__ import annotations

from itertools import combinations
from math import factorial

import numpy as np
import pandas as pd

from ..touchpoints import TouchpointMatcher
from .dimensions import dimension_index, dimensions, sentence_touchpoints, touchpoint_index
from .frames import scoring_rows, comment_satisfaction
from .index import satisfaction_index
from .settings import ScoringSettings, resolve

__all__ = ["driver_features", "decompose_r2", "driver_importance", "importance_performance", "contact_rollup",
           "DRIVER_COLUMNS", "IPA_COLUMNS", "QUADRANTS"]

DRIVER_COLUMNS = {
    "driver": "SERVQUAL dimension or touchpoint id",
    "importance": "share of the explained R^2 (sums to 1 over drivers)",
    "r2_part": "the driver's part of R^2 (sums to attrs['r2'])",
    "beta": "standardised regression coefficient (sign: does more positive talk go with higher target?)",
    "mentions": "comments with at least one sentence for the driver",
    "rank": "1 = most important",
}
IPA_COLUMNS = {
    **DRIVER_COLUMNS,
    "performance, ci_low, ci_high, n": "the driver's index 0-100 with interval and its n",
    "quadrant": "concentrate here / keep up the good work / low priority / possible overkill",
    "small": "fewer than min_n mentions (ranked last)",
    "priority": "1 = act here first",
}
QUADRANTS = ("concentrate here", "keep up the good work", "low priority", "possible overkill")


def driver_features(comments: pd.DataFrame, sentences: pd.DataFrame, of: str = "dimension",
                    matcher: TouchpointMatcher | None = None, settings: ScoringSettings | None = None) -> pd.DataFrame:
    """One row per comment (same order and index as ``comments``), one column per driver: the mean
    sentence score of the sentences carrying it, 0 when none does.

    ``of="touchpoint"`` takes the touchpoints mentioned in each sentence when a ``matcher`` is given
    (strictly, no inheritance), else every touchpoint of the comment.
    """
    if of not in ("dimension", "touchpoint"):
        raise ValueError(f"of must be 'dimension' or 'touchpoint', got {of!r}")
    sent = sentences.copy()
    sent["_score"] = (comment_satisfaction(sent) / 50.0 - 1.0).to_numpy()
    if of == "dimension":
        labels = sent["servqual"]
        drivers = list(dimensions())
    else:
        labels = sentence_touchpoints(comments.reset_index(drop=True), sentences, matcher, inherit=False)["touchpoints"]
        drivers = sorted({t for v in labels for t in str(v).split(";") if t and isinstance(v, str)})
    sent["_driver"] = [[d for d in v.split(";") if d] if isinstance(v, str) else [] for v in labels]
    long = sent.explode("_driver").dropna(subset=["_driver", "_score"])
    wide = long.groupby(["comment", "_driver"])["_score"].mean().unstack(fill_value=0.0)
    wide = wide.reindex(index=range(len(comments)), columns=drivers, fill_value=0.0).fillna(0.0)
    mentions = long.groupby("_driver")["comment"].nunique().reindex(drivers, fill_value=0)
    wide.index = comments.index
    wide.columns.name = None
    wide.attrs["mentions"] = mentions.to_dict()
    return wide


def _r2(corr: np.ndarray, r: np.ndarray, subset: tuple[int, ...]) -> float:
    if not subset:
        return 0.0
    idx = list(subset)
    rs = r[idx]
    return float(rs @ np.linalg.pinv(corr[np.ix_(idx, idx)]) @ rs)


def _shapley(corr: np.ndarray, r: np.ndarray) -> np.ndarray:
    p = len(r)
    cache = {s: _r2(corr, r, s) for k in range(p + 1) for s in combinations(range(p), k)}
    out = np.zeros(p)
    for j in range(p):
        others = [i for i in range(p) if i != j]
        for k in range(p):
            w = factorial(k) * factorial(p - k - 1) / factorial(p)
            for s in combinations(others, k):
                out[j] += w * (cache[tuple(sorted((*s, j)))] - cache[s])
    return out


def _relative_weights(corr: np.ndarray, r: np.ndarray) -> np.ndarray:
    vals, vecs = np.linalg.eigh(corr)
    half = vecs @ np.diag(np.sqrt(np.clip(vals, 0, None))) @ vecs.T
    beta = np.linalg.pinv(half) @ r
    return (half ** 2) @ (beta ** 2)


METHODS = {"shapley": _shapley, "relative_weights": _relative_weights}


def decompose_r2(x: pd.DataFrame, y: pd.Series, method: str = "shapley") -> pd.Series:
    """Each column's part of the R^2 of ``y ~ x`` (OLS with intercept); constant columns get 0."""
    if method not in METHODS:
        raise ValueError(f"method must be one of {sorted(METHODS)}, got {method!r}")
    xv, yv = x.to_numpy(float), np.asarray(y, float)
    live = xv.std(axis=0) > 0
    out = pd.Series(0.0, index=x.columns)
    if live.sum() == 0 or yv.std() == 0:
        return out
    z = (xv[:, live] - xv[:, live].mean(0)) / xv[:, live].std(0)
    zy = (yv - yv.mean()) / yv.std()
    corr, r = (z.T @ z) / len(z), (z.T @ zy) / len(z)
    out[x.columns[live]] = METHODS[method](corr, r)
    return out


def driver_importance(comments: pd.DataFrame, sentences: pd.DataFrame, of: str = "dimension", *,
                      target: str = "satisfaction", matcher: TouchpointMatcher | None = None,
                      method: str | None = None, min_n: int | None = None,
                      settings: ScoringSettings | None = None) -> pd.DataFrame:
    """Importance of each driver for ``target`` (columns: :data:`DRIVER_COLUMNS`), most important first.

    ``target`` is ``satisfaction`` (the comment's own, from its sentiment) or a numeric column of
    ``comments``. Only scored comments with a target are used. Drivers with fewer than ``min_n``
    mentions are left out of the regression (listed in ``attrs["left_out"]``). More drivers than
    ``max_shapley`` switch the method to relative weights (``attrs["method"]`` says which ran).
    """
    s = resolve(settings, min_n=min_n, driver_method=method)
    rows = scoring_rows(comments, s)
    feats = driver_features(comments, sentences, of, matcher, s)
    feats.index = rows.index
    mentions = pd.Series(feats.attrs["mentions"], dtype=float)
    y = rows["satisfaction"] if target == "satisfaction" else pd.to_numeric(rows[target], errors="coerce")
    use = rows["scored"] & y.notna()
    keep = [d for d in feats.columns if mentions.get(d, 0) >= s.min_n]
    left_out = [d for d in feats.columns if d not in keep]
    method_used = s.driver_method if len(keep) <= s.max_shapley or s.driver_method != "shapley" else "relative_weights"
    x, yy = feats.loc[use, keep], y[use]
    if len(x) < 3 or not keep:
        raise ValueError(f"too little data for a driver analysis: {int(use.sum())} comments, drivers {keep}")
    parts = decompose_r2(x, yy, method_used)
    z = (x - x.mean()) / x.std(ddof=0).replace(0, np.nan)
    beta = pd.Series(np.linalg.lstsq(np.c_[np.ones(len(z)), z.fillna(0).to_numpy()],
                                     ((yy - yy.mean()) / yy.std(ddof=0)).to_numpy(), rcond=None)[0][1:], index=keep)
    r2 = float(parts.sum())
    table = pd.DataFrame({"driver": keep, "importance": (parts / r2).to_numpy() if r2 > 0 else 0.0,
                          "r2_part": parts.to_numpy(), "beta": beta.to_numpy(),
                          "mentions": mentions.reindex(keep).fillna(0).astype(int).to_numpy()})
    table = table.sort_values("importance", ascending=False, kind="stable").reset_index(drop=True)
    table["rank"] = np.arange(1, len(table) + 1)
    table.attrs.update(r2=r2, method=method_used, n=int(use.sum()), target=target, of=of, left_out=left_out,
                       mentions={d: int(mentions.get(d, 0)) for d in feats.columns},
                       excluded=int((~rows["scored"]).sum()))
    return table


def importance_performance(comments: pd.DataFrame, sentences: pd.DataFrame, of: str = "dimension", *,
                           target: str = "satisfaction", matcher: TouchpointMatcher | None = None,
                           method: str | None = None, prior_strength: float | str | None = None,
                           min_n: int | None = None, settings: ScoringSettings | None = None) -> pd.DataFrame:
    """Importance next to performance, with quadrant and priority (columns: :data:`IPA_COLUMNS`).

    Performance of a dimension is its :func:`~textcs.scoring.dimension_index` over all comments; of a
    touchpoint, its :func:`~textcs.scoring.touchpoint_index` (the sentences that mention it).
    """
    s = resolve(settings, min_n=min_n, driver_method=method, prior_strength=prior_strength)
    imp = driver_importance(comments, sentences, of, target=target, matcher=matcher, settings=s)
    if of == "dimension":
        perf = dimension_index(comments, sentences, by=None, settings=s).rename(columns={"dimension": "driver"})
    else:  # the same sentences as the importance: those that mention the touchpoint
        perf = touchpoint_index(comments, sentences, by=None, matcher=matcher, settings=s)
        perf = perf.rename(columns={"touchpoint": "driver"})
    perf = perf[["driver", "index", "ci_low", "ci_high", "n"]].rename(columns={"index": "performance"})
    left = pd.DataFrame({"driver": imp.attrs["left_out"],
                         "mentions": [imp.attrs["mentions"][d] for d in imp.attrs["left_out"]]})
    table = pd.concat([imp, left], ignore_index=True).merge(perf, on="driver", how="left")
    table["small"] = table["mentions"] < s.min_n
    big = table[~table["small"]]
    hi_imp = table["importance"] >= big["importance"].mean()
    hi_perf = table["performance"] >= big["performance"].mean()
    table["quadrant"] = np.select([hi_imp & ~hi_perf, hi_imp & hi_perf, ~hi_imp & ~hi_perf],
                                  list(QUADRANTS[:3]), QUADRANTS[3])
    order = {q: i for i, q in enumerate(QUADRANTS)}
    table["_q"] = table["quadrant"].map(order)
    table = table.sort_values(["small", "_q", "importance"], ascending=[True, True, False], kind="stable")
    table = table.drop(columns="_q").reset_index(drop=True)
    table["priority"] = np.arange(1, len(table) + 1)
    table.attrs.update(imp.attrs)
    return table


def contact_rollup(comments: pd.DataFrame, sentences: pd.DataFrame | None = None, *,
                   matcher: TouchpointMatcher | None = None, target: str = "satisfaction",
                   prior_strength: float | str | None = None, min_n: int | None = None,
                   settings: ScoringSettings | None = None) -> pd.DataFrame:
    """Index per contact level (high/medium/low), and with ``sentences`` the summed importance of its
    touchpoints (``importance``, ``n_touchpoints``) from :func:`driver_importance` with ``of="touchpoint"``."""
    s = resolve(settings, min_n=min_n, prior_strength=prior_strength)
    table = satisfaction_index(comments, by="contact_level", settings=s)
    if sentences is not None:
        imp = driver_importance(comments, sentences, "touchpoint", target=target, matcher=matcher, settings=s)
        rows = scoring_rows(comments, s)
        contact = {}
        for tps, cls in zip(rows.get("touchpoints", []), rows.get("contact_levels", [])):
            if isinstance(tps, str) and isinstance(cls, str):
                contact.update(zip(tps.split(";"), cls.split(";")))
        if matcher is not None:
            contact.update({d: matcher.contact(d) for d in imp["driver"] if matcher.contact(d)})
        imp["contact_level"] = imp["driver"].map(contact).fillna(s.missing_value)
        rolled = imp.groupby("contact_level").agg(importance=("importance", "sum"), n_touchpoints=("driver", "size"))
        table = table.merge(rolled.reset_index(), on="contact_level", how="left")
        table["importance"] = table["importance"].fillna(0.0)
        table["n_touchpoints"] = table["n_touchpoints"].fillna(0).astype(int)
        table.attrs.update(r2=imp.attrs["r2"], method=imp.attrs["method"])
    return table
