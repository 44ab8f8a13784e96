"""Sentence features: dense embeddings from a pluggable encoder, and lexical TF-IDF features.

>>> enc = get_encoder("use-multilingual-v3")
>>> enc.encode(["직원이 친절했어요", "The staff were kind"]).shape
(2, 512)
"""

from .encoders import ENCODERS, Encoder, get_encoder, register_encoder
from .lexical import LexicalFeaturizer, Unit, units_from_records

__all__ = ["ENCODERS", "Encoder", "get_encoder", "register_encoder", "LexicalFeaturizer", "Unit", "units_from_records"]
