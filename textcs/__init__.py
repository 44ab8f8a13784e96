"""textcs: service-quality insight from customer comments (Korean and English first).

>>> import textcs
>>> records = textcs.preprocess(["직원분이 너무 친절했어요 ㅎㅎ 010-1234-5678", "Flight was 3h late!!!"])
>>> [(r.language, r.text) for r in records]
[('ko', '직원분이 너무 친절했어요 ㅎㅎ <PHONE>'), ('en', 'Flight was 3h late!!!')]
"""

from __future__ import annotations

from typing import Any, Iterable

from pathlib import Path

from .errors import InvalidTextError, ResourceError, TextcsError
from .preprocess import Preprocessor, Record, Sentence, Token, sentences_frame, to_frame

__version__ = "0.1.0"

__all__ = [
    "__version__",
    "load",
    "preprocess",
    "Preprocessor",
    "Record",
    "Sentence",
    "Token",
    "to_frame",
    "sentences_frame",
    "TextcsError",
    "InvalidTextError",
    "ResourceError",
]

_default: Preprocessor | None = None


def preprocess(texts: Iterable[Any] | str, **options: Any) -> list[Record]:
    """Preprocess comments with the shipped settings; see :class:`Preprocessor` for ``options``.

    The default preprocessor (and its models) is built once and reused across calls.
    """
    global _default
    if options:
        return Preprocessor(**options)(texts)
    if _default is None:
        _default = Preprocessor()
    return _default(texts)


def load(path: str | Path | None = None, profile: str = "default", industry: str | None = None, **options: Any):
    """The analyzer: the shipped default model, or the model directory at ``path``.

    ``profile`` is ``default`` (sentence encoder + lexical features) or ``fast`` (lexical only).
    ``industry`` picks the touchpoint catalog (``airline``, ``restaurant``, ... or a YAML path);
    ``None`` uses the generic catalog.

    >>> analyzer = load()
    >>> analyzer.analyze(["배달이 너무 늦었어요 ㅠㅠ"])[0].polarity
    'negative'

    A directory written by ``textcs train`` loads as a :class:`textcs.training.TaskModel` (one
    task, results with ``labels`` and ``p_<label>``; ``industry`` does not apply to it).
    """
    from .classify.analyzer import Analyzer
    from .resources import models_path
    from .training.predictor import TaskModel, is_task_model

    if is_task_model(path):
        return TaskModel.from_pretrained(path, profile=profile, **options)
    return Analyzer.from_pretrained(path or models_path("default"), profile=profile, industry=industry, **options)
