"""Lexical features: TF-IDF over lemma n-grams (Kiwi morphemes for Korean, spaCy lemmas for English)
and character n-grams, fitted with scikit-learn and saved without pickle (JSON + npz).

Lemma n-grams up to 3 keep contrast local, and negation scope marking (``negation.py``) turns the
lemmas a negation governs into ``NEG_<lemma>``: "not helpful" gives ``NEG_helpful``, not
``helpful``, and "친절하지 않았어요" gives ``NEG_친절``.

>>> units = [Unit("not bad at all", ["not", "bad", "at", "all"]), Unit("bad service", ["bad", "service"])]
>>> lex = LexicalFeaturizer(min_df=1).fit(units)
>>> "not NEG_bad" in lex.word_vocabulary
True
>>> lex.transform(units).shape[0]
2
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer

from .negation import default_rules, mark_negation

__all__ = ["Unit", "LexicalFeaturizer", "units_from_records"]


@dataclass(frozen=True)
class Unit:
    """What a classifier sees for one sentence: its normalised text, lemmas and tags."""

    text: str
    lemmas: Sequence[str]
    tags: Sequence[str] = ()
    forms: Sequence[str] = ()

    @classmethod
    def of(cls, text: str, tokens: Iterable) -> "Unit":
        """The unit of ``text`` with preprocessing tokens (``textcs.Token``)."""
        tokens = list(tokens)
        return cls(text, [t.lemma for t in tokens], [t.tag for t in tokens], [t.text for t in tokens])


def units_from_records(records: Iterable) -> list[list[Unit]]:
    """Per preprocessed record, one :class:`Unit` per sentence."""
    return [[Unit.of(s.text, s.tokens) for s in r.sentences] for r in records]


def _identity(tokens):
    return tokens


def _mask_negated(text: str, forms: Sequence[str], marked: Sequence[str]) -> str:
    """The text for character n-grams: when a negation governs some tokens, the tokens joined by
    spaces with those replaced by NEG, so "친절" in "친절하지 않았어요" is not counted as evidence
    of kindness. Without negation (or without token forms), the text itself."""
    if not forms or len(forms) != len(marked) or not any(m.startswith("NEG_") for m in marked):
        return text
    return " ".join("NEG" if m.startswith("NEG_") else f for f, m in zip(forms, marked))


class LexicalFeaturizer:
    """Word (lemma) n-gram and character n-gram TF-IDF, stacked side by side."""

    def __init__(
        self,
        word_ngrams: tuple[int, int] = (1, 3),
        char_ngrams: tuple[int, int] = (2, 4),
        max_word_features: int = 60_000,
        max_char_features: int = 60_000,
        min_df: int = 2,
        negation: dict | bool = True,
    ):
        # The rules are kept in the model, so a saved model marks negation as it was trained.
        self.negation = default_rules() if negation is True else (negation or None)
        self.word_ngrams, self.char_ngrams = tuple(word_ngrams), tuple(char_ngrams)
        self.max_word_features, self.max_char_features = max_word_features, max_char_features
        self.min_df = min_df
        self._word = self._make_word()
        self._char = self._make_char()

    def _make_word(self) -> TfidfVectorizer:
        # Documents arrive as ready-made n-gram lists (see _ngrams), so the analyzer is identity.
        return TfidfVectorizer(
            analyzer=_identity, min_df=self.min_df, max_features=self.max_word_features, sublinear_tf=True,
            lowercase=False,
        )

    def _make_char(self, vocabulary=None) -> TfidfVectorizer:
        return TfidfVectorizer(
            analyzer="char_wb", ngram_range=self.char_ngrams, min_df=self.min_df, lowercase=True,
            max_features=None if vocabulary else self.max_char_features, sublinear_tf=True, vocabulary=vocabulary,
        )

    def _ngrams(self, lemmas: Sequence[str]) -> list[str]:
        lo, hi = self.word_ngrams
        return [" ".join(lemmas[i : i + n]) for n in range(lo, hi + 1) for i in range(len(lemmas) - n + 1)]

    def _docs(self, units: Sequence[Unit]) -> tuple[list[list[str]], list[str]]:
        words, texts = [], []
        for u in units:
            marked = mark_negation(u.lemmas, u.tags, self.negation) if self.negation else [w.lower() for w in u.lemmas]
            words.append(self._ngrams(marked))
            texts.append(_mask_negated(u.text, u.forms, marked) if self.negation else u.text)
        return words, texts

    def fit(self, units: Sequence[Unit]) -> "LexicalFeaturizer":
        words, texts = self._docs(units)
        self._word.fit(words)
        self._char.fit(texts)
        return self

    def transform(self, units: Sequence[Unit]) -> sp.csr_matrix:
        words, texts = self._docs(units)
        return sp.hstack([self._word.transform(words), self._char.transform(texts)], format="csr")

    def fit_transform(self, units: Sequence[Unit]) -> sp.csr_matrix:
        return self.fit(units).transform(units)

    @property
    def word_vocabulary(self) -> dict[str, int]:
        return self._word.vocabulary_

    @property
    def n_features(self) -> int:
        return len(self._word.vocabulary_) + len(self._char.vocabulary_)

    # -- persistence without pickle
    def save(self, folder: str | Path) -> None:
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        config = {
            "word_ngrams": self.word_ngrams, "char_ngrams": self.char_ngrams,
            "max_word_features": self.max_word_features, "max_char_features": self.max_char_features,
            "min_df": self.min_df, "negation": self.negation or False,
        }
        vocab = {"word": self._word.vocabulary_, "char": self._char.vocabulary_}
        (folder / "lexical.json").write_text(
            json.dumps({"config": config, "vocabulary": {k: {t: int(i) for t, i in v.items()} for k, v in vocab.items()}},
                       ensure_ascii=False),
            encoding="utf-8",
        )
        np.savez_compressed(folder / "lexical_idf.npz", word=self._word.idf_, char=self._char.idf_)

    @classmethod
    def load(cls, folder: str | Path) -> "LexicalFeaturizer":
        folder = Path(folder)
        data = json.loads((folder / "lexical.json").read_text(encoding="utf-8"))
        self = cls(**data["config"])
        idf = np.load(folder / "lexical_idf.npz", allow_pickle=False)
        # Word n-grams are built by _ngrams; with a fixed vocabulary the vectorizer looks them up.
        self._word = TfidfVectorizer(analyzer=_identity, sublinear_tf=True, lowercase=False,
                                     vocabulary=data["vocabulary"]["word"])
        self._char = self._make_char(vocabulary=data["vocabulary"]["char"])
        self._word.fit([[]])  # sets up the fixed vocabulary; idf is replaced next
        self._char.fit([""])
        self._word.idf_ = idf["word"]
        self._char.idf_ = idf["char"]
        return self
