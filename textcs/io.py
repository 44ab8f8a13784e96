"""Comment files in and out, streamed in bounded chunks: CSV, TSV, JSONL (``.ndjson``) and Parquet,
each optionally gzipped (``.gz``). The format comes from the file name.

Reading gives every record a row number (its position among the file's records, malformed ones
included) and never drops one silently: a malformed record (wrong field count, broken quoting,
bytes that are not UTF-8, a JSONL line that is not a JSON object) comes back as a :class:`Reject`
with its line numbers, the raw text and the error, in the chunk where it sits. Blank lines are not
records. The caller's columns are the CSV header, the Parquet schema, or for JSONL the keys of all
objects in first-seen order (one extra pass over the file).

>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "c.csv"
>>> _ = path.write_text('id,text\\n1,Great crew\\n2,"too,many",fields\\n3,Late again\\n', encoding="utf-8")
>>> reader = open_reader(path)
>>> [(c.frame.index.tolist(), c.frame["text"].tolist(), [(r.row, r.line, r.error) for r in c.rejects])
...  for c in reader.chunks(2)]
[([0, 1], ['Great crew', None], [(1, 3, '3 fields, expected 2')]), ([2], ['Late again'], [])]
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import os
import re
import shutil
import tempfile
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import IO, Any, Callable, Iterator

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from .errors import TextcsError

__all__ = ["FORMATS", "Reject", "Chunk", "open_reader", "open_writer", "file_format", "atomic_path", "to_arrow"]

# Undecodable bytes come through as lone surrogates (errors="surrogateescape"), so a bad line is
# found by looking for them, and the rest of the file still reads.
_SURROGATE = re.compile("[\ud800-\udfff]")
_CSV_FIELD_LIMIT = 64 * 1024 * 1024  # a 1 MB comment is legitimate; the csv default (128 kB) is not enough


class FormatError(TextcsError, ValueError):
    """The file's format is unknown, or the file cannot be read as that format."""


@dataclass(frozen=True)
class Reject:
    """A malformed record: ``row`` (its row number), ``line``..``end_line`` (1-based, in the file;
    ``None`` where the format has no lines), the error and the raw text."""

    row: int
    source: str
    line: int | None
    end_line: int | None
    error: str
    raw: str

    @property
    def reason(self) -> str:
        """``line 7: 3 fields, expected 2``, as the ``reason`` of the row's output."""
        if self.line is None:
            return self.error
        where = f"line {self.line}" if self.end_line in (None, self.line) else f"lines {self.line}-{self.end_line}"
        return f"{where}: {self.error}"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Chunk:
    """Consecutive records of one file: ``frame`` (caller's columns, index = row numbers; a
    rejected record's values are all missing) and the :class:`Reject` records among them."""

    frame: pd.DataFrame
    rejects: list[Reject]


def file_format(path: Path) -> tuple[str, bool]:
    """``(format, gzipped)`` from the file name.

    >>> file_format(Path("a/b.tsv.gz")), file_format(Path("x.NDJSON"))
    (('tsv', True), ('jsonl', False))
    """
    suffixes = [s.lower() for s in path.suffixes]
    gz = bool(suffixes) and suffixes[-1] == ".gz"
    if gz:
        suffixes = suffixes[:-1]
    fmt = suffixes[-1].lstrip(".") if suffixes else ""
    fmt = _ALIASES.get(fmt, fmt)
    if fmt not in FORMATS:
        raise FormatError(f"unknown format {path.name!r}; use one of {', '.join('.' + f for f in FORMATS)} (optionally .gz)")
    return fmt, gz


def _open_text(path: Path, gz: bool) -> IO[str]:
    raw: IO[bytes] = gzip.open(path, "rb") if gz else open(path, "rb")  # noqa: SIM115
    return io.TextIOWrapper(raw, encoding="utf-8-sig", errors="surrogateescape", newline="")


def _frame(rows: list[list[Any] | None], names: list[str], first_row: int) -> pd.DataFrame:
    width = len(names)
    values = [r if r is not None else [None] * width for r in rows]
    columns = list(zip(*values)) if values else [()] * width
    index = pd.RangeIndex(first_row, first_row + len(rows))
    data = {n: pd.Series(list(col), dtype=object, index=index) for n, col in zip(names, columns)}
    return pd.DataFrame(data, index=index, columns=names)


class _Lines:
    """A line iterator that remembers the lines handed out since the last :meth:`take`."""

    def __init__(self, f: IO[str]):
        self.f, self.buf, self.n = f, [], 0

    def __iter__(self) -> "_Lines":
        return self

    def __next__(self) -> str:
        line = self.f.readline()
        if not line:
            raise StopIteration
        self.buf.append(line)
        self.n += 1
        return line

    def take(self) -> str:
        text = "".join(self.buf)
        self.buf.clear()
        return text


class _Reader:
    """Base of the readers: ``schema`` (caller's columns), ``chunks(size)`` and ``estimate``."""

    def __init__(self, path: Path, gz: bool):
        self.path, self.gz = path, gz
        self.schema = self._schema()

    def _schema(self) -> pa.Schema:
        raise NotImplementedError

    @property
    def names(self) -> list[str]:
        return list(self.schema.names)

    def estimate(self) -> int | None:
        """A cheap upper estimate of the number of records (for a progress bar), or ``None``."""
        if self.gz:
            return None
        with open(self.path, "rb") as f:
            return sum(block.count(b"\n") for block in iter(lambda: f.read(1 << 20), b""))

    def chunks(self, size: int) -> Iterator[Chunk]:
        raise NotImplementedError


class DelimitedReader(_Reader):
    """CSV or TSV with a header line, read with the standard ``csv`` module for exact line numbers."""

    delimiter = ","

    def _records(self) -> Iterator[tuple[list[str] | None, int, int, str, str]]:
        """``(fields or None, first line, last line, raw text, error)`` per non-blank record."""
        csv.field_size_limit(max(csv.field_size_limit(), _CSV_FIELD_LIMIT))
        with _open_text(self.path, self.gz) as f:
            lines = _Lines(f)
            reader = csv.reader(lines, delimiter=self.delimiter, strict=True)
            while True:
                start = lines.n + 1
                try:
                    fields = next(reader)
                except StopIteration:
                    return
                except csv.Error as exc:
                    yield None, start, lines.n, lines.take(), f"malformed {self.delimiter == ',' and 'CSV' or 'TSV'}: {exc}"
                    continue
                raw = lines.take()
                if not fields:
                    continue  # a blank line
                if _SURROGATE.search(raw):
                    yield None, start, lines.n, raw, "bytes that are not UTF-8"
                    continue
                yield fields, start, lines.n, raw, ""

    def _schema(self) -> pa.Schema:
        for fields, start, _, _, error in self._records():
            if fields is None:
                raise FormatError(f"cannot read the header of {self.path.name} (line {start}): {error}")
            dupes = sorted({f for f in fields if fields.count(f) > 1})
            if dupes:
                raise FormatError(f"duplicate column name {dupes[0]!r} in the header of {self.path.name}")
            return pa.schema([pa.field(name, pa.string()) for name in fields])
        return pa.schema([])

    def chunks(self, size: int) -> Iterator[Chunk]:
        names, width = self.names, len(self.names)
        records = self._records()
        next(records, None)  # the header
        rows: list[list[str] | None] = []
        rejects: list[Reject] = []
        first = 0
        for fields, start, end, raw, error in records:
            if fields is not None and len(fields) != width:
                error = f"{len(fields)} fields, expected {width}"
            if error:
                rejects.append(Reject(first + len(rows), str(self.path), start, end, error, _printable(raw)))
                fields = None
            rows.append(fields)
            if len(rows) == size:
                yield Chunk(_frame(rows, names, first), rejects)
                first, rows, rejects = first + size, [], []
        if rows or first == 0:
            yield Chunk(_frame(rows, names, first), rejects)

    def estimate(self) -> int | None:
        n = super().estimate()
        return None if n is None else max(n - 1, 0)


class TsvReader(DelimitedReader):
    delimiter = "\t"


class JsonlReader(_Reader):
    """One JSON object per line; each line is parsed on its own, so a bad line is one reject."""

    def _lines(self) -> Iterator[tuple[int, bytes]]:
        with (gzip.open(self.path, "rb") if self.gz else open(self.path, "rb")) as f:
            for number, line in enumerate(f, 1):
                if number == 1 and line.startswith(b"\xef\xbb\xbf"):
                    line = line[3:]
                if line.strip():
                    yield number, line

    @staticmethod
    def _parse(line: bytes) -> tuple[dict | None, str]:
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError as exc:
            return None, f"bytes that are not UTF-8 ({exc.reason} at byte {exc.start})"
        try:
            obj = json.loads(text)
        except json.JSONDecodeError as exc:
            return None, f"invalid JSON: {exc.msg} (column {exc.colno})"
        if not isinstance(obj, dict):
            return None, f"expected a JSON object, got {type(obj).__name__}"
        if "\\u" in text:  # escaped lone surrogates cannot be written back as UTF-8
            obj = {k: _no_surrogates(v) for k, v in obj.items()}
        return obj, ""

    def _schema(self) -> pa.Schema:
        keys: dict[str, None] = {}
        self.malformed = 0
        for _, line in self._lines():
            obj, _ = self._parse(line)
            if obj is not None:
                keys.update(dict.fromkeys(obj))
            else:
                self.malformed += 1
        return pa.schema([pa.field(k, pa.string()) for k in keys])

    def chunks(self, size: int) -> Iterator[Chunk]:
        names = self.names
        rows: list[list[Any] | None] = []
        rejects: list[Reject] = []
        first = 0
        for number, line in self._lines():
            obj, error = self._parse(line)
            if obj is None:
                raw = line.decode("utf-8", errors="backslashreplace").rstrip("\r\n")
                rejects.append(Reject(first + len(rows), str(self.path), number, number, error, raw))
                rows.append(None)
            else:
                rows.append([obj.get(k) for k in names])
            if len(rows) == size:
                yield Chunk(_frame(rows, names, first), rejects)
                first, rows, rejects = first + size, [], []
        if rows or first == 0:
            yield Chunk(_frame(rows, names, first), rejects)


class ParquetReader(_Reader):
    """Parquet, streamed by record batches. A gzipped file is unpacked to a temporary file first."""

    @contextmanager
    def _file(self) -> Iterator[pq.ParquetFile]:
        if not self.gz:
            with pq.ParquetFile(self.path) as pf:
                yield pf
            return
        with tempfile.TemporaryDirectory(prefix="textcs-") as tmp:
            plain = Path(tmp) / "input.parquet"
            with gzip.open(self.path, "rb") as src, open(plain, "wb") as dst:
                shutil.copyfileobj(src, dst, 1 << 20)
            with pq.ParquetFile(plain) as pf:
                yield pf

    def _schema(self) -> pa.Schema:
        with self._file() as pf:
            return pf.schema_arrow

    def estimate(self) -> int | None:
        with self._file() as pf:
            return pf.metadata.num_rows

    def chunks(self, size: int) -> Iterator[Chunk]:
        first = 0
        with self._file() as pf:
            for batch in pf.iter_batches(batch_size=size):
                frame = batch.to_pandas()
                frame.index = pd.RangeIndex(first, first + len(frame))
                first += len(frame)
                yield Chunk(frame, [])
        if first == 0:
            yield Chunk(_frame([], self.names, 0), [])


READERS: dict[str, Callable[[Path, bool], _Reader]] = {
    "csv": DelimitedReader,
    "tsv": TsvReader,
    "jsonl": JsonlReader,
    "parquet": ParquetReader,
}
FORMATS = tuple(READERS)
_ALIASES = {"ndjson": "jsonl", "tab": "tsv", "txt": "tsv", "pq": "parquet"}


def open_reader(path: Path) -> _Reader:
    """The reader for ``path`` by its name; :class:`FormatError` for an unknown or unreadable file."""
    path = Path(path)
    fmt, gz = file_format(path)
    if not path.is_file():
        raise FormatError(f"input file not found: {path}")
    try:
        return READERS[fmt](path, gz)
    except (OSError, EOFError, pa.ArrowException, UnicodeError) as exc:
        raise FormatError(f"cannot read {path}: {' '.join(str(exc).split())}") from exc


def _printable(raw: str) -> str:
    """Raw text for the rejects file: undecodable bytes as ``\\xNN`` escapes, line ending dropped."""
    return raw.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace").rstrip("\r\n")


def _no_surrogates(value: Any) -> Any:
    if isinstance(value, str) and _SURROGATE.search(value):
        return value.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return value


def _as_text(value: Any) -> Any:
    """A caller's value for a text column: strings and missing values as they are, anything else as JSON."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, float) and value != value:
        return None
    if isinstance(value, bytes):
        return value.decode("utf-8", "backslashreplace")
    return json.dumps(value, ensure_ascii=False, default=str)


def to_arrow(frame: pd.DataFrame, schema: pa.Schema) -> pa.Table:
    """``frame`` as a table of exactly ``schema``; values of string columns that are not strings
    (numbers or objects from JSONL) are written as their JSON text."""
    frame = frame.copy(deep=False)
    for f in schema:
        if pa.types.is_string(f.type) and frame[f.name].dtype == object:
            frame[f.name] = frame[f.name].map(_as_text)
    return pa.Table.from_pandas(frame, schema=schema, preserve_index=False)


@contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """A temporary path next to ``path`` that replaces it only when the block succeeds."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        yield Path(tmp)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


class _TextWriter:
    """CSV, TSV or JSONL through pandas, appended table by table (gzip with a fixed mtime, so
    reruns give identical bytes)."""

    def __init__(self, path: Path, schema: pa.Schema, gz: bool, fmt: str):
        self.fmt, self.first = fmt, True
        raw = open(path, "wb")  # noqa: SIM115
        self._raw = raw
        stream: IO[bytes] = gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=6) if gz else raw
        self._gz = stream if gz else None
        self.out = io.TextIOWrapper(stream, encoding="utf-8", newline="")
        if not schema.names:
            return
        self.write(schema.empty_table())

    def write(self, table: pa.Table) -> None:
        if table.num_rows == 0 and not self.first:
            return
        frame = table.to_pandas()
        if self.fmt == "jsonl":
            if len(frame):
                text = frame.to_json(orient="records", lines=True, force_ascii=False, date_format="iso")
                self.out.write(text if text.endswith("\n") else text + "\n")
        else:
            frame.to_csv(self.out, index=False, header=self.first, lineterminator="\n",
                         sep="\t" if self.fmt == "tsv" else ",")
        self.first = False

    def close(self) -> None:
        self.out.flush()
        self.out.detach()
        if self._gz is not None:
            self._gz.close()
        self._raw.close()


class _ParquetWriter:
    def __init__(self, path: Path, schema: pa.Schema, gz: bool, fmt: str):
        self.path, self.gz = path, gz
        self.target = path.with_name(path.name + ".plain") if gz else path
        self.writer = pq.ParquetWriter(self.target, schema)

    def write(self, table: pa.Table) -> None:
        self.writer.write_table(table)

    def close(self) -> None:
        self.writer.close()
        if self.gz:
            with open(self.target, "rb") as src, open(self.path, "wb") as raw, \
                    gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=6) as dst:
                shutil.copyfileobj(src, dst, 1 << 20)
            os.unlink(self.target)


WRITERS: dict[str, Callable[..., Any]] = {"csv": _TextWriter, "tsv": _TextWriter, "jsonl": _TextWriter,
                                           "parquet": _ParquetWriter}


@contextmanager
def open_writer(path: Path, schema: pa.Schema) -> Iterator[Any]:
    """Write tables of ``schema`` to ``path`` (format by name) atomically: the file appears, complete,
    when the block ends without error.

    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "o.jsonl.gz"
    >>> schema = pa.schema([("a", pa.int64()), ("b", pa.string())])
    >>> with open_writer(out, schema) as w:
    ...     w.write(pa.table({"a": [1, 2], "b": ["x", None]}, schema=schema))
    >>> gzip.open(out, "rt").read()
    '{"a":1,"b":"x"}\\n{"a":2,"b":null}\\n'
    """
    fmt, gz = file_format(Path(path))
    with atomic_path(Path(path)) as tmp:
        writer = WRITERS[fmt](tmp, schema, gz, fmt)
        try:
            yield writer
        finally:
            writer.close()
