"""Matplotlib figures of the scoring tables. Each function returns a :class:`matplotlib.figure.Figure`
built without pyplot (no global state, no window: the Agg canvas), to save with ``fig.savefig(path)``.

>>> import pandas as pd
>>> from textcs.scoring import satisfaction_index
>>> comments = pd.DataFrame({"status": "ok", "score": [0.8, 0.2, -0.6, 0.1], "touchpoints": ["app", "app", "shop", "shop"]})
>>> fig = plot_index(satisfaction_index(comments))
>>> type(fig).__name__, fig.axes[0].get_xlabel()
('Figure', 'satisfaction index (0-100)')
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

__all__ = ["plot_index", "plot_dimension_heatmap", "plot_importance_performance", "plot_trend"]


def _group_label(table: pd.DataFrame, group: str | None) -> str:
    """The group column: ``group``, else the table's first column (the scoring tables put keys first)."""
    if group:
        return group
    if table.columns[0] in ("n", "period"):
        raise ValueError("cannot tell the group column; pass group=")
    return str(table.columns[0])


def plot_index(table: pd.DataFrame, group: str | None = None, title: str | None = None,
               max_groups: int = 30) -> Figure:
    """Horizontal bars of ``index`` with ``ci_low``-``ci_high`` error bars per group (a table of
    :func:`~textcs.scoring.satisfaction_index`), lowest first, n beside each; a line at the overall mean."""
    group = _group_label(table, group)
    t = table.dropna(subset=["index"]).sort_values("index").tail(max_groups)
    fig = Figure(figsize=(7, 0.35 * len(t) + 1.5), layout="constrained")
    ax = fig.subplots()
    y = np.arange(len(t))
    err = np.vstack([t["index"] - t["ci_low"], t["ci_high"] - t["index"]])
    colors = ["0.6" if s else "C0" for s in t.get("small", pd.Series(False, index=t.index))]
    ax.barh(y, t["index"], xerr=err, color=colors, capsize=3, error_kw={"elinewidth": 1})
    for yi, (idx, n) in enumerate(zip(t["index"], t["n"])):
        ax.text(1, yi, f"n={n}", va="center", fontsize=8, color="white")
    ax.set_yticks(y, t[group].astype(str))
    if "overall" in table.attrs:
        ax.axvline(table.attrs["overall"], color="k", ls="--", lw=1, label="overall mean")
        ax.legend(loc="lower right", fontsize=8)
    ax.set_xlim(0, 100)
    ax.set_xlabel("satisfaction index (0-100)")
    ax.set_title(title or f"Satisfaction index by {group} (grey: n < min_n)")
    return fig


def plot_dimension_heatmap(table: pd.DataFrame, rows: str = "touchpoint", cols: str = "dimension",
                           title: str | None = None) -> Figure:
    """Heat map of ``index`` (0 red, 100 green) over ``rows`` x ``cols`` (a table of
    :func:`~textcs.scoring.dimension_index`), each cell annotated with its index and n."""
    grid = table.pivot_table(index=rows, columns=cols, values="index", aggfunc="first")
    ns = table.pivot_table(index=rows, columns=cols, values="n", aggfunc="first").reindex_like(grid)
    if cols == "dimension":
        from .dimensions import dimensions
        order = [d for d in dimensions() if d in grid.columns]
        grid, ns = grid[order], ns[order]
    fig = Figure(figsize=(1.4 * grid.shape[1] + 3, 0.45 * grid.shape[0] + 1.5), layout="constrained")
    ax = fig.subplots()
    im = ax.imshow(grid.to_numpy(float), cmap="RdYlGn", vmin=0, vmax=100, aspect="auto")
    for i in range(grid.shape[0]):
        for j in range(grid.shape[1]):
            v, n = grid.iat[i, j], ns.iat[i, j]
            if np.isfinite(v):
                ax.text(j, i, f"{v:.0f}\nn={n:.0f}", ha="center", va="center", fontsize=7)
    ax.set_xticks(range(grid.shape[1]), grid.columns.astype(str), rotation=30, ha="right")
    ax.set_yticks(range(grid.shape[0]), grid.index.astype(str))
    fig.colorbar(im, ax=ax, label="index (0-100)")
    ax.set_title(title or f"Index by {rows} and {cols}")
    return fig


def plot_importance_performance(table: pd.DataFrame, title: str | None = None) -> Figure:
    """Importance (x) against performance (y) of each driver (a table of
    :func:`~textcs.scoring.importance_performance`), split at the means, priority numbers beside points."""
    t = table.dropna(subset=["importance", "performance"])
    fig = Figure(figsize=(7, 5.5), layout="constrained")
    ax = fig.subplots()
    big = t[~t["small"]] if "small" in t else t
    ax.errorbar(t["importance"], t["performance"], yerr=np.vstack([t["performance"] - t["ci_low"], t["ci_high"] - t["performance"]]),
                fmt="o", capsize=3)
    for _, r in t.iterrows():
        ax.annotate(f"{r['priority']}. {r['driver']}", (r["importance"], r["performance"]), textcoords="offset points",
                    xytext=(5, 4), fontsize=8)
    if len(big):
        ax.axvline(big["importance"].mean(), color="0.5", ls="--", lw=1)
        ax.axhline(big["performance"].mean(), color="0.5", ls="--", lw=1)
    ax.text(0.98, 0.02, "concentrate here", transform=ax.transAxes, ha="right", color="C3", fontsize=9)
    ax.text(0.98, 0.97, "keep up the good work", transform=ax.transAxes, ha="right", va="top", color="C2", fontsize=9)
    ax.set_xlabel("importance (share of explained R²)")
    ax.set_ylabel("performance (index 0-100)")
    ax.set_title(title or "Importance-performance")
    return fig


def plot_trend(table: pd.DataFrame, group: str | None = None, title: str | None = None, max_groups: int = 8) -> Figure:
    """Index per period with its interval band, one line per group (a table of
    :func:`~textcs.scoring.period_index`); flagged changes marked ▲/▼. The groups with most comments are drawn."""
    group = _group_label(table, group)
    top = table.groupby(group)["n"].sum().nlargest(max_groups).index
    fig = Figure(figsize=(8, 4.5), layout="constrained")
    ax = fig.subplots()
    for k, (name, part) in enumerate((g, table[table[group] == g].sort_values("period")) for g in top):
        color = f"C{k % 10}"
        ax.plot(part["period"], part["index"], marker="o", ms=3, color=color, label=str(name))
        ax.fill_between(part["period"], part["ci_low"], part["ci_high"], color=color, alpha=0.15)
        for flag, mark in (("up", "^"), ("down", "v")):
            hit = part[part["flag"] == flag]
            ax.scatter(hit["period"], hit["index"], marker=mark, s=70, color=color, edgecolor="k", zorder=3)
    ax.set_ylim(0, 100)
    ax.set_ylabel("satisfaction index (0-100)")
    ax.legend(fontsize=8, loc="best")
    alpha = table.attrs.get("alpha")
    ax.set_title(title or f"Index by period{'' if alpha is None else f' (▲▼ change at p < {alpha})'}")
    fig.autofmt_xdate()
    return fig
