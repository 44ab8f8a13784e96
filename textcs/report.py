"""Scoring tables and the one-file HTML report over scored comments (``textcs index``, ``textcs report``).

Both read what ``textcs score`` writes: the comment rows and, optionally, the sentence rows (linked
by ``row``). :func:`scoring_tables` computes the :mod:`textcs.scoring` tables; :func:`render_report`
lays them out in one self-contained HTML file: charts are inline SVG from
:mod:`textcs.scoring.plots`, styles are inline, nothing is fetched (no CDN, no script), so the file
works offline and can be mailed. Example comments show their evidence: each sentence that carries
a label is highlighted through its ``start``/``end`` offsets into the original text.

>>> import pandas as pd
>>> comments = pd.DataFrame({"row": [0, 1], "text": ["Late again. Crew <b>kind</b>.", "Great app"],
...     "status": "ok", "score": [-0.4, 0.9], "polarity": ["negative", "positive"],
...     "failures": ["delay", ""], "servqual": ["reliability;empathy", "tangibles"],
...     "touchpoints": ["airline.cabin_crew", "app"], "contact_levels": ["high", "low"]})
>>> sentences = pd.DataFrame({"row": [0, 0], "start": [0, 12], "end": [11, 29],
...     "polarity": ["negative", "positive"], "servqual": ["reliability", "empathy"], "failures": ["delay", ""]})
>>> print(highlight(comments["text"][0], link_sentences(comments, sentences)))
<mark class="negative" title="negative; failures: delay; SERVQUAL: reliability">Late again.</mark> <mark class="positive" title="positive; SERVQUAL: empathy">Crew &lt;b&gt;kind&lt;/b&gt;.</mark>
>>> sorted(scoring_tables(comments))
['failures', 'index', 'paradox', 'recovery']
"""

from __future__ import annotations

import html
import io
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Sequence

import pandas as pd

from . import __version__

__all__ = ["TABLES", "auto_period", "scoring_tables", "link_sentences", "typed", "highlight", "masked", "examples",
           "render_report"]

# The tables, in the order they are printed and written (``textcs index -o index.csv`` writes
# ``index.csv`` and ``index.<name>.csv`` for the others).
TABLES = {
    "index": "satisfaction index 0-100 per group with interval (textcs.scoring.satisfaction_index)",
    "dimensions": "index per group x SERVQUAL dimension, from sentence evidence (needs sentences)",
    "failures": "failure rate per group and failure type with Wilson interval",
    "recovery": "recovery among comments reporting a failure",
    "paradox": "mean satisfaction by failure/recovery outcome (recovery paradox)",
    "periods": "index per period with change flags (needs --period)",
    "drivers": "importance-performance of the SERVQUAL dimensions, with priorities (needs sentences)",
}

# Columns of the score command's files that are numbers or flags (a CSV reads back as text).
_INTS = ("row", "sentence", "start", "end", "n_sentences", "comment")
_FLOATS_PREFIX = ("p_",)
_FLOATS = ("score",)


def typed(frame: pd.DataFrame) -> pd.DataFrame:
    """The score command's numeric columns as numbers again (CSV and TSV read back as text)."""
    out = frame.copy()
    for col in out.columns:
        if col in _INTS or col in _FLOATS or str(col).startswith(_FLOATS_PREFIX):
            if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
                out[col] = pd.to_numeric(out[col], errors="coerce")
    for col in ("servqual", "failures", "touchpoints", "contact_levels", "polarity", "recovery"):
        if col in out.columns:
            out[col] = out[col].fillna("").astype(str)
    return out


def link_sentences(comments: pd.DataFrame, sentences: pd.DataFrame) -> pd.DataFrame:
    """``sentences`` with ``comment``: the position in ``comments`` of each sentence's comment
    (the score command links them by ``row``). Raises ValueError when a sentence points at a row
    that is not in ``comments`` (the two files do not belong together)."""
    out = sentences.copy()
    if "row" not in out.columns or "row" not in comments.columns:
        if "comment" in out.columns:
            return out
        raise ValueError("the sentence rows need a 'row' column matching the comment rows (as textcs score writes them)")
    position = pd.Series(range(len(comments)), index=pd.to_numeric(comments["row"], errors="coerce").to_numpy())
    if not position.index.is_unique:
        raise ValueError("the comment rows' 'row' values are not unique")
    out["comment"] = pd.to_numeric(out["row"], errors="coerce").map(position)
    stray = int(out["comment"].isna().sum())
    if stray:
        raise ValueError(f"{stray} sentence rows point at rows not in the comment file; are they from the same run?")
    out["comment"] = out["comment"].astype(int)
    return out


_PERIOD_NAMES = {"D": "day", "W": "week", "M": "month", "Q": "quarter"}


def auto_period(comments: pd.DataFrame, date: str = "date") -> str | None:
    """A trend period for the span of ``comments[date]``: ``D`` up to a month, ``W`` up to half a
    year, ``M`` beyond; ``None`` without the column or with fewer than two readable dates.

    >>> auto_period(pd.DataFrame({"date": ["2024-01-01", "2024-02-20", "not a date"]}))
    'W'
    """
    if date not in comments.columns:
        return None
    when = pd.to_datetime(comments[date], errors="coerce", utc=True, format="mixed").dropna()
    if when.nunique() < 2:
        return None
    days = (when.max() - when.min()).days
    return "D" if days <= 31 else "W" if days <= 183 else "M"


def scoring_tables(comments: pd.DataFrame, sentences: pd.DataFrame | None = None,
                   by: str | Sequence[str] = "touchpoint", *, period: str | None = None, date: str = "date",
                   settings: Any = None) -> dict[str, pd.DataFrame]:
    """The :data:`TABLES` that the data allows, computed by :mod:`textcs.scoring`.

    ``by`` is ``touchpoint``, ``contact_level`` or columns of ``comments`` (a list groups by all).
    ``sentences`` (linked by :func:`link_sentences`) adds ``dimensions`` and ``drivers``; ``period``
    (``D``/``W``/``M``/``Q`` or ``day``/``week``/``month``/``quarter``) adds ``periods`` over
    ``comments[date]``. The recovery and paradox tables are overall (one group). A table the
    data is too small for is empty, with the reason in ``attrs["note"]``.
    """
    from . import scoring

    comments = typed(comments)
    tables = {"index": scoring.satisfaction_index(comments, by=by, settings=settings)}
    if sentences is not None:
        sentences = typed(link_sentences(comments, sentences))
        tables["dimensions"] = scoring.dimension_index(comments, sentences, by=by, settings=settings)
    tables["failures"] = scoring.failure_rates(comments, by=by, settings=settings)
    tables["recovery"] = scoring.recovery_rates(comments, by=None, settings=settings)
    tables["paradox"] = scoring.recovery_paradox(comments, by=None, settings=settings)
    if period is not None:
        tables["periods"] = scoring.period_index(comments, date=date, freq=period, by=by, settings=settings)
    if sentences is not None:
        try:
            tables["drivers"] = scoring.importance_performance(comments, sentences, of="dimension", settings=settings)
        except ValueError as exc:  # too few comments for a regression: say so rather than fail the rest
            tables["drivers"] = pd.DataFrame()
            tables["drivers"].attrs["note"] = str(exc)
    return {name: tables[name] for name in TABLES if name in tables}


def _clean(value: Any) -> str:
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)


def _labels(s: Any) -> list[str]:
    """A sentence's decided labels, for its title: failures, SERVQUAL dimensions, delight."""
    parts = []
    if _clean(getattr(s, "failures", "")):
        parts.append("failures: " + ", ".join(_clean(s.failures).split(";")))
    if _clean(getattr(s, "servqual", "")):
        parts.append("SERVQUAL: " + ", ".join(_clean(s.servqual).split(";")))
    if _clean(getattr(s, "delight", "")).lower() in ("true", "1", "1.0"):
        parts.append("delight")
    return parts


def highlight(text: Any, sentences: pd.DataFrame) -> str:
    """HTML of ``text`` in which each sentence that carries a label (a failure, a SERVQUAL dimension
    or delight) is a ``<mark>`` whose class is its polarity and whose title names its labels.
    ``sentences`` has the score command's ``start``, ``end``, ``polarity``, ``servqual``,
    ``failures`` (and ``delight``). Everything is HTML-escaped; offsets outside the text are clipped."""
    text = _clean(text)
    out, at = [], 0
    for s in sentences.sort_values("start").itertuples(index=False):
        start, end = max(int(s.start), at), min(int(s.end), len(text))
        labels = _labels(s)
        if end <= start or not labels:
            continue
        out.append(html.escape(text[at:start]))
        pol = _clean(getattr(s, "polarity", ""))
        cls = pol if pol in ("negative", "neutral", "positive") else "neutral"
        title = "; ".join([pol, *labels] if pol else labels)
        out.append(f'<mark class="{cls}" title="{html.escape(title)}">{html.escape(text[start:end])}</mark>')
        at = end
    out.append(html.escape(text[at:]))
    return "".join(out)


@dataclass(frozen=True)
class Example:
    """One example comment for the report: why it was picked, its labels and highlighted HTML."""

    why: str
    html: str
    polarity: str
    score: float
    labels: tuple[str, ...]
    touchpoints: str


def masked(sentences: pd.DataFrame) -> str:
    """Like :func:`highlight`, but built from each sentence's ``text`` (normalised, personal data
    replaced by placeholders such as ``<PHONE>``) rather than from the original comment.

    >>> print(masked(pd.DataFrame({"start": [0, 20], "end": [19, 40], "text": ["Call me on <PHONE>", "Bag lost."],
    ...                            "polarity": ["neutral", "negative"], "servqual": ["", ""], "failures": ["", "loss_damage"]})))
    Call me on &lt;PHONE&gt; <mark class="negative" title="negative; failures: loss_damage">Bag lost.</mark>
    """
    parts = []
    for s in sentences.sort_values("start").itertuples(index=False):
        body = _clean(s.text)
        parts.append(highlight(body, pd.DataFrame([{**s._asdict(), "start": 0, "end": len(body)}])))
    return " ".join(parts)


def examples(comments: pd.DataFrame, sentences: pd.DataFrame | None, text: str = "text",
             per_label: int = 1, limit: int = 12, mask_pii: bool = False) -> list[Example]:
    """Example comments: for each failure type reported, the one the model is surest of; then the
    most negative and the most delighted comments. Scored comments only, each shown once.
    ``mask_pii`` shows the masked sentence texts (see :func:`masked`) instead of the original."""
    comments = typed(comments).reset_index(drop=True)
    ok = comments[comments.get("status", pd.Series("ok", index=comments.index)).isin(["ok", "truncated"])]
    if sentences is not None:
        sentences = typed(link_sentences(comments, sentences))
    picks: list[tuple[int, str]] = []
    failures = sorted({f for v in ok.get("failures", []) for f in str(v).split(";") if f})
    for f in failures:
        has = ok[ok["failures"].str.split(";").map(lambda labels, f=f: f in labels)]
        col = f"p_failure_{f}"
        order = has.sort_values(col, ascending=False) if col in has else has
        picks += [(i, f"failure: {f}") for i in order.index[:per_label]]
    if "score" in ok:
        picks += [(i, "most negative") for i in ok.sort_values("score").index[:2]]
        delight = ok[ok["delight"].astype(str).str.lower().isin(["true", "1"])] if "delight" in ok else ok.iloc[:0]
        picks += [(i, "delight") for i in delight.sort_values("score", ascending=False).index[:2]]
    seen, out = set(), []
    for i, why in picks:
        if i in seen or len(out) >= limit:
            continue
        seen.add(i)
        row = comments.loc[i]
        sents = sentences[sentences["comment"] == i] if sentences is not None else pd.DataFrame(columns=["start", "end"])
        if mask_pii:
            body = masked(sents) if len(sents) else html.escape(_mask(row.get(text)))
        else:
            body = highlight(row.get(text), sents) if len(sents) else html.escape(_clean(row.get(text)))
        labels = tuple(x for x in (*str(row.get("failures", "")).split(";"), *str(row.get("servqual", "")).split(";")) if x)
        out.append(Example(why, body, str(row.get("polarity", "")), float(row.get("score", float("nan"))), labels,
                           str(row.get("touchpoints", ""))))
    return out


def _mask(value: Any) -> str:
    from . import preprocess

    return preprocess([_clean(value)])[0].text


def _svg(fig) -> str:
    """A figure as inline SVG: text stays text (smaller; the reader's fonts, Hangul included), and
    a per-figure hash salt keeps clip-path ids unique across the page."""
    import matplotlib

    buf = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": f"textcs{id(fig)}"}):
        fig.savefig(buf, format="svg", bbox_inches="tight")
    svg = buf.getvalue()
    return svg[svg.index("<svg"):]


def _charts(tables: dict[str, pd.DataFrame], by: Sequence[str]) -> dict[str, str]:
    from .scoring import plots

    by = list(by) or ["group"]
    group = by[0] if len(by) == 1 else "group"

    def labelled(table: pd.DataFrame) -> pd.DataFrame:
        # Several grouping columns: one label per group ("airline.check_in / United") for the charts.
        if len(by) == 1:
            return table
        return table.assign(group=table[by].astype(str).agg(" / ".join, axis=1)).drop(columns=by)

    charts = {"index": _svg(plots.plot_index(labelled(tables["index"]), group=group))}
    if "dimensions" in tables and len(tables["dimensions"]):
        charts["dimensions"] = _svg(plots.plot_dimension_heatmap(labelled(tables["dimensions"]), rows=group))
    if "periods" in tables and len(tables["periods"]):
        charts["periods"] = _svg(plots.plot_trend(labelled(tables["periods"]), group=group))
    if "drivers" in tables and len(tables["drivers"]) and len(tables["drivers"].dropna(subset=["importance", "performance"])):
        charts["drivers"] = _svg(plots.plot_importance_performance(tables["drivers"]))
    return charts


def _table_html(frame: pd.DataFrame, max_rows: int = 60) -> str:
    if frame.empty and frame.attrs.get("note"):
        return f'<p class="note">{html.escape(frame.attrs["note"])}</p>'
    shown = frame.head(max_rows).copy()
    for col in shown.columns:
        if pd.api.types.is_float_dtype(shown[col]):
            whole = bool((shown[col].dropna() % 1 == 0).all())  # counts and ranks that NaN made float
            shown[col] = shown[col].map(lambda v: "" if pd.isna(v) else f"{v:,.0f}" if whole
                                        else f"{v:,.3g}" if abs(v) < 1 else f"{v:,.1f}")
    more = f'<p class="note">{len(frame) - max_rows:,} more rows in the CSV (textcs index).</p>' if len(frame) > max_rows else ""
    return shown.to_html(index=False, escape=True, border=0, classes="data", na_rep="") + more


def _failure_bars(overall: pd.DataFrame) -> list[dict[str, Any]]:
    """Failure types over all scored comments (a ``failure_rates(by=None)`` table), most frequent first."""
    rows = overall[(overall["failure"] != "any") & (overall["n_failure"] > 0)].sort_values("rate", ascending=False)
    return rows[["failure", "n_failure", "n", "rate", "ci_low", "ci_high"]].to_dict("records")


def render_report(comments: pd.DataFrame, sentences: pd.DataFrame | None = None,
                  by: str | Sequence[str] = "touchpoint", *, period: str | None = None, date: str = "date",
                  text: str = "text", title: str = "Customer comments: service-quality report",
                  source: str = "", mask_pii: bool = False, settings: Any = None) -> str:
    """The report as one HTML string (see the module docstring); ``by``, ``period`` and ``date``
    as in :func:`scoring_tables` (``period="auto"`` picks one with :func:`auto_period`), ``text``
    the column of the comment text; ``mask_pii`` shows the example comments with personal data
    masked (see :func:`masked`)."""
    from jinja2 import Environment, FileSystemLoader, select_autoescape
    from markupsafe import Markup

    from .resources import data_path
    from .scoring import failure_rates

    keys = [by] if isinstance(by, str) else list(by)
    if period == "auto":
        period = auto_period(comments, date)
    tables = scoring_tables(comments, sentences, by=by, period=period, date=date, settings=settings)
    charts = {k: Markup(v) for k, v in _charts(tables, keys).items()}
    index = tables["index"]
    env = Environment(loader=FileSystemLoader(data_path("templates")), autoescape=select_autoescape(["html", "j2"]))
    statuses = typed(comments).get("status", pd.Series(dtype=str)).value_counts().to_dict()
    return env.get_template("report.html.j2").render(
        title=title, source=source, version=__version__,
        generated=datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        n_rows=len(comments), statuses=statuses, n_excluded=int(index.attrs.get("excluded", 0)),
        overall=index.attrs.get("overall"), by=", ".join(keys), period=_PERIOD_NAMES.get(str(period).upper()[:1], period),
        charts=charts, tables={k: Markup(_table_html(v)) for k, v in tables.items()},
        descriptions=TABLES, failure_bars=_failure_bars(failure_rates(typed(comments), by=None, settings=settings)),
        recovery=tables["recovery"].to_dict("records"),
        examples=examples(comments, sentences, text=text, mask_pii=mask_pii), has_sentences=sentences is not None,
        mask_pii=mask_pii,
    )
