"""The ``textcs`` command line.

    textcs preprocess data/samples/comments.csv -o out/preprocessed.csv --sentences out/sentences.csv

User errors (missing file or column, unknown format) end with a one-line message and exit code 2,
never a traceback.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path
from typing import Optional

import pandas as pd
import typer

from .errors import TextcsError

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    help="Service-quality insight from customer comments.",
)

READERS = {
    ".csv": lambda p: pd.read_csv(p, dtype=str, keep_default_na=False, na_values=[""]),
    ".tsv": lambda p: pd.read_csv(p, sep="\t", dtype=str, keep_default_na=False, na_values=[""]),
    ".jsonl": lambda p: pd.read_json(p, lines=True, dtype=False),
    ".parquet": pd.read_parquet,
}
WRITERS = {
    ".csv": lambda df, p: df.to_csv(p, index=False),
    ".tsv": lambda df, p: df.to_csv(p, sep="\t", index=False),
    ".jsonl": lambda df, p: df.to_json(p, orient="records", lines=True, force_ascii=False),
    ".parquet": lambda df, p: df.to_parquet(p, index=False),
}


def _fail(message: str) -> None:
    typer.echo(f"textcs: error: {message}", err=True)
    raise typer.Exit(code=2)


def _suffix(path: Path) -> str:
    suffixes = [s for s in path.suffixes if s != ".gz"]
    return suffixes[-1].lower() if suffixes else ""


def read_table(path: Path) -> pd.DataFrame:
    """Read CSV, TSV, JSONL or Parquet (optionally gzipped) by extension."""
    if not path.exists():
        _fail(f"input file not found: {path}")
    reader = READERS.get(_suffix(path))
    if reader is None:
        _fail(f"unknown input format {path.name!r}; use one of {', '.join(READERS)}")
    try:
        return reader(path)
    except (ValueError, OSError, UnicodeDecodeError) as exc:
        _fail(f"cannot read {path}: {exc}")
    raise AssertionError  # unreachable


def write_table(frame: pd.DataFrame, path: Path) -> None:
    writer = WRITERS.get(_suffix(path))
    if writer is None:
        _fail(f"unknown output format {path.name!r}; use one of {', '.join(WRITERS)}")
    path.parent.mkdir(parents=True, exist_ok=True)
    writer(frame, path)


@app.command()
def preprocess(
    input: Path = typer.Argument(..., help="CSV, TSV, JSONL or Parquet file of comments."),
    output: Path = typer.Option(..., "-o", "--output", help="Comment-level output file (format by extension)."),
    text_col: str = typer.Option("text", "--text", help="Column holding the comment text."),
    sentences: Optional[Path] = typer.Option(None, "--sentences", help="Also write one row per sentence here."),
    mask_pii: bool = typer.Option(True, "--mask-pii/--no-mask-pii", help="Replace personal data by placeholders."),
    batch_size: int = typer.Option(1000, min=1, help="Comments per batch."),
) -> None:
    """Normalise, mask PII, identify language, split sentences and tokenize every comment.

    Every input row comes out once, in order, with a status (ok, empty, truncated, invalid).
    """
    from .preprocess import STATUSES, Preprocessor, sentences_frame, to_frame

    frame = read_table(input)
    if text_col not in frame.columns:
        _fail(f"column {text_col!r} not in {input.name} (columns: {', '.join(map(str, frame.columns))})")
    try:
        pre = Preprocessor(mask_pii=mask_pii, batch_size=batch_size)
        records = pre(frame[text_col].tolist())
    except TextcsError as exc:
        _fail(str(exc))
    result = to_frame(records).drop(columns=["original"])
    out = pd.concat([frame.reset_index(drop=True), result.add_prefix("tcs_")], axis=1)
    write_table(out, output)
    counts = Counter(r.status for r in records)
    summary = ", ".join(f"{k}={counts.get(k, 0)}" for k in STATUSES)
    typer.echo(f"{len(records)} rows -> {output} ({summary})", err=True)
    if sentences is not None:
        sents = sentences_frame(records).rename(columns={"index": "row"})
        write_table(sents, sentences)
        typer.echo(f"{len(sents)} sentences -> {sentences}", err=True)


@app.command()
def version() -> None:
    """Print the textcs version."""
    from . import __version__

    typer.echo(__version__)


def main() -> None:  # pragma: no cover - console entry point
    sys.exit(app())
