"""Touchpoint inference from the catalogs' cue words, with the evidence span of every match.

Korean cues match as substrings, because particles attach to nouns (배달이, 배달은). English cues
match as whole words, case-insensitively. A comment gets every touchpoint whose cues occur. When
the data has a touchpoint column, that value is used instead (see the analyzer).

>>> m = TouchpointMatcher.for_industry("restaurant")
>>> [(t.id, t.contact) for t in m.find("배달 기사님이 너무 친절하셨어요")][:1]
[('restaurant.delivery_rider', 'medium')]
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

import regex

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
        alternatives = []
        self._group_to_id: dict[str, str] = {}
        for cat in self.catalogs:
            for tp in cat:
                self._contact[tp.id] = tp.contact
                ko = [regex.escape(c) for c in sorted(set(tp.cues_ko), key=len, reverse=True) if c.strip()]
                en = [regex.escape(c) for c in sorted(set(tp.cues_en), key=len, reverse=True) if c.strip()]
                parts = ko + [rf"(?<![\p{{L}}\p{{N}}]){c}(?![\p{{L}}\p{{N}}])" for c in en]
                if parts:
                    group = f"t{len(self._group_to_id)}"
                    self._group_to_id[group] = tp.id
                    alternatives.append(f"(?P<{group}>{'|'.join(parts)})")
        self._pattern = regex.compile("|".join(alternatives), regex.IGNORECASE) if alternatives else None

    @classmethod
    def for_industry(cls, industry: str | None) -> "TouchpointMatcher":
        """The matcher of one industry catalog (a shipped name or a YAML path); the ``generic``
        catalog when ``industry`` is None."""
        return cls([load_catalog(industry or "generic")])

    def contact(self, touchpoint_id: str) -> str:
        return self._contact.get(touchpoint_id, "")

    def find(self, text: str) -> list[TouchpointMatch]:
        """Every cue match in ``text``, first match per touchpoint, in text order."""
        if self._pattern is None or not text:
            return []
        seen: dict[str, TouchpointMatch] = {}
        for m in self._pattern.finditer(text, overlapped=False):
            tid = self._group_to_id[m.lastgroup]
            if tid not in seen:
                seen[tid] = TouchpointMatch(tid, self._contact[tid], m.start(), m.end(), m.group(0))
        return sorted(seen.values(), key=lambda t: t.start)
