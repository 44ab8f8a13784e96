"""SERVQUAL dimension index per group (touchpoint by default), from sentence-level evidence.

A sentence is evidence for a dimension when the analyzer decided that dimension for it; its
satisfaction is ``100 * (p_positive + p_neutral / 2)`` of the sentence. Each comment contributes one
unit per (group, dimension): the mean of its evidence sentences, so that a long comment does not
count many times and the intervals stay honest. Units are then summarised as in
:func:`~textcs.scoring.satisfaction_index`, shrunk toward the dimension's mean over all groups.

Which touchpoint a sentence is about: with ``matcher=None``, every touchpoint of its comment (right
when the touchpoint comes from the data, e.g. a call-centre survey). With a
:class:`~textcs.touchpoints.TouchpointMatcher`, the touchpoints whose cues occur in the sentence;
a sentence without a cue keeps its comment's touchpoints (see :func:`sentence_touchpoints`).

>>> import pandas as pd
>>> comments = pd.DataFrame({"status": ["ok", "ok"], "score": [0.0, -0.2],
...                          "touchpoints": ["call_centre", "call_centre"], "contact_levels": ["high", "high"]})
>>> sentences = pd.DataFrame({"comment": [0, 0, 1], "text": ["a", "b", "c"], "score": [-0.6, 0.4, -0.2],
...                           "servqual": ["empathy", "reliability", "empathy;responsiveness"]})
>>> t = dimension_index(comments, sentences, prior_strength=0)
>>> t[["touchpoint", "dimension", "n", "index", "label"]]
    touchpoint       dimension  n  index          label
0  call_centre     reliability  1   70.0       70 (n=1)
1  call_centre  responsiveness  1   40.0       40 (n=1)
2  call_centre         empathy  2   30.0  30 (10 to 50)
"""

from __future__ import annotations

from typing import Sequence

import numpy as np
import pandas as pd

from ..taxonomy import load_taxonomy
from ..touchpoints import TouchpointMatcher
from .estimates import summarise
from .frames import SPECIAL_GROUPS, comment_satisfaction, explode_groups, normalise_by, scoring_rows, sort_groups
from .index import SHARE_MEANS
from .settings import ScoringSettings, resolve

__all__ = ["dimension_index", "touchpoint_index", "sentence_touchpoints", "DIMENSION_COLUMNS", "dimensions"]

DIMENSION_COLUMNS = {
    "<by columns>": "the group",
    "dimension": "SERVQUAL dimension",
    "n": "comments with evidence sentences for the dimension in the group",
    "n_sentences": "evidence sentences",
    "index, ci_low, ci_high": "dimension index 0-100 (shrunk toward the dimension's overall mean) and interval",
    "mean, mean_ci_low, mean_ci_high": "plain mean over comments and its t interval",
    "share_negative, share_neutral, share_positive, net_sentiment, delight_rate": "over evidence sentences",
    "small": "n < min_n",
    "label": "'41 (35 to 47)', or '41 (n=1)' where no interval can be given",
}


def dimensions() -> tuple[str, ...]:
    """The SERVQUAL dimensions, in taxonomy order."""
    return load_taxonomy().labels("servqual")


def sentence_touchpoints(comments: pd.DataFrame, sentences: pd.DataFrame, matcher: TouchpointMatcher | None = None,
                         inherit: bool = True) -> pd.DataFrame:
    """``sentences`` with ``touchpoints`` and ``contact_levels`` columns (';'-joined) per sentence.

    ``sentences["comment"]`` is the position of the sentence's comment in ``comments``. Without a
    matcher each sentence takes its comment's touchpoints. With one, the touchpoints whose cues occur
    in ``sentences["text"]``; sentences without a cue take the comment's when ``inherit`` is true and
    are left empty otherwise.
    """
    out = sentences.copy()
    pos = out["comment"].to_numpy(int)
    c_tp = comments["touchpoints"].fillna("").astype(str).to_numpy()[pos] if len(out) else np.array([], object)
    c_cl = (comments["contact_levels"].fillna("").astype(str).to_numpy()[pos]
            if "contact_levels" in comments and len(out) else np.full(len(out), "", object))
    if matcher is None:
        out["touchpoints"], out["contact_levels"] = c_tp, c_cl
        return out
    found = [matcher.find(t) if isinstance(t, str) else [] for t in out["text"]]
    tp = [";".join(m.id for m in f) for f in found]
    cl = [";".join(m.contact for m in f) for f in found]
    if inherit:
        tp = [t or c for t, c in zip(tp, c_tp)]
        cl = [l if t else c for l, t, c in zip(cl, [";".join(m.id for m in f) for f in found], c_cl)]
    out["touchpoints"], out["contact_levels"] = tp, cl
    return out


def dimension_index(comments: pd.DataFrame, sentences: pd.DataFrame, by: str | Sequence[str] | None = "touchpoint", *,
                    matcher: TouchpointMatcher | None = None, prior_strength: float | str | None = None,
                    confidence: float | None = None, min_n: int | None = None,
                    settings: ScoringSettings | None = None) -> pd.DataFrame:
    """Index per group x SERVQUAL dimension (columns: :data:`DIMENSION_COLUMNS`).

    ``by`` as in :func:`~textcs.scoring.satisfaction_index`: ``touchpoint`` and ``contact_level`` are
    taken per sentence (see the module docstring), other columns from the sentence's comment.
    Sentences of excluded comments are not used; ``attrs["excluded"]`` counts those comments.
    """
    s = resolve(settings, prior_strength=prior_strength, confidence=confidence, min_n=min_n)
    return _sentence_table(comments, sentences, normalise_by(by), "dimension", matcher, True, s)


def touchpoint_index(comments: pd.DataFrame, sentences: pd.DataFrame, by: str | Sequence[str] | None = None, *,
                     matcher: TouchpointMatcher | None = None, inherit: bool = False,
                     prior_strength: float | str | None = None, confidence: float | None = None,
                     min_n: int | None = None, settings: ScoringSettings | None = None) -> pd.DataFrame:
    """Index per group x touchpoint from the sentences about the touchpoint (columns as
    :data:`DIMENSION_COLUMNS`, with ``touchpoint`` in place of ``dimension``).

    Where :func:`~textcs.scoring.satisfaction_index` scores a whole comment for each touchpoint it
    mentions, this scores only the sentences that mention the touchpoint (``matcher`` given; with
    ``inherit`` also sentences without a cue, under their comment's touchpoints), so "great crew,
    awful seat" counts positive for the crew and negative for the seat. Without a matcher every
    sentence counts for all its comment's touchpoints. Shrinkage is toward the touchpoint's mean.

    >>> import pandas as pd
    >>> from textcs.touchpoints import TouchpointMatcher
    >>> comments = pd.DataFrame({"status": "ok", "score": [0.0], "touchpoints": ["airline.cabin_crew;airline.seat_cabin"]})
    >>> sentences = pd.DataFrame({"comment": [0, 0], "text": ["Great crew.", "Awful seat."], "score": [0.8, -0.8]})
    >>> t = touchpoint_index(comments, sentences, matcher=TouchpointMatcher.for_industry("airline"), prior_strength=0)
    >>> t[["touchpoint", "n", "index"]]
               touchpoint  n  index
    0  airline.cabin_crew  1   90.0
    1  airline.seat_cabin  1   10.0
    """
    s = resolve(settings, prior_strength=prior_strength, confidence=confidence, min_n=min_n)
    keys = [k for k in normalise_by(by) if k != "touchpoint"]
    return _sentence_table(comments, sentences, keys, "touchpoint", matcher, inherit, s)


def _sentence_table(comments: pd.DataFrame, sentences: pd.DataFrame, keys: list[str], of: str,
                    matcher: TouchpointMatcher | None, inherit: bool, s: ScoringSettings) -> pd.DataFrame:
    """One unit per (comment, group, ``of``): the mean of its sentences; then summarised per group x ``of``,
    shrunk toward the mean of each ``of`` value."""
    rows = scoring_rows(comments, s)
    sent = sentence_touchpoints(comments.reset_index(drop=True), sentences, matcher, inherit)
    sent["satisfaction"] = comment_satisfaction(sent).to_numpy()
    sent["row"] = sent["comment"].to_numpy(int)
    user_cols = [k for k in keys if k not in SPECIAL_GROUPS]
    probe = scoring_rows(sent.drop(columns=[c for c in ("status",) if c in sent]), s)
    for c in SHARE_MEANS.values():
        sent[c] = probe[c].to_numpy()
    meta = rows[["row", "scored", *[c for c in user_cols if c in rows]]]
    sent = sent.drop(columns=[c for c in user_cols if c in sent]).merge(meta, on="row", how="left")
    sent = sent[sent["scored"].fillna(False).astype(bool) & sent["satisfaction"].notna()]
    if not keys:
        sent["group"] = "all"
        keys = ["group"]
    if of == "dimension":
        sent["dimension"] = [[d for d in v.split(";") if d] if isinstance(v, str) else [] for v in sent["servqual"]]
        sent = sent.explode("dimension").dropna(subset=["dimension"])
        units = explode_groups(sent, keys, s)
    else:
        units = explode_groups(sent, [*keys, "touchpoint"], s)
        units = units[units["touchpoint"] != s.no_touchpoint]
    cols = ["satisfaction", *SHARE_MEANS.values()]
    per_comment = units.groupby(["row", *keys, of], dropna=False).agg(
        n_sentences=("satisfaction", "size"), **{c: (c, "mean") for c in cols}).reset_index()
    if per_comment.empty:
        raise ValueError(f"no {of} evidence sentences in scorable comments")
    table, used = summarise(per_comment, [*keys, of], "satisfaction", [of], s.prior_strength,
                            s.confidence, {**SHARE_MEANS, "n_sentences": "n_sentences"})
    table["n_sentences"] = (table["n_sentences"] * table["n"]).round().astype(int)
    table["net_sentiment"] = table["share_positive"] - table["share_negative"]
    table["small"] = table["n"] < s.min_n
    if of == "dimension":
        order = {d: i for i, d in enumerate(dimensions())}
        table = sort_groups(table, [*keys, of], {of: order})
    table["label"] = [f"{i:.0f} (n={n})" if n < 2 else f"{i:.0f} ({lo:.0f} to {hi:.0f})"
                      for i, lo, hi, n in zip(table["index"], table["ci_low"], table["ci_high"], table["n"])]
    table = table[[*keys, of, "n", "n_sentences", "index", "ci_low", "ci_high", "mean", "mean_ci_low",
                   "mean_ci_high", "share_negative", "share_neutral", "share_positive", "net_sentiment",
                   "delight_rate", "small", "label"]]
    table.attrs.update(prior_strength=used, excluded=int((~rows["scored"]).sum()), confidence=s.confidence)
    return table
