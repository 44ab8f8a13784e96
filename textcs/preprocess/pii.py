"""PII masking with typed placeholders, patterns read from ``preprocess.yaml``.

>>> masker = PIIMasker.from_config()
>>> a, counts = masker(AlignedText.of("전화 010-1234-5678, mail kim@example.com"))
>>> a.text, counts
('전화 <PHONE>, mail <EMAIL>', {'EMAIL': 1, 'PHONE': 1})
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

import regex

from .normalise import AlignedText

__all__ = ["PIIMasker", "PIIRule", "PLACEHOLDER"]

# The shape of every placeholder: tokenizers keep it as one token, later masks never match inside it.
PLACEHOLDER = regex.compile(r"<[A-Z]+>")


def luhn_ok(digits: str) -> bool:
    """Luhn checksum, which every payment card number satisfies."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def _digits(s: str) -> str:
    return "".join(ch for ch in s if ch.isdigit())


# Validators a rule can name with `check:` in the config.
CHECKS: dict[str, Callable[[str], bool]] = {"luhn": lambda s: luhn_ok(_digits(s))}


@dataclass(frozen=True)
class PIIRule:
    type: str
    pattern: regex.Pattern
    check: Callable[[str], bool] | None = None
    min_digits: int = 0
    max_digits: int = 10**9

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "PIIRule":
        check = d.get("check")
        if check is not None and check not in CHECKS:
            raise ValueError(f"unknown PII check {check!r}; known: {sorted(CHECKS)}")
        return cls(
            type=str(d["type"]).upper(),
            pattern=regex.compile(d["pattern"]),
            check=CHECKS[check] if check else None,
            min_digits=int(d.get("min_digits", 0)),
            max_digits=int(d.get("max_digits", 10**9)),
        )

    def accepts(self, match: str) -> bool:
        n = sum(ch.isdigit() for ch in match)
        if not self.min_digits <= n <= self.max_digits:
            return False
        return self.check is None or self.check(match)


class PIIMasker:
    """Replace personal data by ``<TYPE>`` placeholders and count them per type."""

    def __init__(self, rules: list[PIIRule]):
        self.rules = rules

    @classmethod
    def from_config(cls, config: dict[str, Any] | None = None) -> "PIIMasker":
        if config is None:
            from .config import load_config

            config = load_config()
        return cls([PIIRule.from_dict(d) for d in config["pii"]])

    @property
    def types(self) -> list[str]:
        return [r.type for r in self.rules]

    def __call__(self, text: AlignedText) -> tuple[AlignedText, dict[str, int]]:
        counts: dict[str, int] = {}
        for rule in self.rules:
            placeholder = f"<{rule.type}>"

            def repl(m: regex.Match, rule: PIIRule = rule, placeholder: str = placeholder) -> str:
                if not rule.accepts(m.group(0)):
                    return m.group(0)
                counts[rule.type] = counts.get(rule.type, 0) + 1
                return placeholder

            text = text.sub(rule.pattern, repl)
        return text, counts
