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

import hashlib
import json
import multiprocessing
import os
import shutil
import sys
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator, Mapping, Sequence

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from tqdm import tqdm

from .errors import TextcsError
from .io import Chunk, FormatError, atomic_path, file_format, open_reader, open_writer, to_arrow

if TYPE_CHECKING:  # pragma: no cover
    from .classify.analyzer import Analyzer, CommentResult

__all__ = ["STATUSES", "Columns", "JobError", "JobOptions", "Summary", "score_frame", "run_job", "cached_analyzer",
           "caller_names", "comment_schema", "sentence_schema", "default_rejects_path", "FixedLanguage"]

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


def caller_names(names: list[str], labels: list[str]) -> dict[str, str]:
    """Caller's columns renamed in the output because an output column has their name:
    ``language`` -> ``input_language`` (and ``row`` -> ``input_row``).

    >>> caller_names(["id", "language", "text"], ["status", "language"])
    {'language': 'input_language'}
    """
    from .classify.analyzer import input_names  # the analyzer's rule; imported late, as the analyzer is

    return input_names(names, [ROW, *labels])


def score_frame(
    analyzer: "Analyzer",
    frame: pd.DataFrame,
    columns: Columns = Columns(),
    invalid: Mapping[Any, str] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Score one chunk: ``(comments, sentences)`` frames with the ``textcs score`` schema.

    ``invalid`` maps index labels of rows that are already known to be bad (a malformed file line)
    to a reason: they get status ``invalid`` and are not analyzed. The output keeps ``frame``'s
    order and one comment row per input row; its ``row`` column is ``frame.index``. A caller's column
    whose name an output column has is renamed with an ``input_`` prefix (see :func:`caller_names`).

    >>> import textcs, pandas as pd
    >>> analyzer = textcs.load(profile="fast")
    >>> df = pd.DataFrame({"id": ["a", "b", "c"], "text": ["Flight was 3 hours late.", None, "?"]}, index=[10, 11, 12])
    >>> comments, sentences = score_frame(analyzer, df, Columns(id="id"), invalid={12: "line 14: 3 fields, expected 2"})
    >>> comments[["row", "id", "status", "polarity"]].values.tolist()
    [[10, 'a', 'ok', 'negative'], [11, 'b', 'empty', ''], [12, 'c', 'invalid', '']]
    >>> sentences[["row", "id", "start", "end"]].values.tolist()
    [[10, 'a', 0, 24]]
    >>> comments.columns[:6].tolist()
    ['row', 'id', 'text', 'status', 'reason', 'language']
    """
    from .classify.analyzer import CommentResult

    missing = [c for c in columns.named() if c not in frame.columns]
    if missing:
        raise JobError(f"column {missing[0]!r} not in the frame (columns: {', '.join(map(str, frame.columns))})")
    labels = comment_label_columns(analyzer)
    renamed = caller_names(list(frame.columns), labels)
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
    comments = pd.concat([frame.rename(columns=renamed), comments], axis=1)
    comments.insert(0, ROW, frame.index.to_numpy())
    positions = sentences["comment"].to_numpy(dtype=np.int64)
    sentences = sentences.drop(columns="comment")
    if columns.id is not None:
        sentences.insert(0, renamed.get(columns.id, columns.id), frame[columns.id].to_numpy(dtype=object)[positions])
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
    labels = comment_label_columns(analyzer)
    renamed = caller_names(caller.names, labels)
    fields = [pa.field(ROW, pa.int64()), *(f.with_name(renamed.get(f.name, f.name)) for f in caller)]
    fields += [pa.field(c, _arrow_type_for(c)) for c in labels]
    return pa.schema(fields)


def sentence_schema(analyzer: "Analyzer", caller: pa.Schema, columns: Columns) -> pa.Schema:
    """The Arrow schema of sentence rows: ``row``, the id column when named, the sentence columns."""
    _, sents = analyzer.to_frames([])
    fields = [pa.field(ROW, pa.int64())]
    if columns.id is not None:
        new = caller_names(caller.names, comment_label_columns(analyzer)).get(columns.id, columns.id)
        fields.append(caller.field(columns.id).with_name(new))
    fields += [pa.field(c, _arrow_type_for(c)) for c in sents.columns if c != "comment"]
    return pa.schema(fields)


# The job runner.

MANIFEST = "manifest.jsonl"
_MANIFEST_VERSION = 1


@dataclass(frozen=True)
class JobOptions:
    """Everything that decides a job's output; a resumed job must have the same (``workers`` and
    progress are left out: they do not change the output)."""

    columns: Columns = Columns()
    profile: str = "default"
    industry: str | None = None
    model: str | None = None
    language: str = "auto"
    batch_size: int = 1000
    sentences: bool = False

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["columns"]["group"] = list(self.columns.group)
        return d


@dataclass
class Summary:
    """What a job did: rows per status, malformed records, sentences, rows whose time did not parse."""

    counts: dict[str, int]
    rows: int
    rejects: int
    sentences: int
    bad_times: int
    resumed_chunks: int = 0

    def line(self) -> str:
        statuses = ", ".join(f"{s}={self.counts.get(s, 0):,}" for s in STATUSES)
        return f"{self.rows:,} rows ({statuses})"


class FixedLanguage:
    """A language identifier that answers one language for every text (the ``--language`` hint)."""

    def __init__(self, language: str):
        self.language = language

    def __call__(self, text: str) -> tuple[str, float]:
        return self.language, 1.0

    def many(self, texts: list[str]) -> list[tuple[str, float]]:
        return [(self.language, 1.0)] * len(texts)


LANGUAGES = ("auto", "ko", "en")

# Per-process state of a scoring worker (the main process is the worker when --workers 1).
_state: dict[str, Any] = {}


@dataclass(frozen=True)
class _WorkerConfig:
    options: JobOptions
    workdir: str
    caller: pa.Schema
    threads: int | None


def cached_analyzer(options: JobOptions, threads: int | None = None) -> "Analyzer":
    """The analyzer for ``options`` (model, profile, industry, language hint), loaded once per
    process and kept for the next job with the same settings."""
    from . import load

    key = (options.model, options.profile, options.industry, options.language, threads)
    if _state.get("key") != key:
        _state.pop("analyzer", None)
        extra: dict[str, Any] = {}
        if threads:  # N workers share the cores: BLAS and Kiwi get cores / N threads each
            from threadpoolctl import threadpool_limits

            from .preprocess import Preprocessor

            _state["limits"] = threadpool_limits(limits=threads)
            extra["preprocessor"] = Preprocessor(kiwi_workers=threads)
        analyzer = load(options.model, profile=options.profile, industry=options.industry, **extra)
        if options.language != "auto":
            analyzer.preprocessor.identify = FixedLanguage(options.language)
        _state.update(key=key, analyzer=analyzer)
    return _state["analyzer"]


def _init_worker(config: _WorkerConfig) -> None:
    _state.pop("error", None)
    try:
        analyzer = cached_analyzer(config.options, config.threads)
    except (TextcsError, ValueError, OSError) as exc:
        # Raised from the first chunk instead: an initializer's exception would only break the pool.
        _state["error"] = JobError(f"cannot load the model: {' '.join(str(exc).split())}")
        return
    _state.update(
        config=config,
        comment_schema=comment_schema(analyzer, config.caller),
        sentence_schema=sentence_schema(analyzer, config.caller, config.options.columns),
    )


def _write_part(path: Path, data: bytes) -> str:
    """Write ``data`` atomically (temp file, fsync, rename); returns its sha256."""
    tmp = path.with_name(f".{path.name}.tmp")
    with open(tmp, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)
    return hashlib.sha256(data).hexdigest()


def _parquet_bytes(table: pa.Table) -> bytes:
    sink = pa.BufferOutputStream()
    pq.write_table(table, sink)
    return sink.getvalue().to_pybytes()


def _bad_times(values: pd.Series) -> int:
    """Rows with a time value that does not parse as a date or time."""
    given = values.notna() & (values.astype(str).str.strip() != "")
    if not given.any():
        return 0
    parsed = pd.to_datetime(values[given].astype(str), errors="coerce", format="mixed")
    return int(parsed.isna().sum())


def _score_chunk(number: int, chunk: Chunk) -> dict[str, Any]:
    """Score one chunk and write its parts; returns its manifest entry."""
    if "error" in _state:
        raise _state["error"]
    config: _WorkerConfig = _state["config"]
    opts, workdir = config.options, Path(config.workdir)
    invalid = {r.row: r.reason for r in chunk.rejects}
    comments, sentences = score_frame(_state["analyzer"], chunk.frame, opts.columns, invalid)
    files = {"comments": f"comments-{number:06d}.parquet"}
    hashes = {"comments": _write_part(workdir / files["comments"], _parquet_bytes(to_arrow(comments, _state["comment_schema"])))}
    if opts.sentences:
        files["sentences"] = f"sentences-{number:06d}.parquet"
        data = _parquet_bytes(to_arrow(sentences, _state["sentence_schema"]))
        hashes["sentences"] = _write_part(workdir / files["sentences"], data)
    if chunk.rejects:
        files["rejects"] = f"rejects-{number:06d}.jsonl"
        data = "".join(json.dumps(r.to_dict(), ensure_ascii=False) + "\n" for r in chunk.rejects).encode()
        hashes["rejects"] = _write_part(workdir / files["rejects"], data)
    rows = chunk.frame.index
    return {
        "chunk": number,
        "rows": [int(rows[0]), int(rows[-1]) + 1] if len(rows) else [None, None],
        "counts": {k: int(v) for k, v in comments["status"].value_counts().items()},
        "sentences": int(len(sentences)),
        "rejects": len(chunk.rejects),
        "bad_times": _bad_times(chunk.frame[opts.columns.time]) if opts.columns.time else 0,
        "files": {k: [files[k], hashes[k]] for k in files},
    }


def _fingerprint(path: Path) -> dict[str, Any]:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return {"path": str(path.resolve()), "size": path.stat().st_size, "sha256": digest.hexdigest()}


def _sha256_file(path: Path) -> str | None:
    try:
        with open(path, "rb") as f:
            return hashlib.file_digest(f, "sha256").hexdigest()
    except OSError:
        return None


class _Manifest:
    """``manifest.jsonl`` in the work folder: a header line (inputs and options), then one line per
    finished chunk, appended only after the chunk's files are in place. A line cut short by a crash
    is dropped on resume, so its chunk is simply scored again."""

    def __init__(self, workdir: Path, header: dict[str, Any]):
        self.workdir, self.header = workdir, header
        self.path = workdir / MANIFEST
        self.done: dict[int, dict[str, Any]] = {}

    def resume(self) -> None:
        """Keep the verified chunks of an earlier run with the same header; start afresh otherwise."""
        lines = self.path.read_text(encoding="utf-8").splitlines() if self.path.exists() else []
        entries = []
        for line in lines:
            try:
                entries.append(json.loads(line))
            except json.JSONDecodeError:
                continue
        if entries and entries[0].get("textcs_manifest") is not None:
            old = entries[0]
            if old != self.header:
                what = "input files" if old.get("inputs") != self.header["inputs"] else "options"
                raise JobError(f"cannot resume: the {what} differ from the run in {self.workdir} "
                               "(delete that folder, or rerun without --resume to start over)")
            for e in entries[1:]:
                if "chunk" in e and all(_sha256_file(self.workdir / n) == h for n, h in e["files"].values()):
                    self.done[int(e["chunk"])] = e
        self._rewrite()

    def start(self) -> None:
        if self.workdir.exists():
            shutil.rmtree(self.workdir)
        self._rewrite()

    def _rewrite(self) -> None:
        self.workdir.mkdir(parents=True, exist_ok=True)
        text = "".join(json.dumps(x, ensure_ascii=False) + "\n" for x in [self.header, *self.done.values()])
        _write_part(self.path, text.encode())

    def add(self, entry: dict[str, Any]) -> None:
        self.done[int(entry["chunk"])] = entry
        with open(self.path, "a", encoding="utf-8") as f:
            f.write(json.dumps(entry, ensure_ascii=False) + "\n")
            f.flush()
            os.fsync(f.fileno())


def _check_columns(readers: list[Any], columns: Columns) -> pa.Schema:
    first = readers[0]
    for r in readers[1:]:
        if r.names != first.names:
            raise JobError(f"{r.path.name} has other columns than {first.path.name} "
                           f"({', '.join(r.names)} vs {', '.join(first.names)})")
    for col in columns.named():
        if col not in first.names:
            cols = ", ".join(first.names) or "none"
            if not first.names and getattr(first, "malformed", 0):
                cols = f"none: no line is a JSON object, {first.malformed:,} malformed"
            raise JobError(f"column {col!r} not in {first.path.name} (columns: {cols})")
    return first.schema


def default_rejects_path(output: Path) -> Path:
    """``out/scored.csv.gz`` -> ``out/scored.rejects.jsonl``."""
    name = output.name
    for suffix in reversed(output.suffixes):
        name = name[: -len(suffix)]
    return output.with_name(f"{name}.rejects.jsonl")


def run_job(
    inputs: Sequence[Path],
    output: Path,
    options: JobOptions = JobOptions(),
    sentences: Path | None = None,
    rejects: Path | None = None,
    workers: int = 1,
    resume: bool = False,
    progress: bool = False,
    keep_parts: bool = False,
) -> Summary:
    """Score ``inputs`` into ``output`` (and ``sentences``, and the malformed records into
    ``rejects``), streaming ``options.batch_size`` rows at a time with ``workers`` processes.

    Finished chunks go to ``<output>.parts/`` with a manifest; ``resume=True`` finishes an
    interrupted job without scoring those chunks again. A rerun or a resumed run gives the same
    output byte for byte; so does another number of workers in the tests (each worker runs BLAS on
    fewer threads, which could in principle move a probability's last digit).
    """
    output, sentences = Path(output), (Path(sentences) if sentences is not None else None)
    if options.sentences != (sentences is not None):
        options = replace(options, sentences=sentences is not None)
    if options.language not in LANGUAGES:
        raise JobError(f"unknown language hint {options.language!r}; use one of {', '.join(LANGUAGES)}")
    if workers < 1 or options.batch_size < 1:
        raise JobError("--workers and --batch-size must be at least 1")
    try:
        for path in [output, *([sentences] if sentences else [])]:
            file_format(path)
        readers = [open_reader(Path(p)) for p in inputs]
    except FormatError as exc:
        raise JobError(str(exc)) from exc
    if not readers:
        raise JobError("no input file")
    caller = _check_columns(readers, options.columns)
    rejects = Path(rejects) if rejects else default_rejects_path(output)

    for target in (output, sentences, rejects):  # temporary files of a run killed while writing them
        for stale in (target.parent.glob(f".{target.name}.*.tmp") if target else ()):
            stale.unlink(missing_ok=True)
    workdir = output.with_name(output.name + ".parts")
    header = {"textcs_manifest": _MANIFEST_VERSION, "inputs": [_fingerprint(r.path) for r in readers],
              "options": options.to_dict()}
    manifest = _Manifest(workdir, header)
    manifest.resume() if resume else manifest.start()
    resumed = len(manifest.done)

    threads = max(1, (os.cpu_count() or 1) // workers) if workers > 1 else None
    config = _WorkerConfig(options, str(workdir), caller, threads)
    estimates = [r.estimate() for r in readers] if progress else [None]  # an extra pass over the files
    total = sum(e for e in estimates if e is not None) if None not in estimates else None
    with tqdm(total=total, unit=" rows", disable=not progress, file=sys.stderr, dynamic_ncols=True,
              smoothing=0.1) as bar:
        _score_all(readers, options.batch_size, manifest, config, workers, bar)
    return _assemble(manifest, output, sentences, rejects, keep_parts, resumed)


def _chunks(readers: list[Any], size: int) -> Iterator[tuple[int, Chunk]]:
    """Chunks of all inputs, numbered; row numbers continue from one file to the next."""
    number, offset = 0, 0
    for reader in readers:
        rows = 0
        chunks = reader.chunks(size)
        while True:
            try:
                chunk = next(chunks)
            except StopIteration:
                break
            except (OSError, EOFError, pa.ArrowException, UnicodeError) as exc:  # a corrupt gzip stream, say
                raise JobError(f"cannot read {reader.path} after row {offset + rows}: {' '.join(str(exc).split())}") from exc
            if offset:
                chunk.frame.index = chunk.frame.index + offset
                chunk.rejects = [replace(r, row=r.row + offset) for r in chunk.rejects]
            rows += len(chunk.frame)
            yield number, chunk
            number += 1
        offset += rows


def _score_all(readers, size, manifest: _Manifest, config: _WorkerConfig, workers: int, bar) -> None:
    def todo() -> Iterator[tuple[int, Chunk]]:
        for number, chunk in _chunks(readers, size):
            if number in manifest.done:
                bar.update(len(chunk.frame))
            else:
                yield number, chunk

    if workers == 1:
        _init_worker(config)
        bar.reset()  # rows/s and ETA from here, not counting the model load
        for number, chunk in todo():
            manifest.add(_score_chunk(number, chunk))
            bar.update(len(chunk.frame))
        return
    context = multiprocessing.get_context("spawn")  # no fork of a process holding Arrow's threads
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_init_worker, initargs=(config,)) as pool:
        pending: dict[Any, int] = {}

        def finish() -> None:
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                rows = pending.pop(future)
                manifest.add(future.result())
                bar.update(rows)

        try:
            for number, chunk in todo():
                while len(pending) >= 2 * workers:  # bounded: memory stays flat however long the file
                    finish()
                pending[pool.submit(_score_chunk, number, chunk)] = len(chunk.frame)
            while pending:
                finish()
        except BaseException:
            for future in pending:
                future.cancel()
            raise


def _assemble(manifest: _Manifest, output: Path, sentences: Path | None, rejects: Path,
              keep_parts: bool, resumed: int) -> Summary:
    """Concatenate the chunk parts, in order, into the final files (streamed, written atomically)."""
    entries = [manifest.done[k] for k in sorted(manifest.done)]
    workdir = manifest.workdir
    for kind, target in (("comments", output), ("sentences", sentences)):
        if target is None:
            continue
        parts = [workdir / e["files"][kind][0] for e in entries]
        schema = pq.read_schema(parts[0])
        with open_writer(target, schema) as writer:
            for part in parts:
                writer.write(pq.read_table(part))
    reject_parts = [workdir / e["files"]["rejects"][0] for e in entries if "rejects" in e["files"]]
    if reject_parts:
        with atomic_path(rejects) as tmp, open(tmp, "wb") as out:
            for part in reject_parts:
                out.write(part.read_bytes())
    elif rejects.exists():
        rejects.unlink()  # left by an earlier run of this job; this input has none
    counts: dict[str, int] = {}
    for e in entries:
        for k, v in e["counts"].items():
            counts[k] = counts.get(k, 0) + v
    summary = Summary(counts, sum(counts.values()), sum(e["rejects"] for e in entries),
                      sum(e["sentences"] for e in entries), sum(e["bad_times"] for e in entries), resumed)
    if not keep_parts:
        shutil.rmtree(workdir, ignore_errors=True)
    return summary
