"""Preprocessing: normalisation, PII masking, language, sentences with offsets, tokens and lemmas.

>>> from textcs.preprocess import Preprocessor
>>> r = Preprocessor()(["배송 빨랐어요ㅋㅋㅋ 기사님 010-1234-5678"])[0]
>>> r.text, r.language, r.pii
('배송 빨랐어요ㅋㅋ 기사님 <PHONE>', 'ko', {'PHONE': 1})
"""

from .inputs import coerce
from .language import LanguageIdentifier
from .normalise import AlignedText, Normaliser, normalise
from .pii import PIIMasker
from .pipeline import Preprocessor
from .records import STATUSES, Record, Sentence, Token, sentences_frame, to_frame

__all__ = [
    "Preprocessor",
    "Record",
    "Sentence",
    "Token",
    "STATUSES",
    "to_frame",
    "sentences_frame",
    "normalise",
    "Normaliser",
    "AlignedText",
    "PIIMasker",
    "LanguageIdentifier",
    "coerce",
]
