"""The analyzer: comments in, labelled comments (with their labelled sentences) out.

Per comment: preprocess, then featurize every sentence and the whole comment in one batch and apply
the heads. Roll-up:
- polarity, score, delight and recovery come from the whole comment;
- SERVQUAL dimensions and failure types come from the sentences. A comment's probability for a label
  is its highest sentence probability, and the label is decided when it passes that label's tuned
  threshold (tuned per language where the dev data allows). ``evidence`` names the sentences that carry each decided label. When the model's
  ``service`` gate says a sentence is about the people or process of the service but no single
  dimension passes its threshold, the most probable of reliability, responsiveness, assurance and
  empathy is decided;
- recovery is ``none`` unless some sentence reports a failure;
- touchpoints come from the data's touchpoint column when given, else from catalog cue words, with
  the matched span.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Sequence

import numpy as np
import pandas as pd

from ..features import Unit
from ..preprocess import Preprocessor, Record
from ..touchpoints import TouchpointMatch, TouchpointMatcher
from .model import LANGUAGE_GROUP, TextcsModel

__all__ = ["Analyzer", "CommentResult", "input_names", "SentenceResult", "COMMENT_COLUMNS", "SENTENCE_COLUMNS"]

_CARE = ("reliability", "responsiveness", "assurance", "empathy")


@dataclass(frozen=True)
class SentenceResult:
    """One sentence: offsets into the original comment, text, and its own labels."""

    start: int
    end: int
    text: str
    polarity: str
    polarity_proba: dict[str, float]
    score: float
    delight: bool
    servqual: tuple[str, ...]
    servqual_proba: dict[str, float]
    failures: tuple[str, ...]
    failures_proba: dict[str, float]


@dataclass(frozen=True)
class CommentResult:
    """One comment's labels; ``evidence`` maps each decided label to the indices of its sentences."""

    index: int
    status: str
    reason: str
    language: str
    polarity: str = ""
    polarity_proba: dict[str, float] = field(default_factory=dict)
    score: float = 0.0
    delight: bool = False
    delight_proba: float = 0.0
    servqual: tuple[str, ...] = ()
    servqual_proba: dict[str, float] = field(default_factory=dict)
    failures: tuple[str, ...] = ()
    failures_proba: dict[str, float] = field(default_factory=dict)
    recovery: str = "none"
    recovery_proba: dict[str, float] = field(default_factory=dict)
    touchpoints: tuple[TouchpointMatch, ...] = ()
    sentences: tuple[SentenceResult, ...] = ()
    evidence: dict[str, tuple[int, ...]] = field(default_factory=dict)


COMMENT_COLUMNS = {
    "status": "ok / empty / truncated / invalid",
    "reason": "why the status is not ok (or what was repaired)",
    "language": "ko / en / mixed / other",
    "polarity": "negative / neutral / positive",
    "score": "P(positive) - P(negative), in [-1, 1]",
    "p_negative, p_neutral, p_positive": "polarity probabilities",
    "delight, p_delight": "service exceeded expectations (bool) and its probability",
    "servqual": "decided SERVQUAL dimensions, ';'-joined",
    "p_<dimension>": "probability per SERVQUAL dimension (highest over sentences)",
    "failures": "decided failure types, ';'-joined",
    "p_failure_<type>": "probability per failure type (highest over sentences)",
    "recovery, p_recovery_<class>": "none / successful / failed and probabilities",
    "touchpoints, contact_levels": "';'-joined touchpoint ids and their contact levels",
    "n_sentences": "number of sentences",
}
SENTENCE_COLUMNS = {
    "comment": "position of the comment in the input (plus the caller's id column, if named)",
    "sentence": "position of the sentence in the comment",
    "start, end": "character offsets into the original comment",
    "text": "the sentence, normalised and PII-masked",
    "polarity, score, p_negative, p_neutral, p_positive": "the sentence's own sentiment",
    "delight": "the sentence says the service exceeded expectations",
    "servqual, failures, p_*": "the sentence's own decisions and probabilities",
}


class Analyzer:
    """Comments -> :class:`CommentResult`; see the module docstring for the roll-up rules.

    >>> import textcs
    >>> a = textcs.load()
    >>> r = a.analyze(["Flight was 3 hours late and nobody told us anything."])[0]
    >>> r.polarity, "delay" in r.failures
    ('negative', True)
    """

    def __init__(self, model: TextcsModel, profile: str = "default", industry: str | None = None,
                 preprocessor: Preprocessor | None = None):
        if profile not in model.profiles():
            raise ValueError(f"profile {profile!r} not in this model ({model.profiles()})")
        self.model = model
        self.profile = profile
        self.preprocessor = preprocessor or Preprocessor()
        self.matcher = TouchpointMatcher.for_industry(industry)

    @classmethod
    def from_pretrained(cls, path: str | Path, **kwargs: Any) -> "Analyzer":
        return cls(TextcsModel.from_pretrained(path), **kwargs)

    # -- the core
    def analyze(self, texts: Iterable[Any], touchpoints: Sequence[Any] | None = None) -> list[CommentResult]:
        """Analyze comments. ``touchpoints`` (one value per comment, ``None`` to infer) overrides
        touchpoint inference where given."""
        return self._analyze_records(self.preprocessor(texts), touchpoints)

    def _analyze_records(self, records: list[Record], touchpoints: Sequence[Any] | None) -> list[CommentResult]:
        units: list[Unit] = []
        groups: list[str] = []  # language group per unit, for per-language heads
        spans: list[tuple[int, int, int]] = []  # per ok record: comment row, first sentence row, n
        for r in records:
            if not r.ok or not r.sentences:
                spans.append((-1, -1, 0))
                continue
            first = len(units)
            units.extend(Unit.of(s.text, s.tokens) for s in r.sentences)
            if len(r.sentences) == 1 and r.sentences[0].text == r.text:
                spans.append((first, first, 1))  # the comment is its one sentence: same features
            else:
                units.append(Unit.of(r.text, [t for s in r.sentences for t in s.tokens]))
                spans.append((len(units) - 1, first, len(r.sentences)))
            groups.extend([LANGUAGE_GROUP.get(r.language, "en")] * (len(units) - first))
        proba = self.model.predict_proba(self.model.features(units, self.profile), self.profile, groups) if units else {}
        results = []
        for i, (r, (c_row, s_row, n)) in enumerate(zip(records, spans)):
            given = touchpoints[i] if touchpoints is not None else None
            if c_row < 0:
                status, reason = r.status, r.reason
                if r.ok:  # processed but no sentence left (only emoji or symbols)
                    reason = reason or "no sentence to analyze"
                results.append(CommentResult(r.index, status, reason, r.language,
                                             touchpoints=self._touchpoints(r.original, given)))
                continue
            results.append(self._comment(r, proba, c_row, s_row, n, given))
        return results

    def _labels(self, task: str) -> list[str]:
        return self.model.tasks[task].labels

    def _comment(self, r: Record, proba: dict[str, np.ndarray], c_row: int, s_row: int, n: int, given) -> CommentResult:
        pol_labels = self._labels("polarity")
        lang = r.language
        t_sq = self.model.thresholds("servqual", self.profile, lang)
        t_fail = self.model.thresholds("failures", self.profile, lang)
        t_del = float(self.model.thresholds("delight", self.profile, lang)[0])
        sq_labels = self._labels("servqual")
        care = [sq_labels.index(d) for d in _CARE if d in sq_labels]
        t_gate = float(self.model.thresholds("service", self.profile, lang)[0]) if "service" in proba else None
        sentences = []
        for k in range(n):
            row = s_row + k
            s = r.sentences[k]
            p_pol = proba["polarity"][row]
            sq, fl = proba["servqual"][row], proba["failures"][row]
            decided = sq >= t_sq
            if t_gate is not None and proba["service"][row][0] >= t_gate and not decided[care].any():
                decided[care[int(np.argmax(sq[care]))]] = True
            sentences.append(SentenceResult(
                s.start, s.end, s.text,
                pol_labels[int(p_pol.argmax())], _as_dict(pol_labels, p_pol), _score(pol_labels, p_pol),
                bool(proba["delight"][row][0] >= t_del),
                tuple(l for l, d in zip(sq_labels, decided) if d), _as_dict(sq_labels, sq),
                tuple(l for l, p, t in zip(self._labels("failures"), fl, t_fail) if p >= t), _as_dict(self._labels("failures"), fl),
            ))
        evidence: dict[str, tuple[int, ...]] = {}
        sq_max = proba["servqual"][s_row:s_row + n].max(axis=0)
        fl_max = proba["failures"][s_row:s_row + n].max(axis=0)
        for task in ("servqual", "failures"):
            for label in self._labels(task):
                carriers = tuple(k for k, s in enumerate(sentences) if label in getattr(s, task))
                if carriers:
                    evidence[label] = carriers
        p_pol = proba["polarity"][c_row]
        polarity = pol_labels[int(p_pol.argmax())]
        evidence[f"polarity:{polarity}"] = tuple(k for k, s in enumerate(sentences) if s.polarity == polarity) or tuple(range(n))
        failures = tuple(l for l in self._labels("failures") if l in evidence)
        p_rec = proba["recovery"][c_row]
        rec_labels = self._labels("recovery")
        recovery = rec_labels[int(p_rec.argmax())] if failures else "none"
        p_del = float(proba["delight"][c_row][0])
        return CommentResult(
            index=r.index, status=r.status, reason=r.reason, language=r.language,
            polarity=polarity, polarity_proba=_as_dict(pol_labels, p_pol), score=_score(pol_labels, p_pol),
            delight=p_del >= t_del, delight_proba=round(p_del, 4),
            servqual=tuple(l for l in self._labels("servqual") if l in evidence),
            servqual_proba=_as_dict(self._labels("servqual"), sq_max),
            failures=failures, failures_proba=_as_dict(self._labels("failures"), fl_max),
            recovery=recovery, recovery_proba=_as_dict(rec_labels, p_rec),
            touchpoints=self._touchpoints(r.original, given),
            sentences=tuple(sentences), evidence=evidence,
        )

    def _touchpoints(self, original: str, given) -> tuple[TouchpointMatch, ...]:
        if given is not None and not (isinstance(given, float) and np.isnan(given)) and str(given).strip():
            ids = [t.strip() for t in str(given).split(";") if t.strip()]
            return tuple(TouchpointMatch(t, self.matcher.contact(t), -1, -1, "(from data)") for t in ids)
        return tuple(self.matcher.find(original))

    # -- frames
    def analyze_frame(self, df: pd.DataFrame, text: str = "text", touchpoint: str | None = None,
                      id: str | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
        """Analyze ``df[text]``; returns ``(comments, sentences)`` frames.

        ``comments`` keeps every column of ``df`` (and its index; one named like an output column is
        renamed ``input_<name>``) and adds :data:`COMMENT_COLUMNS`;
        ``sentences`` has one row per sentence (:data:`SENTENCE_COLUMNS`), with ``df[id]`` when named.
        A ``touchpoint`` column overrides touchpoint inference where it has a value.
        """
        if text not in df.columns:
            raise KeyError(f"column {text!r} not in the frame (columns: {list(df.columns)})")
        given = df[touchpoint].tolist() if touchpoint else None
        results = self.analyze(df[text].tolist(), touchpoints=given)
        comments, sentences = self.to_frames(results)
        comments.index = df.index
        renamed = input_names(list(df.columns), list(comments.columns))
        comments = pd.concat([df.rename(columns=renamed), comments], axis=1)
        if id is not None:
            sentences.insert(0, id, df[id].to_numpy()[sentences["comment"].to_numpy()] if len(sentences) else [])
        return comments, sentences

    def to_frames(self, results: Sequence[CommentResult]) -> tuple[pd.DataFrame, pd.DataFrame]:
        """``(comments, sentences)`` frames of results (columns documented in COMMENT_COLUMNS, SENTENCE_COLUMNS)."""
        sq, fl = self._labels("servqual"), self._labels("failures")
        pol, rec = self._labels("polarity"), self._labels("recovery")
        crow, srow = [], []
        for pos, r in enumerate(results):
            row = {
                "status": r.status, "reason": r.reason, "language": r.language, "polarity": r.polarity,
                "score": r.score, **{f"p_{l}": r.polarity_proba.get(l, np.nan) for l in pol},
                "delight": r.delight, "p_delight": r.delight_proba,
                "servqual": ";".join(r.servqual), **{f"p_{l}": r.servqual_proba.get(l, np.nan) for l in sq},
                "failures": ";".join(r.failures), **{f"p_failure_{l}": r.failures_proba.get(l, np.nan) for l in fl},
                "recovery": r.recovery if r.status in ("ok", "truncated") else "",
                **{f"p_recovery_{l}": r.recovery_proba.get(l, np.nan) for l in rec},
                "touchpoints": ";".join(t.id for t in r.touchpoints),
                "contact_levels": ";".join(t.contact for t in r.touchpoints),
                "n_sentences": len(r.sentences),
            }
            crow.append(row)
            for k, s in enumerate(r.sentences):
                srow.append({
                    "comment": pos, "sentence": k, "start": s.start, "end": s.end, "text": s.text,
                    "polarity": s.polarity, "score": s.score, **{f"p_{l}": s.polarity_proba[l] for l in pol},
                    "delight": s.delight, "servqual": ";".join(s.servqual), "failures": ";".join(s.failures),
                    **{f"p_{l}": s.servqual_proba[l] for l in sq}, **{f"p_failure_{l}": s.failures_proba[l] for l in fl},
                })
        scols = ["comment", "sentence", "start", "end", "text", "polarity", "score", *[f"p_{l}" for l in pol],
                 "delight", "servqual", "failures", *[f"p_{l}" for l in sq], *[f"p_failure_{l}" for l in fl]]
        return pd.DataFrame(crow), pd.DataFrame(srow, columns=scols)


def input_names(names: Sequence[str], outputs: Sequence[str]) -> dict[str, str]:
    """New names for the caller's columns that an output column would shadow: ``input_<name>``
    (prefixed again until unique), so every column of a result frame keeps a unique name.

    >>> input_names(["id", "language"], ["status", "language"])
    {'language': 'input_language'}
    """
    taken, out = set(outputs), {}
    for name in names:
        if name in taken:
            new = f"input_{name}"
            while new in taken or new in names:
                new = f"input_{new}"
            out[name] = new
    return out


def _as_dict(labels: Sequence[str], p: np.ndarray) -> dict[str, float]:
    return dict(zip(labels, np.round(p.astype(np.float64), 4).tolist()))


def _score(labels: Sequence[str], p: np.ndarray) -> float:
    d = dict(zip(labels, p))
    return round(float(d.get("positive", 0.0) - d.get("negative", 0.0)), 4)
