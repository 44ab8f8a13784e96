"""Turning whatever a caller passes into text, or into a reason why not.

Bad input is the norm in comment dumps; each item gets a verdict instead of an exception.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Sequence

import regex

__all__ = ["Coerced", "coerce"]

_JUNK = regex.compile(r"[\p{Cc}\p{Cn}\p{Co}\ufffd\ud800-\udfff](?<![\t\n\r])")
_SURROGATE = regex.compile(r"[\ud800-\udfff]")
_BREAK = regex.compile(r"\s")


@dataclass(frozen=True, slots=True)
class Coerced:
    """``text`` to process (possibly a truncated prefix), ``original`` to report, status and reason."""

    original: str
    text: str
    status: str
    reason: str = ""


def _decode(data: bytes, encodings: Sequence[str]) -> tuple[str | None, str]:
    for enc in encodings:
        try:
            return data.decode(enc), ("" if enc in ("utf-8", "utf8") else f"decoded from {enc}")
        except (UnicodeDecodeError, LookupError):
            continue
    return None, f"bytes not decodable as {' or '.join(encodings)}"


def coerce(
    value: Any,
    max_chars: int = 10_000,
    max_junk_share: float = 0.3,
    byte_encodings: Sequence[str] = ("utf-8", "cp949"),
) -> Coerced:
    """Classify one input item.

    >>> coerce("  ").status, coerce(None).status, coerce(3.5).reason
    ('empty', 'empty', 'expected text, got float')
    >>> c = coerce("abc def", max_chars=5); (c.status, c.text)
    ('truncated', 'abc ')
    """
    reason = ""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return Coerced("", "", "empty", "missing value")
    if value is not None and type(value).__name__ in ("NAType", "NaTType"):
        return Coerced("", "", "empty", "missing value")
    if isinstance(value, (bytes, bytearray, memoryview)):
        data = bytes(value)
        if b"\x00" in data:
            return Coerced("", "", "invalid", "binary data (NUL bytes)")
        text, reason = _decode(data, byte_encodings)
        if text is None:
            return Coerced("", "", "invalid", reason)
        value = text
    if not isinstance(value, str):
        return Coerced("", "", "invalid", f"expected text, got {type(value).__name__}")
    original = value
    if not original.strip():
        return Coerced(original, "", "empty", "blank text")
    # Judge junk on a bounded prefix: a 1 MB comment costs no more than a long one.
    probe = original[: max_chars or None]
    junk = len(_JUNK.findall(probe))
    if junk and junk / max(len(probe), 1) > max_junk_share:
        return Coerced(original, "", "invalid", f"binary or garbled text ({junk} control/unassigned characters)")
    if _SURROGATE.search(probe):
        n = len(_SURROGATE.findall(probe))
        reason = "; ".join(filter(None, [reason, f"{n} lone surrogate(s) replaced"]))
    if max_chars and len(original) > max_chars:
        cut = max_chars
        # Cut after the last whitespace near the limit so a word is not split in two.
        lo = max(0, max_chars - max(max_chars // 10, 50))
        breaks = [m.start() for m in _BREAK.finditer(original, lo, max_chars)]
        if breaks:
            cut = breaks[-1] + 1
        note = f"text of {len(original):,} characters cut to the first {cut:,}"
        return Coerced(original, original[:cut], "truncated", "; ".join(filter(None, [reason, note])))
    return Coerced(original, original, "ok", reason)
