"""Text normalisation that remembers where every character came from.

Each step is a regex substitution over an :class:`AlignedText`, which carries, for every character
of the current text, the span of the original text it stands for. Sentence and token offsets found on
the normalised text are mapped back through it, so evidence always points into the original.

>>> a = normalise("Soooo   good&amp;cheap ㅋㅋㅋㅋㅋ")
>>> a.text
'Soo good&cheap ㅋㅋ'
>>> a.original_span(9, 14)          # "cheap" in the normalised text
(17, 22)
"""

from __future__ import annotations

import html
import unicodedata
from dataclasses import dataclass
from typing import Callable

import regex

__all__ = ["AlignedText", "normalise", "Normaliser"]

# Compatibility jamo (ㅋ, ㅠ, ...) are how Koreans type laughter and tears; NFKC would turn them into
# conjoining jamo that no tokenizer or reader expects, so they are exempt.
_NFKC_SAFE = regex.compile(r"[^\x00-\x7f\uac00-\ud7a3\u3131-\u318e]")
_GRAPHEME = regex.compile(r"\X")
_COMPAT_JAMO = regex.compile(r"[\u3131-\u318e]+")
_SURROGATE = regex.compile(r"[\ud800-\udfff]")
# Control characters other than tab/newline, format characters (zero-width space, BOM, bidi marks,
# soft hyphen) except a zero-width joiner inside an emoji sequence, and Unicode noncharacters.
_INVISIBLE = regex.compile(
    r"(?!(?<=\p{Extended_Pictographic}[\ufe0f\U0001f3fb-\U0001f3ff]?)\u200d(?=\p{Extended_Pictographic}))"
    r"[\p{Cc}\p{Cf}\p{Noncharacter_Code_Point}](?<![\t\n\r])"
)
_ENTITY = regex.compile(r"&(?:#[0-9]{1,7};?|#[xX][0-9a-fA-F]{1,6};?|[A-Za-z][A-Za-z0-9]{1,31};?)")
_BREAK_TAG = regex.compile(r"<br\s*/?>|</p>\s*<p>", regex.IGNORECASE)
_NEWLINES = regex.compile(r"[^\S\n]*(?:\r\n|[\r\n\u2028\u2029\x0b\x0c\x85])\s*")
_SPACES = regex.compile(r"[^\S\n]{2,}|[^\S \n]")
_EDGES = regex.compile(r"^\s+|\s+$")
# URLs and e-mail addresses are left alone by squeezing ("www", "aaa@..." keep their letters).
_PROTECTED = r"(?P<keep>(?:https?://|www\.)\S+|\S+@\S+\.\S+|<[A-Z]+>)"


@dataclass(frozen=True, slots=True)
class AlignedText:
    """A text plus, for each of its characters, the ``[start, end)`` span in the original.

    ``starts``/``ends`` are ``None`` while the text is still identical to the original.
    """

    text: str
    original: str
    starts: tuple[int, ...] | None = None
    ends: tuple[int, ...] | None = None

    @classmethod
    def of(cls, text: str) -> "AlignedText":
        return cls(text, text)

    def _start(self, i: int) -> int:
        return i if self.starts is None else self.starts[i]

    def _end(self, i: int) -> int:
        return i + 1 if self.ends is None else self.ends[i]

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Map ``[start, end)`` of :attr:`text` to the span of :attr:`original` it came from."""
        if end <= start:
            pos = len(self.original) if start >= len(self.text) else self._start(start)
            return pos, pos
        return self._start(start), self._end(end - 1)

    def sub(self, pattern: regex.Pattern, repl: Callable[[regex.Match], str]) -> "AlignedText":
        """Replace every match of ``pattern`` by ``repl(match)``, keeping the alignment.

        Replacement characters all map to the whole original span of the match they replace.
        """
        text = self.text
        pieces: list[str] = []
        starts: list[int] = []
        ends: list[int] = []
        pos = 0
        changed = False
        for m in pattern.finditer(text):
            new = repl(m)
            s, e = m.span()
            if new == m.group(0) or s == e:
                continue
            changed = True
            pieces.append(text[pos:s])
            starts.extend(self._start(i) for i in range(pos, s))
            ends.extend(self._end(i) for i in range(pos, s))
            if new:
                o_start, o_end = self._start(s), self._end(e - 1)
                pieces.append(new)
                starts.extend([o_start] * len(new))
                ends.extend([o_end] * len(new))
            pos = e
        if not changed:
            return self
        pieces.append(text[pos:])
        starts.extend(self._start(i) for i in range(pos, len(text)))
        ends.extend(self._end(i) for i in range(pos, len(text)))
        return AlignedText("".join(pieces), self.original, tuple(starts), tuple(ends))


def _nfkc(m: regex.Match) -> str:
    cluster = m.group(0)
    if _COMPAT_JAMO.fullmatch(cluster):
        return cluster
    return unicodedata.normalize("NFKC", cluster)


def _unescape(m: regex.Match) -> str:
    return html.unescape(m.group(0))


class Normaliser:
    """The normalisation steps, configured from ``preprocess.yaml``'s ``normalise`` section.

    Steps, repeated until the text stops changing (so that ``normalise`` is idempotent):
    lone surrogates -> U+FFFD; control and zero-width characters removed (emoji joiners kept);
    NFKC per grapheme cluster (compatibility jamo kept); HTML entities and ``<br>`` decoded;
    whitespace collapsed (a run with a line break becomes one newline, others one space) and trimmed;
    elongations squeezed (letters to ``max_letter_repeat``, symbols to ``max_symbol_repeat``,
    digits never).
    """

    max_rounds = 5

    def __init__(self, max_letter_repeat: int = 2, max_symbol_repeat: int = 3, html_breaks: bool = True):
        if max_letter_repeat < 1 or max_symbol_repeat < 1:
            raise ValueError("repeat limits must be >= 1")
        self.max_letter_repeat = max_letter_repeat
        self.max_symbol_repeat = max_symbol_repeat
        self.html_breaks = html_breaks
        self._squeeze = regex.compile(
            _PROTECTED
            + rf"|(?P<run>(?P<l>[\p{{L}}])(?P=l){{{max_letter_repeat},}}"
            + rf"|(?P<s>[^\p{{L}}\p{{N}}\s])(?P=s){{{max_symbol_repeat},}})"
        )

    def _squeeze_repl(self, m: regex.Match) -> str:
        if m.group("keep"):
            return m.group(0)
        if m.group("l"):
            return m.group("l") * self.max_letter_repeat
        return m.group("s") * self.max_symbol_repeat

    def _round(self, a: AlignedText) -> tuple[AlignedText, bool]:
        """One pass of every step; the flag says whether a step that can expose new work fired."""
        a = a.sub(_SURROGATE, lambda m: "\ufffd")
        a = a.sub(_INVISIBLE, lambda m: "")
        before = a
        if _NFKC_SAFE.search(a.text):
            a = a.sub(_GRAPHEME, _nfkc)
        if "&" in a.text:
            a = a.sub(_ENTITY, _unescape)
        if self.html_breaks and "<" in a.text:
            a = a.sub(_BREAK_TAG, lambda m: "\n")
        # NFKC and unescaping can produce characters the earlier steps would remove; the steps
        # below cannot, and each leaves a text the others would not change again.
        again = a is not before
        a = a.sub(_NEWLINES, lambda m: "\n")
        a = a.sub(_SPACES, lambda m: " ")
        a = a.sub(_EDGES, lambda m: "")
        a = a.sub(self._squeeze, self._squeeze_repl)
        return a, again

    def __call__(self, text: str | AlignedText) -> AlignedText:
        a = AlignedText.of(text) if isinstance(text, str) else text
        for _ in range(self.max_rounds):
            before = a.text
            a, again = self._round(a)
            if not again or a.text == before:
                break
        return a


_default = Normaliser()


def normalise(text: str) -> AlignedText:
    """Normalise ``text`` with the default settings; see :class:`Normaliser`."""
    return _default(text)
