"""Lexical features: TF-IDF over lemma n-grams (Kiwi morphemes for Korean, spaCy lemmas for English)
and character n-grams, fitted with scikit-learn and saved without pickle (JSON + npz).

Lemma n-grams up to 3 keep negation and contrast local ("not bad" -> ``not bad``; "친절하지 않았어요"
-> ``지 않``), which bag-of-words features lose.

>>> units = [Unit("not bad at all", ["not", "bad", "at", "all"]), Unit("bad service", ["bad", "service"])]
>>> lex = LexicalFeaturizer(min_df=1).fit(units)
>>> "not bad" in lex.word_vocabulary
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

__all__ = ["Unit", "LexicalFeaturizer", "units_from_records"]


@dataclass(frozen=True)
class Unit:
    """What a classifier sees for one sentence: its normalised text and its lemmas."""

    text: str
    lemmas: Sequence[str]


def units_from_records(records: Iterable) -> list[list[Unit]]:
    """Per preprocessed record, one :class:`Unit` per sentence."""
    return [[Unit(s.text, [t.lemma for t in s.tokens]) for s in r.sentences] for r in records]


def _identity(tokens):
    return tokens


class LexicalFeaturizer:
    """Word (lemma) n-gram and character n-gram TF-IDF, stacked side by side."""

    def __init__(
        self,
        word_ngrams: tuple[int, int] = (1, 3),
        char_ngrams: tuple[int, int] = (2, 4),
        max_word_features: int = 60_000,
        max_char_features: int = 60_000,
        min_df: int = 2,
    ):
        self.word_ngrams, self.char_ngrams = tuple(word_ngrams), tuple(char_ngrams)
        self.max_word_features, self.max_char_features = max_word_features, max_char_features
        self.min_df = min_df
        self._word = self._make_word()
        self._char = self._make_char()

    def _make_word(self) -> TfidfVectorizer:
        # Documents arrive as ready-made n-gram lists (see _word_ngrams), so the analyzer is identity.
        return TfidfVectorizer(
            analyzer=_identity, min_df=self.min_df, max_features=self.max_word_features, sublinear_tf=True,
        )

    def _make_char(self, vocabulary=None) -> TfidfVectorizer:
        return TfidfVectorizer(
            analyzer="char_wb", ngram_range=self.char_ngrams, min_df=self.min_df, lowercase=True,
            max_features=None if vocabulary else self.max_char_features, sublinear_tf=True, vocabulary=vocabulary,
        )

    def _word_ngrams(self, lemmas: Sequence[str]) -> list[str]:
        lo, hi = self.word_ngrams
        lemmas = [w.lower() for w in lemmas]
        return [" ".join(lemmas[i : i + n]) for n in range(lo, hi + 1) for i in range(len(lemmas) - n + 1)]

    def _docs(self, units: Sequence[Unit]) -> tuple[list[list[str]], list[str]]:
        return [self._word_ngrams(u.lemmas) for u in units], [u.text for u in units]

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

    # -- persistence without pickle ---------------------------------------------------------
    def save(self, folder: str | Path) -> None:
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        config = {
            "word_ngrams": self.word_ngrams, "char_ngrams": self.char_ngrams,
            "max_word_features": self.max_word_features, "max_char_features": self.max_char_features,
            "min_df": self.min_df,
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
        # Word n-grams are built by _word_ngrams; with a fixed vocabulary the vectorizer looks them up.
        self._word = TfidfVectorizer(analyzer=_identity, sublinear_tf=True, vocabulary=data["vocabulary"]["word"])
        self._char = self._make_char(vocabulary=data["vocabulary"]["char"])
        self._word.fit([[]])  # sets up the fixed vocabulary; idf is replaced next
        self._char.fit([""])
        self._word.idf_ = idf["word"]
        self._char.idf_ = idf["char"]
        return self
