"""Language identification: ``ko``, ``en``, ``mixed`` (Korean with substantial English) or ``other``.

Hangul is unique to Korean, so the Korean/mixed call is made from the script make-up of the text;
lingua (with only the languages named in ``preprocess.yaml``, models inside its wheel) separates
English from other Latin-script languages.

>>> lid = LanguageIdentifier.from_config()
>>> lid("배송이 빨라서 좋았어요")
('ko', 1.0)
>>> lid("KTX app 로그인이 자꾸 fail 나요, customer service 연결도 안 되고")[0]
'mixed'
"""

from __future__ import annotations

from functools import cached_property
from typing import Any, Iterable

import regex

__all__ = ["LanguageIdentifier", "LANGUAGES"]

LANGUAGES = ("ko", "en", "mixed", "other")

_HANGUL = regex.compile(r"[\uac00-\ud7a3\u1100-\u11ff\u3131-\u318e]")
# Compatibility jamo alone (ㅋㅋ, ㅠㅠ) are emoticons, not evidence of Korean prose.
_HANGUL_SYLLABLE = regex.compile(r"[\uac00-\ud7a3]")
_LATIN = regex.compile(r"\p{Latin}")
_LETTER = regex.compile(r"\p{L}")
_KANA = regex.compile(r"[\p{Hiragana}\p{Katakana}]")
_PLACEHOLDER = regex.compile(r"<[A-Z]+>")
_WORD = regex.compile(r"[\p{Latin}']+")


class LanguageIdentifier:
    """Callable ``text -> (language, confidence)``; see the module docstring for the rules."""

    def __init__(
        self,
        lingua_languages: Iterable[str] = ("ENGLISH", "KOREAN"),
        hangul_weight: float = 2.5,
        ko_min_share: float = 0.75,
        mixed_min_share: float = 0.2,
        min_letters: int = 12,
        en_function_word_hits: int = 3,
        other_min_confidence: float = 0.5,
        en_max_confidence_for_other: float = 0.15,
        en_function_words: Iterable[str] = (),
    ):
        self.lingua_languages = tuple(lingua_languages)
        self.hangul_weight = hangul_weight
        self.ko_min_share = ko_min_share
        self.mixed_min_share = mixed_min_share
        self.min_letters = min_letters
        self.en_function_word_hits = en_function_word_hits
        self.other_min_confidence = other_min_confidence
        self.en_max_confidence_for_other = en_max_confidence_for_other
        self.en_function_words = frozenset(w.lower() for w in en_function_words)

    @classmethod
    def from_config(cls, config: dict[str, Any] | None = None) -> "LanguageIdentifier":
        if config is None:
            from .config import load_config

            config = load_config()
        return cls(**config["language"])

    @cached_property
    def _lingua(self):
        # Built on first use: only texts written in Latin script ever reach it.
        from lingua import Language, LanguageDetectorBuilder

        langs = [getattr(Language, name) for name in self.lingua_languages]
        if Language.ENGLISH not in langs:
            langs.append(Language.ENGLISH)
        return LanguageDetectorBuilder.from_languages(*langs).build()

    # Lingua is the costly step: only Latin-script text reaches it, judged on a bounded prefix.
    probe_chars = 300

    def _by_script(self, text: str) -> tuple[str, float] | None:
        """The call the script make-up settles, or None when lingua must decide (Latin text)."""
        text = _PLACEHOLDER.sub(" ", text[: self.probe_chars * 4])
        syllables = len(_HANGUL_SYLLABLE.findall(text))
        latin = len(_LATIN.findall(text))
        letters = len(_LETTER.findall(text))
        if letters == 0:
            return "other", 0.0
        if not syllables and not latin and _HANGUL.search(text):
            return "ko", 0.6  # jamo only: ㅋㅋ, ㅠㅠ, ㄱㅅ
        if syllables:
            jamo = len(_HANGUL.findall(text)) - syllables
            weighted_ko = syllables * self.hangul_weight
            other = letters - syllables - jamo
            share = weighted_ko / (weighted_ko + other)
            if share >= self.ko_min_share:
                return "ko", round(share, 4)
            if share >= self.mixed_min_share and latin >= other / 2:
                return "mixed", round(1.0 - abs(share - 0.5), 4)
            # Little Hangul in a text of another script: judge the rest.
        if _KANA.search(text) or latin < letters / 2:
            return "other", round(1.0 - latin / letters, 4)
        if latin < self.min_letters:
            return "en", 0.5
        words = {w.lower() for w in _WORD.findall(text)}
        if len(words & self.en_function_words) >= self.en_function_word_hits:
            return "en", 0.95
        return None

    def _from_confidences(self, values: list) -> tuple[str, float]:
        en = next((v.value for v in values if v.language.name == "ENGLISH"), 0.0)
        top = values[0] if values else None
        if (
            top is not None
            and top.language.name != "ENGLISH"
            and top.value >= self.other_min_confidence
            and en <= self.en_max_confidence_for_other
        ):
            return "other", round(top.value, 4)
        return "en", round(max(en, 0.5), 4)

    def __call__(self, text: str) -> tuple[str, float]:
        return self.many([text])[0]

    def many(self, texts: list[str]) -> list[tuple[str, float]]:
        """Identify a batch; lingua runs once, in parallel, over the texts that need it."""
        out: list[tuple[str, float] | None] = [self._by_script(t) for t in texts]
        todo = [i for i, v in enumerate(out) if v is None]
        if todo:
            probes = [_PLACEHOLDER.sub(" ", texts[i][: self.probe_chars]) for i in todo]
            for i, values in zip(todo, self._lingua.compute_language_confidence_values_in_parallel(probes)):
                out[i] = self._from_confidences(values)
        return out  # type: ignore[return-value]
