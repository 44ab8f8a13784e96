"""Score a Spark DataFrame of comments, with the same columns as ``textcs score``.

    from textcs.spark import score
    comments = score(df, text_col="text", industry="airline")
    comments, sentences = score(df, text_col="text", id_col="id", sentences=True)

The rows are scored with ``mapInPandas``: Arrow batches of rows go to Python workers, which run the
same analyzer as the command line. Each Python worker builds the analyzer once and keeps it for
every later task it runs (Spark reuses Python workers by default, ``spark.python.worker.reuse``),
so the models load once per worker process, not once per batch. A worker uses as many threads as
its task has cores (``spark.task.cpus``, 1 by default), so the cores are not oversubscribed. The driver never loads a model:
the output schema comes from the model's label lists.

The rows are those of :func:`textcs.batch.score_frame`, the function behind ``textcs score``:
``row`` (the row's position in the frame: partition order, then row order), the caller's columns
(with their Spark types), a status and every label and probability
(:data:`textcs.classify.analyzer.COMMENT_COLUMNS`). Every input row comes out once; bad text (null,
blank, binary junk) is flagged in ``status``, never dropped, and a row the model fails on gets
status ``error`` without sinking its batch. The workers need textcs installed
(see the README's Spark section for ``spark-submit`` with a packed environment).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

import pandas as pd

if TYPE_CHECKING:  # pyspark is the optional ``spark`` extra
    from pyspark.sql import DataFrame
    from pyspark.sql.types import StructType

__all__ = ["score", "comment_schema", "sentence_schema"]

_SENTENCES = "_textcs_sentences"  # nested sentence rows, exploded into the sentence frame


def _pyspark():
    try:
        from pyspark.sql import types
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError('textcs.spark needs pyspark: pip install "textcs[spark]"') from exc
    return types


class _Labels:
    """Just enough of an :class:`~textcs.classify.analyzer.Analyzer` to name its output columns:
    the model's label lists, without the preprocessor or encoders (the driver never analyses)."""

    def __init__(self, model: str | None):
        from .classify.model import TextcsModel
        from .resources import models_path

        self.model = TextcsModel.from_pretrained(Path(model) if model else models_path("default"))

    from .classify.analyzer import Analyzer as _A

    to_frames, _labels = _A.to_frames, _A._labels
    del _A


@lru_cache(maxsize=4)
def _schemas(model: str | None, with_id: bool) -> tuple["StructType", "StructType"]:
    """Spark types of (``row`` + comment label columns, sentence columns) from the batch schemas."""
    import pyarrow as pa
    from pyspark.sql.pandas.types import from_arrow_schema

    from .batch import Columns, comment_schema as arrow_comments, sentence_schema as arrow_sentences

    stub = _Labels(model)
    caller = pa.schema([pa.field("id", pa.string())]) if with_id else pa.schema([])
    comments = from_arrow_schema(arrow_comments(stub, pa.schema([])))
    sentences = from_arrow_schema(arrow_sentences(stub, caller, Columns(id="id" if with_id else None)))
    return comments, sentences


def comment_schema(model: str | Path | None = None) -> "StructType":
    """The Spark types of ``row`` and the label columns of a comment row (the caller's columns
    come between them).

    >>> comment_schema().fieldNames()[:5]
    ['row', 'status', 'reason', 'language', 'polarity']
    >>> comment_schema()["n_sentences"].dataType
    LongType()
    """
    return _schemas(str(model) if model else None, False)[0]


def sentence_schema(model: str | Path | None = None) -> "StructType":
    """The Spark types of a sentence row (the caller's id column, if named, comes after ``row``).

    >>> sentence_schema().fieldNames()[:6]
    ['row', 'sentence', 'start', 'end', 'text', 'polarity']
    """
    return _schemas(str(model) if model else None, False)[1]


def _partition_offsets(df: "DataFrame") -> dict[int, int]:
    """Rows before each partition, so a worker knows each row's position in the whole frame (as
    ``RDD.zipWithIndex`` does, with one counting pass and no Python row objects)."""
    from pyspark import TaskContext

    def count(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        yield pd.DataFrame({"p": [TaskContext.get().partitionId()], "n": [sum(len(b) for b in batches)]})

    sizes = sorted((r.p, r.n) for r in df.mapInPandas(count, "p long, n long").collect())
    offsets, total = {}, 0
    for p, n in sizes:
        offsets[p], total = total, total + n
    return offsets


def score(df: "DataFrame", text_col: str = "text", *, id_col: str | None = None,
          touchpoint_col: str | None = None, profile: str = "default", industry: str | None = None,
          model: str | Path | None = None, language: str = "auto", sentences: bool = False,
          batch_size: int = 1000) -> "DataFrame | tuple[DataFrame, DataFrame]":
    """Score ``df[text_col]``: ``row``, ``df``'s columns, then the label columns of ``textcs score``.
    As there, a column of ``df`` named like an output column (``language``, say) comes out as
    ``input_language``.

    ``profile``, ``industry`` and ``model`` are those of :func:`textcs.load`; ``model`` must be a
    path every worker can read (default: the model shipped inside textcs). ``touchpoint_col``
    overrides touchpoint inference where set. ``language`` is ``auto`` (identify per comment) or
    ``ko``/``en`` to treat every comment as that language, as ``textcs score --language``.
    ``batch_size`` caps the rows analysed at once.

    ``row`` numbers the rows of ``df`` from 0 (partition order, then row order), which costs one
    counting pass over ``df`` when this is called; cache ``df`` first if it is costly to recompute.

    With ``sentences=True`` returns ``(comments, sentences)``; ``sentences`` has one row per
    sentence (:func:`sentence_schema`: ``row``, ``df[id_col]`` when named, offsets and labels).
    Both frames come from one scoring pass, which is persisted (memory and disk) so that writing
    both does not score twice; it stays cached until ``spark.catalog.clearCache()`` or the session
    ends.

    >>> comments = score(spark_df, text_col="text", industry="airline")  # doctest: +SKIP
    >>> comments.select("text", "polarity", "failures").show()           # doctest: +SKIP
    """
    from pyspark import TaskContext

    from .batch import LANGUAGES, ROW, Columns, JobError, JobOptions, cached_analyzer, caller_names, score_frame

    types = _pyspark()
    columns = Columns(text=text_col, id=id_col, touchpoint=touchpoint_col)
    missing = [c for c in columns.named() if c not in df.columns]
    if missing:
        raise JobError(f"column {missing[0]!r} not in the frame (columns: {', '.join(df.columns)})")
    if batch_size < 1:
        raise JobError(f"batch_size must be at least 1, not {batch_size}")
    if language not in LANGUAGES:
        raise JobError(f"unknown language hint {language!r}; use one of {', '.join(LANGUAGES)}")
    model_arg = str(model) if model is not None else None
    options = JobOptions(columns=columns, profile=profile, industry=industry, model=model_arg, language=language)
    added, sent_struct = _schemas(model_arg, id_col is not None)
    if _SENTENCES in df.columns:
        raise JobError(f"input column {_SENTENCES!r} is reserved by textcs.spark; rename it")
    labels = [f for f in added.fields if f.name != ROW]
    # As in textcs score, a caller's column named like an output column becomes input_<name>.
    renamed = caller_names(df.columns, [f.name for f in labels])
    caller = [types.StructField(renamed.get(f.name, f.name), f.dataType, f.nullable) for f in df.schema.fields]
    if id_col:  # the id keeps the caller's Spark type
        sent_struct = types.StructType([
            types.StructField(renamed.get(id_col, id_col), df.schema[id_col].dataType, True) if f.name == "id" else f
            for f in sent_struct.fields])
    out = types.StructType([added[ROW], *caller, *labels])
    out_names, sent_names = out.fieldNames(), sent_struct.fieldNames()
    if sentences:
        out = types.StructType([*out.fields, types.StructField(_SENTENCES, types.ArrayType(sent_struct))])
    offsets = _partition_offsets(df)

    def run(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        task = TaskContext.get()
        # Loaded on the worker's first task and kept for its next ones (textcs.batch's per-process
        # cache), with as many BLAS and Kiwi threads as the task has cores (spark.task.cpus).
        analyzer = cached_analyzer(options, threads=task.cpus())
        position = offsets.get(task.partitionId(), 0)
        for batch in batches:
            for start in range(0, len(batch), batch_size):
                chunk = batch.iloc[start:start + batch_size]
                chunk.index = pd.RangeIndex(position, position + len(chunk))
                comments, sents = score_frame(analyzer, chunk, columns)
                comments = comments[out_names]
                if sentences:
                    nested = [[] for _ in range(len(chunk))]
                    for row, record in zip(sents[ROW] - position, sents[sent_names].to_dict("records")):
                        nested[row].append(record)
                    comments = comments.assign(**{_SENTENCES: nested})
                position += len(chunk)
                yield comments

    scored = df.mapInPandas(run, out)
    if not sentences:
        return scored
    scored = scored.persist(_storage_level())
    exploded = scored.select(_explode(_SENTENCES).alias("_s")).select("_s.*")
    return scored.drop(_SENTENCES), exploded


def _explode(name: str):
    from pyspark.sql import functions as F

    return F.explode(F.col(name))


def _storage_level():
    from pyspark import StorageLevel

    return StorageLevel.MEMORY_AND_DISK
