"""Batch scoring: frames of comments in, the scored rows out; the streaming, resumable job runner.

:func:`score_frame` turns one pandas chunk into the output rows of ``textcs score`` (the Spark
integration uses it too, so both give the same schema). Every row comes out once, in order, with a
status and a reason, whatever the text holds:

- ``ok``, ``empty``, ``truncated``, ``invalid``: from preprocessing (see :func:`textcs.preprocess`);
  ``invalid`` also marks a malformed file line (passed in ``invalid``);
- ``error``: the analysis raised on this row. The chunk is retried row by row, so one bad row costs
  only its own labels.

Comment rows: ``row`` (the frame's index; the input row number in ``textcs score``), the caller's
columns, then :data:`textcs.classify.analyzer.COMMENT_COLUMNS`. Sentence rows: ``row``, the caller's
id column when named, then :data:`textcs.classify.analyzer.SENTENCE_COLUMNS` less ``comment``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Mapping, Sequence

import numpy as np
import pandas as pd
import pyarrow as pa

from .errors import TextcsError

if TYPE_CHECKING:  # pragma: no cover
    from .classify.analyzer import Analyzer, CommentResult

__all__ = ["STATUSES", "Columns", "JobError", "score_frame", "comment_schema", "sentence_schema"]

STATUSES: tuple[str, ...] = ("ok", "empty", "invalid", "truncated", "error")
ROW = "row"


class JobError(TextcsError):
    """A batch job cannot run as asked (missing column, unreadable file, bad option); the message is one line."""


@dataclass(frozen=True)
class Columns:
    """Which input columns play which part. Only ``text`` is required.

    ``touchpoint`` overrides touchpoint inference where it has a value; ``id`` is copied to sentence
    rows; ``time`` and ``group`` are checked and carried for the scoring step.

    >>> Columns(text="body", id="id", group=("store",)).named()
    ['body', 'id', 'store']
    """

    text: str = "text"
    id: str | None = None
    touchpoint: str | None = None
    time: str | None = None
    group: tuple[str, ...] = field(default_factory=tuple)

    def named(self) -> list[str]:
        """The named columns, in the order text, id, touchpoint, time, group."""
        return [c for c in (self.text, self.id, self.touchpoint, self.time, *self.group) if c]


def _error_result(index: int, exc: BaseException) -> "CommentResult":
    from .classify.analyzer import CommentResult

    message = " ".join(f"{type(exc).__name__}: {exc}".split())[:300]
    return CommentResult(index, "error", f"analysis failed: {message}", "")


def _analyze(analyzer: "Analyzer", texts: list[Any], touchpoints: list[Any] | None) -> list["CommentResult"]:
    """Analyze a batch; when it raises, retry row by row so only the offending rows are ``error``."""
    try:
        return analyzer.analyze(texts, touchpoints=touchpoints)
    except Exception:  # noqa: BLE001 - any failure inside the model must not sink the batch
        results = []
        for i, text in enumerate(texts):
            try:
                r = analyzer.analyze([text], touchpoints=[touchpoints[i]] if touchpoints else None)[0]
                results.append(r)
            except Exception as exc:  # noqa: BLE001
                results.append(_error_result(i, exc))
        return results


def comment_label_columns(analyzer: "Analyzer") -> list[str]:
    """The label columns the analyzer adds to each comment row, in output order."""
    comments, _ = analyzer.to_frames([_error_result(0, ValueError("probe"))])
    return list(comments.columns)


def score_frame(
    analyzer: "Analyzer",
    frame: pd.DataFrame,
    columns: Columns = Columns(),
    invalid: Mapping[Any, str] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Score one chunk: ``(comments, sentences)`` frames with the ``textcs score`` schema.

    ``invalid`` maps index labels of rows that are already known to be bad (a malformed file line)
    to a reason: they get status ``invalid`` and are not analyzed. The output keeps ``frame``'s
    order and one comment row per input row; its ``row`` column is ``frame.index``.

    >>> import textcs, pandas as pd
    >>> analyzer = textcs.load(profile="fast")
    >>> df = pd.DataFrame({"id": ["a", "b", "c"], "text": ["Flight was 3 hours late.", None, "?"]}, index=[10, 11, 12])
    >>> comments, sentences = score_frame(analyzer, df, Columns(id="id"), invalid={12: "line 14: 3 fields, expected 2"})
    >>> comments[["row", "id", "status", "polarity"]].values.tolist()
    [[10, 'a', 'ok', 'negative'], [11, 'b', 'empty', ''], [12, 'c', 'invalid', '']]
    >>> sentences[["row", "id", "start", "end"]].values.tolist()
    [[10, 'a', 0, 24]]
    """
    from .classify.analyzer import CommentResult

    missing = [c for c in columns.named() if c not in frame.columns]
    if missing:
        raise JobError(f"column {missing[0]!r} not in the frame (columns: {', '.join(map(str, frame.columns))})")
    labels = comment_label_columns(analyzer)
    clash = [c for c in frame.columns if c == ROW or c in labels]
    if clash:
        raise JobError(f"input column {clash[0]!r} clashes with an output column; rename it")
    invalid = dict(invalid or {})
    bad = np.array([label in invalid for label in frame.index], dtype=bool)
    live = np.flatnonzero(~bad)
    texts = frame[columns.text].to_numpy(dtype=object)[live].tolist()
    given = frame[columns.touchpoint].to_numpy(dtype=object)[live].tolist() if columns.touchpoint else None
    analyzed = iter(_analyze(analyzer, texts, given) if len(live) else [])
    results = [
        CommentResult(pos, "invalid", invalid[label], "") if bad[pos] else next(analyzed)
        for pos, label in enumerate(frame.index)
    ]
    comments, sentences = analyzer.to_frames(results)
    comments = comments.reindex(columns=labels)
    comments.index = frame.index
    comments = pd.concat([frame, comments], axis=1)
    comments.insert(0, ROW, frame.index.to_numpy())
    positions = sentences["comment"].to_numpy(dtype=np.int64)
    sentences = sentences.drop(columns="comment")
    if columns.id is not None:
        sentences.insert(0, columns.id, frame[columns.id].to_numpy(dtype=object)[positions])
    sentences.insert(0, ROW, frame.index.to_numpy()[positions])
    return comments.reset_index(drop=True), sentences.reset_index(drop=True)


def _arrow_type_for(name: str, float_like: bool = False) -> pa.DataType:
    if name in (ROW, "sentence", "start", "end", "n_sentences"):
        return pa.int64()
    if name == "delight":
        return pa.bool_()
    if name == "score" or name.startswith("p_") or float_like:
        return pa.float64()
    return pa.string()


def comment_schema(analyzer: "Analyzer", caller: pa.Schema) -> pa.Schema:
    """The Arrow schema of comment rows: ``row``, the caller's columns (as typed in ``caller``), labels."""
    fields = [pa.field(ROW, pa.int64()), *caller]
    fields += [pa.field(c, _arrow_type_for(c)) for c in comment_label_columns(analyzer)]
    return pa.schema(fields)


def sentence_schema(analyzer: "Analyzer", caller: pa.Schema, columns: Columns) -> pa.Schema:
    """The Arrow schema of sentence rows: ``row``, the id column when named, the sentence columns."""
    _, sents = analyzer.to_frames([])
    fields = [pa.field(ROW, pa.int64())]
    if columns.id is not None:
        fields.append(caller.field(columns.id))
    fields += [pa.field(c, _arrow_type_for(c)) for c in sents.columns if c != "comment"]
    return pa.schema(fields)
