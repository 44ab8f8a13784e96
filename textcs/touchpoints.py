"""Touchpoint inference from the catalogs' cue words, with the evidence span of every match.

Korean cues match as substrings, because particles attach to nouns (배달이, 배달은). English cues
match as whole words, case-insensitively. Overlapping cues resolve leftmost-longest ("배달 기사" is
the rider, not the delivery), and a comment gets every touchpoint whose cues occur. When the data
has a touchpoint column, that value is used instead (see the analyzer).

All cues of a catalog go into one Aho-Corasick automaton, so matching costs one pass over the
text however many cues the catalogs hold (a regex alternation of ~1,000 cues cost ~1 ms a comment).

>>> m = TouchpointMatcher.for_industry("restaurant")
>>> [(t.id, t.contact) for t in m.find("배달 기사님이 너무 친절하셨어요")][:1]
[('restaurant.delivery_rider', 'medium')]
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

import ahocorasick

from .taxonomy import Catalog, load_catalog, load_catalogs

__all__ = ["TouchpointMatch", "TouchpointMatcher"]


@dataclass(frozen=True, slots=True)
class TouchpointMatch:
    id: str
    contact: str
    start: int
    end: int
    cue: str


class TouchpointMatcher:
    """Find the touchpoints of one or more catalogs in a text."""

    def __init__(self, catalogs: Iterable[Catalog]):
        self.catalogs = list(catalogs)
        # Ids given by the data may come from any shipped catalog: know all their contact levels.
        self._contact: dict[str, str] = {tp.id: tp.contact for cat in load_catalogs().values() for tp in cat}
        self._automaton = ahocorasick.Automaton()
        cues: dict[str, tuple[str, bool]] = {}  # lower-cased cue -> (touchpoint, whole word only)
        for cat in self.catalogs:
            for tp in cat:
                self._contact[tp.id] = tp.contact
                for cue, whole_word in [(c, False) for c in tp.cues_ko] + [(c, True) for c in tp.cues_en]:
                    key = cue.strip().lower()
                    if key and key not in cues:  # the first catalog entry keeps a cue two touchpoints share
                        cues[key] = (tp.id, whole_word)
        for key, (tid, whole_word) in cues.items():
            self._automaton.add_word(key, (len(key), tid, whole_word))
        if cues:
            self._automaton.make_automaton()

    @classmethod
    def for_industry(cls, industry: str | None) -> "TouchpointMatcher":
        """The matcher of one industry catalog (a shipped name or a YAML path); the ``generic``
        catalog when ``industry`` is None."""
        return cls([load_catalog(industry or "generic")])

    def contact(self, touchpoint_id: str) -> str:
        return self._contact.get(touchpoint_id, "")

    def find(self, text: str) -> list[TouchpointMatch]:
        """Every touchpoint whose cue occurs in ``text`` (its first match), in text order."""
        if not text or self._automaton.kind != ahocorasick.AHOCORASICK:
            return []
        lowered = text.lower()
        if len(lowered) != len(text):  # a few characters lower-case to two ("İ"): keep offsets exact
            lowered = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
        hits = []
        for end, (length, tid, whole_word) in self._automaton.iter(lowered):
            start = end + 1 - length
            if whole_word and (_is_word(lowered, start - 1) or _is_word(lowered, end + 1)):
                continue
            hits.append((start, -length, tid))
        seen: dict[str, TouchpointMatch] = {}
        covered = 0
        for start, neg_length, tid in sorted(hits):  # leftmost-longest, no overlaps
            if start < covered:
                continue
            covered = start - neg_length
            if tid not in seen:
                seen[tid] = TouchpointMatch(tid, self._contact[tid], start, covered, text[start:covered])
        return list(seen.values())


def _is_word(text: str, i: int) -> bool:
    return 0 <= i < len(text) and text[i].isalnum()
