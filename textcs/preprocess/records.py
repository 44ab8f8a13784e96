"""Result types of preprocessing: plain frozen dataclasses with ``to_frame`` helpers.

All offsets (``start``, ``end``) are character offsets into :attr:`Record.original`, so
``record.original[s.start:s.end]`` is the evidence span of sentence ``s``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Literal

import pandas as pd

__all__ = ["Token", "Sentence", "Record", "STATUSES", "to_frame", "sentences_frame"]

Status = Literal["ok", "empty", "truncated", "invalid"]
STATUSES: tuple[str, ...] = ("ok", "empty", "truncated", "invalid")


@dataclass(frozen=True, slots=True)
class Token:
    """One spaCy token: surface text (normalised), lemma, Universal POS, fine tag (Kiwi tags for
    Korean, joined with ``+`` where morphemes share characters), offsets into the original."""

    text: str
    lemma: str
    pos: str
    tag: str
    start: int
    end: int

    def __repr__(self) -> str:
        # Korean tokens show Kiwi's tag; English ones (no tagger by default) their lemma.
        return f"{self.text}/{self.tag}" if self.tag else f"{self.text}({self.lemma})"


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence: ``text`` is its normalised (and masked) form, ``start``/``end`` its span in the
    original comment."""

    start: int
    end: int
    text: str
    tokens: tuple[Token, ...] = ()

    def __repr__(self) -> str:
        toks = " ".join(map(repr, self.tokens))
        return f"Sentence({self.start}:{self.end} {self.text!r} [{toks}])"


@dataclass(frozen=True, slots=True)
class Record:
    """What preprocessing returns for one input item.

    Attributes
    ----------
    index : position of the item in the input.
    original : the input text, untouched ("" when the input was not text or missing).
    text : normalised text with PII replaced by placeholders such as ``<PHONE>``.
    status : ``ok``, ``empty`` (missing or blank), ``truncated`` (cut to ``limits.max_chars``;
        what was kept is processed) or ``invalid`` (not text, undecodable or binary junk).
    reason : why the status is not ``ok``, or what was repaired (e.g. lone surrogates); "" if nothing.
    language : ``ko``, ``en``, ``mixed`` or ``other`` ("" when not processed).
    language_confidence : in [0, 1].
    pii : count of masked items per type, e.g. ``{"PHONE": 1}``.
    sentences : the sentences, each with tokens.
    """

    index: int
    original: str
    text: str
    status: Status
    reason: str = ""
    language: str = ""
    language_confidence: float = 0.0
    pii: dict[str, int] = field(default_factory=dict)
    sentences: tuple[Sentence, ...] = ()

    @property
    def ok(self) -> bool:
        """True when the text was processed (``ok`` or ``truncated``)."""
        return self.status in ("ok", "truncated")

    def __repr__(self) -> str:
        head = f"Record(#{self.index} {self.status}"
        if self.reason:
            head += f" ({self.reason})"
        if not self.ok:
            return head + ")"
        sents = ",\n  ".join(map(repr, self.sentences))
        return (
            f"{head} lang={self.language} ({self.language_confidence:.2f}) pii={self.pii}\n"
            f"  text={self.text!r}\n  {sents})"
        )


def to_frame(records: Iterable[Record], index: pd.Index | None = None) -> pd.DataFrame:
    """One row per comment.

    Columns: ``original``, ``text``, ``status``, ``reason``, ``language``, ``language_confidence``,
    ``n_sentences``, ``pii_count`` and one ``pii_<TYPE>`` column per masked type seen.
    ``index`` (e.g. the input Series' index) replaces the positional index.
    """
    rows = []
    for r in records:
        row = {
            "original": r.original,
            "text": r.text,
            "status": r.status,
            "reason": r.reason,
            "language": r.language,
            "language_confidence": r.language_confidence,
            "n_sentences": len(r.sentences),
            "pii_count": sum(r.pii.values()),
        }
        row.update({f"pii_{k}": v for k, v in r.pii.items()})
        rows.append(row)
    frame = pd.DataFrame(rows)
    pii_cols = [c for c in frame.columns if c.startswith("pii_") and c != "pii_count"]
    frame[pii_cols] = frame[pii_cols].fillna(0).astype(int)
    if index is not None:
        frame.index = index
    return frame


def sentences_frame(records: Iterable[Record]) -> pd.DataFrame:
    """One row per sentence: ``index`` (the comment's), ``sentence``, ``start``, ``end``, ``text``,
    ``tokens`` and ``lemmas`` (space-joined)."""
    rows = [
        {
            "index": r.index,
            "sentence": i,
            "start": s.start,
            "end": s.end,
            "text": s.text,
            "tokens": " ".join(t.text for t in s.tokens),
            "lemmas": " ".join(t.lemma for t in s.tokens),
        }
        for r in records
        for i, s in enumerate(r.sentences)
    ]
    columns = ["index", "sentence", "start", "end", "text", "tokens", "lemmas"]
    return pd.DataFrame(rows, columns=columns)
