"""The preprocessing pipeline: raw comments in, :class:`~textcs.preprocess.records.Record` out.

Per comment: coerce the input (status and reason for bad input) -> normalise -> mask PII ->
identify the language -> tokenize, tag, lemmatize and split sentences with the spaCy pipeline of
that language (in batches) -> map every span back to the original text.
"""

from __future__ import annotations

import itertools
from dataclasses import replace
from pathlib import Path
from typing import Any, Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Doc

from ..errors import InvalidTextError
from .config import load_config
from .inputs import coerce
from .language import LanguageIdentifier
from .normalise import AlignedText, Normaliser
from .pii import PIIMasker
from .pipelines import build_pipeline
from .records import Record, Sentence, Token

__all__ = ["Preprocessor"]


class Preprocessor:
    """Callable that turns raw comments into :class:`Record` objects, in input order.

    Parameters
    ----------
    mask_pii : replace e-mails, phone numbers, resident registration, card and account numbers,
        URLs and @handles by ``<TYPE>`` placeholders (default on).
    tokenize : run the spaCy pipelines for tokens and lemmas (sentences are found either way).
    strict : raise :class:`textcs.InvalidTextError` on the first item that is not ``ok`` instead
        of returning it flagged.
    batch_size : comments handed to spaCy/Kiwi at a time.
    config : path of a ``preprocess.yaml`` with your own settings; ``None`` for the shipped one.
    **overrides : top-level settings to override, e.g. ``kiwi_workers=2``, ``english_model=...``.

    >>> pre = Preprocessor()
    >>> [r.language for r in pre(["배송 빨라요", "Great crew!", None])]
    ['ko', 'en', '']
    """

    def __init__(
        self,
        mask_pii: bool = True,
        tokenize: bool = True,
        strict: bool = False,
        batch_size: int = 1000,
        config: str | Path | None = None,
        **overrides: Any,
    ):
        self.mask_pii = mask_pii
        self.tokenize = tokenize
        self.strict = strict
        self.batch_size = batch_size
        self.config = {**load_config(config), **overrides}
        limits = self.config["limits"]
        self._limits = dict(
            max_chars=int(limits["max_chars"]),
            max_junk_share=float(limits["max_junk_share"]),
            byte_encodings=tuple(limits["byte_encodings"]),
        )
        self.normaliser = Normaliser(**self.config["normalise"])
        self.masker = PIIMasker.from_config(self.config)
        self.identify = LanguageIdentifier.from_config(self.config)
        self._nlp: dict[str, Language] = {}

    def nlp(self, language: str) -> Language:
        """The spaCy pipeline used for ``language``, built once on first use."""
        key = "ko" if language == "mixed" else language
        if key not in self._nlp:
            self._nlp[key] = build_pipeline(key, self.config)
        return self._nlp[key]

    # -- one comment up to tokenization
    def _prepare(self, index: int, value: Any) -> tuple[Record, AlignedText | None]:
        """Coerce, normalise and mask one item; language is filled in per batch."""
        c = coerce(value, **self._limits)
        if c.status in ("empty", "invalid"):
            return Record(index, c.original, "", c.status, c.reason), None
        aligned = self.normaliser(AlignedText(c.text, c.original))
        counts: dict[str, int] = {}
        if self.mask_pii:
            aligned, counts = self.masker(aligned)
        if not aligned.text:
            return Record(index, c.original, "", "empty", "nothing left after normalisation"), None
        return Record(index, c.original, aligned.text, c.status, c.reason, pii=counts), aligned

    # -- spans back into the original
    @staticmethod
    def _finish(record: Record, aligned: AlignedText, doc: Doc, tokens: bool) -> Record:
        sentences = []
        for sent in doc.sents:
            words = [t for t in sent if not t.is_space]
            if not words:
                continue
            s0, s1 = words[0].idx, words[-1].idx + len(words[-1].text)
            o0, o1 = aligned.original_span(s0, s1)
            toks: tuple[Token, ...] = ()
            if tokens:
                toks = tuple(
                    Token(t.text, t.lemma_, t.pos_, t.tag_, *aligned.original_span(t.idx, t.idx + len(t.text)))
                    for t in words
                )
            sentences.append(Sentence(o0, o1, aligned.text[s0:s1], toks))
        return replace(record, sentences=tuple(sentences))

    def _docs(self, language: str, texts: list[str]) -> Iterator[Doc]:
        nlp = self.nlp(language)
        if language in ("ko", "mixed"):
            # Kiwi does tokens, tags, lemmas and sentences in one batched, threaded pass.
            yield from nlp.tokenizer.pipe(texts, batch_size=self.batch_size)
        else:
            yield from nlp.pipe(texts, batch_size=self.batch_size)

    def _process_batch(self, batch: list[tuple[int, Any]]) -> list[Record]:
        prepared = [self._prepare(i, v) for i, v in batch]
        if self.strict:
            for record, _ in prepared:
                if record.status != "ok":
                    raise InvalidTextError(record.index, record.status, record.reason)
        live = [p for p, (_, aligned) in enumerate(prepared) if aligned is not None]
        languages = self.identify.many([prepared[p][1].text for p in live])
        for p, (language, confidence) in zip(live, languages):
            record = replace(prepared[p][0], language=language, language_confidence=confidence)
            prepared[p] = (record, prepared[p][1])
        out: list[Record] = [r for r, _ in prepared]
        routes: dict[str, list[int]] = {}
        for p, (language, _) in zip(live, languages):
            routes.setdefault("ko" if language == "mixed" else language, []).append(p)
        for language, positions in routes.items():
            texts = [prepared[p][1].text for p in positions]
            for p, doc in zip(positions, self._docs(language, texts)):
                record, aligned = prepared[p]
                out[p] = self._finish(record, aligned, doc, self.tokenize)
        return out

    def pipe(self, texts: Iterable[Any]) -> Iterator[Record]:
        """Process any iterable lazily, ``batch_size`` items at a time; yields in input order."""
        it = iter(enumerate(texts))
        while batch := list(itertools.islice(it, self.batch_size)):
            yield from self._process_batch(batch)

    def __call__(self, texts: Iterable[Any] | str) -> list[Record]:
        """Process a list, tuple, pandas Series or any iterable (a single string is one comment)."""
        if isinstance(texts, (str, bytes)):
            texts = [texts]
        return list(self.pipe(texts))

    def __repr__(self) -> str:
        return f"Preprocessor(mask_pii={self.mask_pii}, tokenize={self.tokenize}, strict={self.strict})"
